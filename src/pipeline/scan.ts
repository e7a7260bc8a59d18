/**
 * Scanning one unit of work: a CloudFormation template (or a group of linked ones), a CDK
 * assembly, a Terraform root or plan. Each is parsed, mapped to the common graph, linked,
 * evaluated and suppressed here; planning the units and running them is lint.ts's.
 */
import { noticeRule, templateEncodingNote } from "../findings/file-notices.js";
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Finding } from "../findings/finding.js";
import { fingerprint, fingerprintInRoot } from "../findings/fingerprint.js";
import { rootOutsideFile } from "../findings/terraform-root.js";
import { ResourceGraph, type GraphNode } from "../graph/graph.js";
import { mapResource, type KindSpec } from "../graph/mapping.js";
import { linkScope } from "../graph/link.js";
import type { InputFile, SkippedLink } from "../discovery/discover.js";
import { CLOUDFORMATION_KINDS } from "../parsers/cloudformation/adapters.js";
import { loadTemplate, mayBeTemplate } from "../parsers/cloudformation/template.js";
import { readLinkedTemplates } from "../parsers/cloudformation/linked-stacks.js";
import type { Diagnostic } from "../source/document.js";
import { displayAddress, runRules } from "../rules/engine.js";
import { applySuppressions, type SuppressionSpec } from "../suppressions/suppression.js";
import type { Rule } from "../model/rule.js";
import { countAssemblyTemplates, readAssembly } from "../parsers/cdk/assembly.js";
import { TERRAFORM_KINDS } from "../parsers/terraform/adapters.js";
import { isPlanJson, readPlan } from "../parsers/terraform/plan.js";
import { isTerraformJsonConfig } from "../parsers/terraform/json-config.js";
import type { StandaloneTerraformJson, TerraformRoot } from "../parsers/terraform/project.js";
import type { VariableOptions } from "../model/variable-options.js";
import { checkTextSize, withBudget } from "../limits/budget.js";
import { LimitExceeded, type Limits } from "../limits/limits.js";
import { readFailure, readProblem, readSource } from "../source/read.js";
import type { TextEncoding } from "../source/decode.js";
import { byPath } from "../source/paths.js";

/** What scanning a unit needs to know: the rules, the values given for parameters and variables, the limits. */
export interface ScanOptions {
  cwd: string;
  rules: Rule[];
  /** CloudFormation parameter values. */
  parameters?: Record<string, string>;
  /** CloudFormation parameter values for one template (overrides `parameters`). */
  parametersFor?: (file: string) => Record<string, string>;
  /** Terraform variable values from the command line and the environment. */
  terraform?: VariableOptions;
  /** Receives the Metadata suppressions of the checked resources. */
  declared?: SuppressionSpec[];
  /** Limits on size, depth, alias expansion and time per file (defaults: DEFAULT_LIMITS). */
  limits?: Partial<Limits>;
}

export interface LintOutcome {
  findings: Finding[];
  files: string[];
  notes: string[];
  /** The suppressions written in the linted files (comments and Metadata). */
  suppressions?: SuppressionSpec[];
  /** Symbolic links the walks met and did not follow. */
  links?: SkippedLink[];
}


/**
 * The finding of a parser's diagnostic: a parse error, or a file-level note when the
 * diagnostic names one (findings to review, which do not fail the run by default).
 */
export function parseErrorFinding(file: string, d: Diagnostic): Finding {
  const notice = noticeRule(d.notice);
  const ruleId = notice?.id ?? "parse-error";
  // Fingerprints leave line numbers out, so the finding keeps its identity when lines move.
  const identity = d.subject ?? d.message.replace(/\blines? \d+(-\d+)?/g, "line");
  return {
    ruleId,
    severity: notice?.severity ?? "high",
    kind: notice ? "review" : "fail",
    message: d.message,
    file,
    position: { line: d.line, column: d.column, endLine: d.line, endColumn: d.column },
    address: "",
    ...(d.reason !== undefined ? { reason: d.reason } : {}),
    fingerprint: fingerprint(ruleId, file, "", identity),
  };
}

/** Builds the graph of one deployment (a template, a Terraform root) and runs the rules on it. */
export function checkNodes(nodes: GraphNode[], kinds: Record<string, KindSpec>, rules: readonly Rule[], declared?: SuppressionSpec[]): Finding[] {
  if (nodes.length === 0) return [];
  const graph = new ResourceGraph();
  const waivers = new Map<string, SuppressionSpec[]>();
  for (const node of nodes) {
    graph.addNode(node);
    if (node.suppressions) {
      waivers.set(`${node.source.path}\u0000${displayAddress(node)}`, node.suppressions);
      if (!node.childPath) declared?.push(...node.suppressions);
    }
  }
  linkScope(graph, nodes, kinds);
  const findings = runRules(graph, rules);
  return waivers.size === 0 ? findings : applySuppressions(findings, (f) => waivers.get(`${f.file}\u0000${f.address}`) ?? []);
}

export interface FileOutcome {
  /** False when the file is not a template (it is then not reported as linted). */
  linted: boolean;
  findings: Finding[];
  note?: string;
  /** Terraform JSON configuration in a `.json` file: linted as a Terraform root of its own. */
  terraformJson?: boolean;
}

/** Lints one file's text on its own (a CloudFormation template is one deployment). */
const PLAN_HINT = /"format_version"\s*:/;

/** A cheap look at the text: could this be a Terraform plan? */
export function isPlanText(path: string, text: string): boolean {
  return /\.json$/i.test(path) && PLAN_HINT.test(text.slice(0, 4096));
}
const TERRAFORM_JSON_HINT = /"(?:resource|module|data)"\s*:/;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Lints a `terraform show -json` plan: values from the plan, positions from the .tf files beside it when present. */
function lintPlan(file: InputFile, text: string, options: Pick<ScanOptions, "rules" | "cwd" | "declared">): FileOutcome | undefined {
  if (!isPlanJson(parseJson(text))) return undefined;
  const plan = readPlan(file.path, file.absolutePath, text, options.cwd);
  const nodes = plan.resources.flatMap((r) => mapResource(r, TERRAFORM_KINDS[r.nativeType]));
  const findings = plan.diagnostics.map((d) => parseErrorFinding(file.path, d));
  findings.push(...checkNodes(nodes, TERRAFORM_KINDS, options.rules, options.declared));
  return { linted: true, findings };
}

/**
 * Runs the work of one input under its limits and time budget (`scale` files' worth); a
 * limit it hits becomes a parse-error finding for the input instead of an exception.
 */
function withinLimits<T extends { findings: Finding[] }>(path: string, limits: Partial<Limits> | undefined, work: () => T, failed: (f: Finding) => T, scale = 1): T {
  try {
    return withBudget(limits, work, scale);
  } catch (e) {
    if (e instanceof LimitExceeded) return failed(parseErrorFinding(path, e));
    throw e;
  }
}

/** What lintText needs besides the text; `encodingNote` is added to a template's findings (see readText). */
type TextOptions = Pick<ScanOptions, "rules" | "parameters" | "parametersFor" | "declared"> & { cwd?: string; encodingNote?: Diagnostic };

export function lintText(file: InputFile, text: string, options: TextOptions & Pick<ScanOptions, "limits">): FileOutcome {
  return withinLimits(
    file.path,
    options.limits,
    () => {
      checkTextSize(text);
      return lintTextWithinLimits(file, text, options);
    },
    (finding) => ({ linted: true, findings: [finding] }),
  );
}

function lintTextWithinLimits(file: InputFile, text: string, options: TextOptions): FileOutcome {
  if (isPlanText(file.path, text)) {
    const outcome = lintPlan(file, text, { rules: options.rules, cwd: options.cwd ?? process.cwd(), ...(options.declared ? { declared: options.declared } : {}) });
    if (outcome) return outcome;
  }
  if (!mayBeTemplate(text)) {
    if (/\.json$/i.test(file.path) && TERRAFORM_JSON_HINT.test(text) && isTerraformJsonConfig(parseJson(text))) {
      return { linted: false, findings: [], terraformJson: true };
    }
    return { linted: false, findings: [], ...(file.explicit ? { note: `${file.path}: not a CloudFormation template (no AWSTemplateFormatVersion and no Resources with an AWS:: or Custom:: Type); skipped` } : {}) };
  }
  const result = loadTemplate(file.path, file.absolutePath, text, { parameters: options.parametersFor?.(file.path) ?? options.parameters ?? {} });
  if (!result.isTemplate) {
    return { linted: false, findings: [], ...(file.explicit ? { note: `${file.path}: not a CloudFormation template; skipped` } : {}) };
  }
  const findings = result.diagnostics.map((d) => parseErrorFinding(file.path, d));
  for (const note of [...(options.encodingNote ? [options.encodingNote] : []), ...(result.preprocessors ?? [])]) findings.push(parseErrorFinding(file.path, note));
  findings.push(...checkNodes(result.nodes, CLOUDFORMATION_KINDS, options.rules, options.declared));
  return { linted: true, findings };
}

/** A template of a group read together, with its text and the parameter values given for it. */
export interface LinkedFile {
  file: InputFile;
  text: string;
  parameters: Record<string, string>;
  /** See readText. */
  encodingNote?: Diagnostic;
}

/**
 * Lints CloudFormation templates that may link to each other (exports and imports, nested
 * stacks) as one graph, so that a value one of them takes from another is that value.
 */
export function lintLinkedTemplates(inputs: LinkedFile[], options: Pick<ScanOptions, "rules" | "declared" | "limits">): { findings: Finding[]; files: string[]; notes: string[] } {
  const failed = (f: Finding) => ({ findings: [f], files: inputs.map((i) => i.file.path), notes: [] });
  return withinLimits(inputs[0]!.file.path, options.limits, () => lintLinkedWithinLimits(inputs, options), failed, inputs.length);
}

function lintLinkedWithinLimits(inputs: LinkedFile[], options: Pick<ScanOptions, "rules" | "declared">): { findings: Finding[]; files: string[]; notes: string[] } {
  for (const i of inputs) checkTextSize(i.text);
  const linked = readLinkedTemplates(inputs.map((i) => ({ path: i.file.path, absolutePath: i.file.absolutePath, text: i.text, parameters: i.parameters })));
  const out = { findings: [] as Finding[], files: [] as string[], notes: [] as string[] };
  for (const { file, encodingNote } of inputs) {
    const t = linked.templates.get(file.path)!;
    if (!t.isTemplate) {
      if (file.explicit) out.notes.push(`${file.path}: not a CloudFormation template; skipped`);
      continue;
    }
    out.files.push(file.path);
    out.findings.push(...[...(encodingNote ? [encodingNote] : []), ...t.diagnostics].map((d) => parseErrorFinding(file.path, d)));
  }
  out.findings.push(...checkNodes(linked.nodes, CLOUDFORMATION_KINDS, options.rules, options.declared));
  return out;
}

/** An input file's text as read: decoded (see decode.ts), in the encoding it was written in. */
export interface InputText {
  text: string;
  encoding: TextEncoding;
  /** A review note that the encoding is one CloudFormation's tools may not read (for a template). */
  encodingNote?: Diagnostic;
}

/**
 * Reads an input file. Bytes that are no text are a diagnostic at the first of them when the
 * text could be a template, a plan or Terraform JSON; other such files (binary files with a
 * template's name) are read as what they are not, templates, and skipped as such.
 */
export function readText(file: InputFile, limits?: Partial<Limits>): InputText | Diagnostic {
  try {
    if (file.problem) return { message: file.problem, line: 1, column: 1 };
    const decoded = withBudget(limits, () => readSource(file.absolutePath));
    const { text, encoding } = decoded;
    if (decoded.invalid && (mayBeTemplate(text) || isPlanText(file.path, text) || TERRAFORM_JSON_HINT.test(text))) return { ...decoded.invalid };
    return { text, encoding, ...(encoding !== "UTF-8" ? { encodingNote: templateEncodingNote(decoded) } : {}) };
  } catch (e) {
    return readProblem(e);
  }
}

/** Whether {@link readText} gave text (else a diagnostic). */
export function isInputText(read: InputText | Diagnostic): read is InputText {
  return "text" in read;
}

/**
 * Lints a CDK cloud assembly: all its stacks (Stages and nested stacks included) in one
 * graph; findings name construct paths and point also at the user's code that made them.
 */
type AssemblyOptions = Pick<ScanOptions, "cwd" | "rules" | "parameters" | "declared" | "limits">;

export function lintAssembly(input: InputFile, options: AssemblyOptions): { findings: Finding[]; files: string[] } {
  const templates = countAssemblyTemplates(input.absolutePath);
  return withinLimits(input.path, options.limits, () => lintAssemblyWithinLimits(input, options), (f) => ({ findings: [f], files: [input.path] }), templates);
}

function lintAssemblyWithinLimits(input: InputFile, options: AssemblyOptions): { findings: Finding[]; files: string[] } {
  const assembly = readAssembly(input.absolutePath, options.cwd, options.parameters ?? {});
  const findings = assembly.diagnostics.map((d) => parseErrorFinding(d.file, d.diagnostic));
  for (const f of checkNodes(assembly.nodes, CLOUDFORMATION_KINDS, options.rules, options.declared)) {
    const frame = assembly.traces.get(f.address);
    findings.push(frame ? { ...f, related: [{ ...frame, message: `${f.address} is created here` }] } : f);
  }
  return { findings, files: assembly.files };
}

/** Removes repeated findings (the instances of one counted resource fail alike). */
export function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.fingerprint}\u0000${f.kind}\u0000${f.position.line}\u0000${f.position.column}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

type TerraformOptions = Pick<ScanOptions, "cwd" | "rules" | "terraform" | "declared" | "limits"> & {
  /** The folders named to scan that hold these inputs (absolute): local module sources may lead anywhere inside them. */
  scanned?: readonly string[];
};

/**
 * Lints Terraform files: every root module among their folders. A file named on the command
 * line is evaluated with its whole folder, and only findings in the named files are reported
 * (the pre-commit case). `addComments` receives the text of every file reported on.
 */
export async function lintTerraform(
  inputs: InputFile[],
  options: TerraformOptions,
  addComments: (file: string, text: string) => void,
  standalone: StandaloneTerraformJson[] = [],
): Promise<LintOutcome & { dependencies: string[]; moduleLinks: ModuleLinks }> {
  const { scanTerraform } = await import("../parsers/terraform/project.js");
  const dirs = [...new Set(inputs.map((f) => dirname(f.absolutePath)))];
  const walked = new Set(inputs.filter((f) => !f.explicit).map((f) => dirname(f.absolutePath)));
  const named = new Set(inputs.filter((f) => f.explicit).map((f) => f.path));
  const scan = await scanTerraform(dirs, options.cwd, options.terraform ?? { sources: [], env: {} }, standalone, options.limits, options.scanned);
  for (const file of standalone) walked.add(file.absolutePath);
  const findings: Finding[] = [];
  const files = new Set<string>();
  const seenFiles = new Set<string>();
  const dependencies = new Set<string>();
  for (const root of scan.roots) {
    const keep = (file: string) => walked.has(root.dir) || named.has(file);
    for (const file of root.files) {
      dependencies.add(file.source.absolutePath);
      if (seenFiles.has(file.source.path) || !keep(file.source.path)) continue;
      seenFiles.add(file.source.path);
      files.add(file.source.path);
      addComments(file.source.path, file.source.text);
      for (const d of file.diagnostics) findings.push(parseErrorFinding(file.source.path, d));
    }
    for (const f of checkNodes(root.nodes, TERRAFORM_KINDS, options.rules, options.declared)) if (keep(f.file)) findings.push(inRoot(f, root));
  }
  // A file named on the command line that no root read: its folder could not be listed.
  // A file the walk could not read (a looping link) is reported as its problem.
  for (const input of inputs) {
    if (input.problem !== undefined && !files.has(input.path)) {
      findings.push(parseErrorFinding(input.path, { message: input.problem, line: 1, column: 1 }));
      files.add(input.path);
      continue;
    }
    if (!input.explicit || files.has(input.path)) continue;
    let why = "its folder could not be read";
    try {
      readdirSync(dirname(input.absolutePath));
    } catch (e) {
      why = `its folder could not be read: ${readFailure(e)}`;
    }
    findings.push(parseErrorFinding(input.path, { message: `cannot read file: ${why}`, line: 1, column: 1 }));
    files.add(input.path);
  }
  const links: ModuleLinks = { followed: [], skipped: [] };
  for (const { path, absolutePath, target, why } of scan.links) {
    if (why === undefined) links.followed.push(path);
    else {
      links.skipped.push({ path, target, why });
      // One whose target may appear or change inside the scan (not one leading out of it, which is not read).
      if (!why.startsWith("a file outside")) dependencies.add(absolutePath);
    }
  }
  return { findings, files: [...files], notes: scan.notes, dependencies: [...dependencies], moduleLinks: links };
}

/** The symbolic links of the Terraform module folders read: the ones followed (paths as users see them), the others and why. */
export interface ModuleLinks {
  followed: string[];
  skipped: SkippedLink[];
}

/**
 * The links a scan did not follow: those the walks met, less the ones a Terraform module read
 * followed, with the ones it did not follow (its reason replaces the walk's), by path.
 */
export function linksNotFollowed(walked: readonly SkippedLink[], modules: readonly Partial<ModuleLinks>[]): SkippedLink[] {
  const followed = new Set(modules.flatMap((m) => m.followed ?? []));
  const out = new Map(walked.filter((l) => !followed.has(l.path)).map((l) => [l.path, l]));
  for (const m of modules) for (const l of m.skipped ?? []) out.set(l.path, l);
  return [...out.values()].sort(byPath);
}

/**
 * A Terraform finding as one of its root module's: it names the root, and when its file is a
 * module's outside the root's folder (shared by every root that calls it), its fingerprint
 * holds the root and it points also at the root's module call that leads to it.
 */
function inRoot(f: Finding, root: TerraformRoot): Finding {
  const rooted: Finding = { ...f, root: root.scope };
  if (rootOutsideFile(rooted) === undefined) return rooted;
  rooted.fingerprint = fingerprintInRoot(f.fingerprint, root.scope);
  const name = /^module\.([^.[]+)/.exec(f.address)?.[1];
  const call = name === undefined ? undefined : root.calls.get(name);
  if (call) rooted.related = [...(f.related ?? []), { ...call, message: `root module ${root.scope} calls module.${name} here` }];
  return rooted;
}

/** Lints Terraform JSON configuration found in a `.json` file as a root module of its own. */
export async function lintStandaloneTerraform(file: InputFile, text: string, options: TerraformOptions): Promise<LintOutcome> {
  const out = await lintTerraform([], options, () => undefined, [{ path: file.path, absolutePath: file.absolutePath, text }]);
  const note = `${file.path}: Terraform JSON configuration in a file Terraform does not read (only .tf.json is); linted as a root module of its own`;
  return { findings: out.findings, files: [file.path], notes: [note, ...out.notes] };
}

