/**
 * The pipeline: discover the inputs, plan them into units (units.ts), run the units on threads
 * with the cache (pool.ts), each scanned by scan.ts, and merge their results.
 */
import { compareFindings, type Finding } from "../findings/finding.js";
import { discoverInputs } from "../discovery/discover.js";
import { applyCommentSuppressions, CommentSuppressions } from "../suppressions/comments.js";
import { markUsed, type SuppressionSpec } from "../suppressions/suppression.js";
import { withLimitFindings } from "../findings/limit-findings.js";
import { namedFolders, planUnits, type UnitContext } from "./units.js";
import { runUnits, type CacheOptions } from "./pool.js";
import { shardUnits, type Shard } from "./shard.js";
import { dedupe, linksNotFollowed, type LintOutcome, type ScanOptions } from "./scan.js";

export interface LintOptions extends ScanOptions {
  paths: string[];
  /** Told after each unit of work (a file, an assembly, a Terraform root) how far the run is. */
  progress?: (done: number, total: number, findings: number) => void;
  /** Worker threads: 1 lints in this thread; unset chooses from the size of the work and the cores. */
  jobs?: number;
  /** Reuse results of unchanged inputs (see pool.ts). */
  cache?: CacheOptions;
  /** Lint only this shard of the inputs. */
  shard?: Shard;
}

export {
  checkNodes,
  isInputText,
  isPlanText,
  lintAssembly,
  lintLinkedTemplates,
  lintStandaloneTerraform,
  lintTerraform,
  lintText,
  linksNotFollowed,
  parseErrorFinding,
  readText,
  type FileOutcome,
  type InputText,
  type LinkedFile,
  type LintOutcome,
  type ScanOptions,
  type ModuleLinks,
} from "./scan.js";

export async function lint(options: LintOptions): Promise<LintOutcome> {
  const { files: inputs, links } = await discoverInputs(options.paths, options.cwd);
  let units = planUnits(inputs, (file) => options.parametersFor?.(file) ?? options.parameters ?? {}, namedFolders(options.paths, options.cwd));
  if (options.shard) units = shardUnits(units, options.shard);
  const ctx: UnitContext = {
    cwd: options.cwd,
    rules: options.rules,
    // Only TF_VAR_ variables of the environment matter; the rest stays out of the workers.
    terraform: {
      sources: options.terraform?.sources ?? [],
      env: Object.fromEntries(Object.entries(options.terraform?.env ?? {}).filter(([k]) => k.startsWith("TF_VAR_"))),
    },
    ...(options.limits ? { limits: options.limits } : {}),
  };
  let findingCount = 0;
  const results = await runUnits(units, ctx, {
    ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
    ...(options.cache ? { cache: options.cache } : {}),
    onResult: (done, result) => options.progress?.(done, units.length, (findingCount += result.findings.length)),
  });
  // Results merge in unit order, whatever order the units finished in.
  const findings: Finding[] = [];
  // Units that call the same module outside their folders read its files each: list them once.
  const files = new Set<string>();
  const notes: string[] = [];
  const comments = new CommentSuppressions();
  const declared: SuppressionSpec[] = [];
  for (const r of results) {
    findings.push(...r.findings);
    for (const f of r.files) files.add(f);
    for (const n of r.notes) if (!notes.includes(n)) notes.push(n);
    for (const [file, lines] of r.comments) comments.set(file, new Map(lines));
    for (const d of r.declared) {
      if (d.used) markUsed(d.spec);
      declared.push(d.spec);
    }
  }
  // A rule left undecided by an evaluator's cap fails the run through a limit finding.
  const result = withLimitFindings(applyCommentSuppressions(dedupe(findings), comments)).sort(compareFindings);
  // Every suppression the linted files declare, so that unused ones can be reported.
  return { findings: result, files: [...files].sort(), notes, suppressions: [...comments.all(), ...declared], links: linksNotFollowed(links, results.map((r) => r.links ?? {})) };
}
