/**
 * The lint run, `parapet [options] [paths...]`: the pipeline over the paths, then the
 * configuration's suppressions, `--new-since`, the baseline, the report and the exit code.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { newFindings, readBaseline, writeBaseline } from "../baseline/baseline.js";
import { applyConfigSuppressions, parametersFor, type Config } from "../config/config.js";
import { UsageError } from "../errors.js";
import { fileRulesUsed } from "../findings/file-rules.js";
import { severityRank, type Finding } from "../findings/finding.js";
import { lint, type LintOptions } from "../pipeline/lint.js";
import { getChunkedReporter, getReporter } from "../reporters/index.js";
import { createProgress } from "../reporters/progress.js";
import type { LintResult, ReportOptions } from "../reporters/report.js";
import type { Rule } from "../model/rule.js";
import { decodeText } from "../source/decode.js";
import { wasUsed } from "../suppressions/suppression.js";
import { VERSION } from "./help.js";
import type { CliOptions, CommandResult } from "./options.js";
import { writeReport } from "./output.js";
import { activeRules, withSeverities } from "./settings.js";

/**
 * What the findings of an unchanged input depend on besides its content: parapet's version,
 * the rules as loaded, the configuration's settings, parameters, Terraform variables and limits.
 */
function cacheKey(options: CliOptions, rules: readonly Rule[], config: Config | undefined): string {
  const tfEnv = Object.entries(process.env).filter(([k]) => k.startsWith("TF_VAR_")).sort();
  return JSON.stringify([VERSION, rules, config?.settings ?? null, options.parameters, options.variables, tfEnv, options.limits]);
}

/**
 * `--new-since REF`: lints the same paths as they were at REF (read with git into a
 * temporary folder) and keeps only the findings whose fingerprints are new. The whole graph
 * is evaluated both times, so a change that opens a port on an old resource is new.
 */
async function newSince(
  ref: string,
  findings: Finding[],
  cwd: string,
  lintAt: (cwd: string) => Promise<{ findings: Finding[] }>,
): Promise<Finding[]> {
  const { checkoutBase } = await import("./base-tree.js");
  const base = checkoutBase(ref, cwd);
  try {
    let before: { findings: Finding[] };
    try {
      before = await lintAt(base.cwd);
    } catch (e) {
      // A path that did not exist at the base has no old findings.
      if (e instanceof UsageError && e.message.startsWith("path not found")) before = { findings: [] };
      else throw e;
    }
    return newFindings(findings, new Set(before.findings.map((f) => f.fingerprint)));
  } finally {
    base.dispose();
  }
}

/**
 * 1 when an unsuppressed failing finding is at or above the threshold (`--fail-on`, default
 * every severity), or when a file could not be read; findings to review count only with
 * `--fail-on-undecided`.
 */
export function exitCode(findings: readonly Finding[], options: Pick<CliOptions, "failOn" | "failOnUndecided">): number {
  return findings.some((f) => failsRun(f, options)) ? 1 : 0;
}

/** Whether this finding alone makes the run exit 1 (what `--quiet` still shows). */
export function failsRun(f: Finding, options: Pick<CliOptions, "failOn" | "failOnUndecided">): boolean {
  if (f.suppressions && f.suppressions.length > 0) return false;
  if (f.ruleId === "parse-error") return true;
  if (f.kind === "review" && !options.failOnUndecided) return false;
  return severityRank(f.severity) >= severityRank(options.failOn);
}

/** The links a walk did not follow: counted in one note, or one note each with --verbose. */
function linkNotes(links: readonly { path: string; target: string; why: string }[], verbose: boolean): string[] {
  if (links.length === 0) return [];
  if (verbose) return links.map((l) => `symbolic link ${l.path} -> ${l.target} not followed: ${l.why}`);
  return [`${links.length === 1 ? "1 symbolic link was" : `${links.length} symbolic links were`} not followed (--verbose lists each with why)`];
}

/** Lints the paths of the options and reports; resolves to the exit code and the output. */
export async function lintCommand(options: CliOptions, cwd: string, config: Config | undefined): Promise<CommandResult> {
  let stderr = "";
  const rules = withSeverities(activeRules(options, cwd, config).active, config);
  const lintAt = (at: string, progress?: LintOptions["progress"]) =>
    lint({
      ...(progress ? { progress } : {}),
      paths: options.paths,
      cwd: at,
      rules,
      parameters: options.parameters,
      parametersFor: (file) => ({ ...parametersFor(config, file, at), ...options.parameters }),
      terraform: { sources: options.variables, env: process.env },
      ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
      ...(options.shard ? { shard: options.shard } : {}),
      ...(options.cache && at === cwd ? { cache: { dir: resolve(cwd, options.cacheDir ?? ".parapet-cache"), key: cacheKey(options, rules, config) } } : {}),
      limits: options.limits,
    });
  // The progress line follows the main run only (not the base of --new-since).
  const progress = { line: undefined as ReturnType<typeof createProgress>, started: false };
  const linted = await lintAt(cwd, (done, total, found) => {
    if (!progress.started) progress.line = createProgress(process.stderr, process.env, total);
    progress.started = true;
    progress.line?.update(done, found);
  });
  progress.line?.end();
  let findings = applyConfigSuppressions(linted.findings, config, cwd);
  if (options.newSince !== undefined) findings = await newSince(options.newSince, findings, cwd, lintAt);
  if (options.writeBaseline !== undefined) {
    writeBaseline(resolve(cwd, options.writeBaseline), options.writeBaseline, findings);
    linted.notes.push(`--write-baseline: recorded the findings in ${options.writeBaseline}; a run that writes a baseline exits 0`);
  }
  if (options.baseline !== undefined) findings = newFindings(findings, readBaseline(resolve(cwd, options.baseline), options.baseline));
  const notes = [...linted.notes, ...linkNotes(linted.links ?? [], options.verbose)];
  if (options.reportUnused) {
    const declared = [...(linted.suppressions ?? []), ...(config?.settings.suppressions ?? [])];
    for (const s of declared) if (!wasUsed(s)) notes.push(`unused suppression of ${s.rule} at ${s.origin ?? "an unknown place"}: it matched no finding`);
  }
  const outcome = { ...linted, findings, notes };
  const result: LintResult = {
    findings: outcome.findings,
    rules: [...rules, ...fileRulesUsed(rules, outcome.findings)],
    files: outcome.files,
    notes: outcome.notes,
    ...(linted.links ? { links: linted.links } : {}),
    version: VERSION,
  };
  const toTerminal = !options.output && process.stdout.isTTY === true;
  const reportOptions: ReportOptions = {
    ...(options.quiet ? { onlyFailing: (f: Finding) => failsRun(f, options) } : {}),
    color: options.color ?? (toTerminal && !process.env["NO_COLOR"]),
    baseUri: pathToFileURL(cwd).href.replace(/\/?$/, "/"),
    readSource: (file) => {
      try {
        return decodeText(readFileSync(resolve(cwd, file))).text;
      } catch {
        return undefined;
      }
    },
  };
  let stdout = "";
  if (options.output) {
    // A large report goes to the file in pieces, never whole in memory.
    writeReport(options.output, getChunkedReporter(options.format)?.(result, reportOptions) ?? [getReporter(options.format)!(result, reportOptions)], cwd);
  } else {
    stdout = getReporter(options.format)!(result, reportOptions);
  }
  if (options.format !== "text" && !options.quiet) for (const note of outcome.notes) stderr += `parapet: ${note}\n`;
  // Writing a baseline is set-up, and --soft-fail reports without failing: both exit 0.
  const setUp = options.writeBaseline !== undefined || options.softFail;
  return { code: setUp ? 0 : exitCode(outcome.findings, options), stdout, stderr };
}
