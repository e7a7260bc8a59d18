/**
 * The pipeline: discover → parse → adapt → graph → evaluate → report data.
 */
import { dirname } from "node:path";
import { compareFindings, type Finding } from "../findings/finding.js";
import { fingerprint } from "../findings/fingerprint.js";
import { ResourceGraph, type GraphNode } from "../graph/graph.js";
import { mapResource, type KindSpec } from "../graph/mapping.js";
import { linkScope } from "../graph/link.js";
import { discover, type InputFile } from "../discovery/discover.js";
import { CLOUDFORMATION_KINDS } from "../parsers/cloudformation/adapters.js";
import { loadTemplate, mayBeTemplate } from "../parsers/cloudformation/template.js";
import type { Diagnostic } from "../parsers/cloudformation/source.js";
import { displayAddress, runRules } from "../rules/engine.js";
import { applyCommentSuppressions, CommentSuppressions } from "../suppressions/comments.js";
import { applySuppressions, type SuppressionSpec } from "../suppressions/suppression.js";
import type { Rule } from "../rules/rule.js";
import { countAssemblyTemplates, readAssembly } from "../parsers/cdk/assembly.js";
import { TERRAFORM_KINDS } from "../parsers/terraform/adapters.js";
import { isPlanJson, readPlan } from "../parsers/terraform/plan.js";
import type { VariableOptions } from "../parsers/terraform/variable-options.js";
import { checkTextSize, withBudget } from "../limits/budget.js";
import { LimitExceeded, type Limits } from "../limits/limits.js";
import { readFailure, readSourceText } from "../source/read.js";

export interface LintOptions {
  paths: string[];
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
  /** Receives the comment suppressions of the files read. */
  comments?: CommentSuppressions;
  /** Told how many inputs there are, then after each one how far the run is. */
  progress?: (done: number, total: number, findings: number) => void;
  /** Limits on size, depth, alias expansion and time per file (defaults: DEFAULT_LIMITS). */
  limits?: Partial<Limits>;
}

export interface LintOutcome {
  findings: Finding[];
  files: string[];
  notes: string[];
  /** The suppressions written in the linted files (comments and Metadata). */
  suppressions?: SuppressionSpec[];
}


export function parseErrorFinding(file: string, d: Diagnostic): Finding {
  return {
    ruleId: "parse-error",
    severity: "high",
    kind: "fail",
    message: d.message,
    file,
    position: { line: d.line, column: d.column, endLine: d.line, endColumn: d.column },
    address: "",
    fingerprint: fingerprint("parse-error", file, "", d.message),
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
}

/** Lints one file's text on its own (a CloudFormation template is one deployment). */
const PLAN_HINT = /"format_version"\s*:/;

/** Lints a `terraform show -json` plan: values from the plan, positions from the .tf files beside it when present. */
function lintPlan(file: InputFile, text: string, options: Pick<LintOptions, "rules" | "cwd" | "declared">): FileOutcome | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlanJson(data)) return undefined;
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

export function lintText(file: InputFile, text: string, options: Pick<LintOptions, "rules" | "parameters" | "parametersFor" | "declared" | "limits"> & { cwd?: string }): FileOutcome {
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

function lintTextWithinLimits(file: InputFile, text: string, options: Pick<LintOptions, "rules" | "parameters" | "parametersFor" | "declared"> & { cwd?: string }): FileOutcome {
  if (/\.json$/i.test(file.path) && PLAN_HINT.test(text.slice(0, 4096))) {
    const outcome = lintPlan(file, text, { rules: options.rules, cwd: options.cwd ?? process.cwd(), ...(options.declared ? { declared: options.declared } : {}) });
    if (outcome) return outcome;
  }
  if (!mayBeTemplate(text)) {
    return { linted: false, findings: [], ...(file.explicit ? { note: `${file.path}: not a CloudFormation template (no AWSTemplateFormatVersion and no Resources with an AWS:: or Custom:: Type); skipped` } : {}) };
  }
  const result = loadTemplate(file.path, file.absolutePath, text, { parameters: options.parametersFor?.(file.path) ?? options.parameters ?? {} });
  if (!result.isTemplate) {
    return { linted: false, findings: [], ...(file.explicit ? { note: `${file.path}: not a CloudFormation template; skipped` } : {}) };
  }
  const findings = result.diagnostics.map((d) => parseErrorFinding(file.path, d));
  findings.push(...checkNodes(result.nodes, CLOUDFORMATION_KINDS, options.rules, options.declared));
  return { linted: true, findings };
}

function readText(file: InputFile, limits?: Partial<Limits>): string | Diagnostic {
  try {
    if (file.problem) return { message: file.problem, line: 1, column: 1 };
    return withBudget(limits, () => readSourceText(file.absolutePath));
  } catch (e) {
    return { message: readFailure(e), line: 1, column: 1 };
  }
}

/**
 * Lints a CDK cloud assembly: all its stacks (Stages and nested stacks included) in one
 * graph; findings name construct paths and point also at the user's code that made them.
 */
function lintAssembly(input: InputFile, options: LintOptions): { findings: Finding[]; files: string[] } {
  const templates = countAssemblyTemplates(input.absolutePath);
  return withinLimits(input.path, options.limits, () => lintAssemblyWithinLimits(input, options), (f) => ({ findings: [f], files: [input.path] }), templates);
}

function lintAssemblyWithinLimits(input: InputFile, options: LintOptions): { findings: Finding[]; files: string[] } {
  const assembly = readAssembly(input.absolutePath, options.cwd, options.parameters ?? {});
  const findings = assembly.diagnostics.map((d) => parseErrorFinding(d.file, d.diagnostic));
  for (const f of checkNodes(assembly.nodes, CLOUDFORMATION_KINDS, options.rules, options.declared)) {
    const frame = assembly.traces.get(f.address);
    findings.push(frame ? { ...f, related: [{ ...frame, message: `${f.address} is created here` }] } : f);
  }
  return { findings, files: assembly.files };
}

function isTerraformPath(path: string): boolean {
  return path.endsWith(".tf") || path.endsWith(".tf.json");
}

/** Removes repeated findings (the instances of one counted resource fail alike). */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.fingerprint}\u0000${f.kind}\u0000${f.position.line}\u0000${f.position.column}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Lints the Terraform files found: every root module among their folders. A file named on
 * the command line is evaluated with its whole folder, and only findings in the named files
 * are reported (the pre-commit case).
 */
async function lintTerraform(inputs: InputFile[], options: LintOptions): Promise<LintOutcome> {
  const { scanTerraform } = await import("../parsers/terraform/project.js");
  const dirs = [...new Set(inputs.map((f) => dirname(f.absolutePath)))];
  const walked = new Set(inputs.filter((f) => !f.explicit).map((f) => dirname(f.absolutePath)));
  const named = new Set(inputs.filter((f) => f.explicit).map((f) => f.path));
  const scan = await scanTerraform(dirs, options.cwd, options.terraform ?? { sources: [], env: {} }, options.limits);
  const findings: Finding[] = [];
  const files = new Set<string>();
  const seenFiles = new Set<string>();
  for (const root of scan.roots) {
    const keep = (file: string) => walked.has(root.dir) || named.has(file);
    for (const file of root.files) {
      if (seenFiles.has(file.source.path) || !keep(file.source.path)) continue;
      seenFiles.add(file.source.path);
      files.add(file.source.path);
      options.comments?.add(file.source.path, file.source.text);
      for (const d of file.diagnostics) findings.push(parseErrorFinding(file.source.path, d));
    }
    findings.push(...checkNodes(root.nodes, TERRAFORM_KINDS, options.rules, options.declared).filter((f) => keep(f.file)));
  }
  return { findings, files: [...files], notes: scan.notes };
}

export async function lint(lintOptions: LintOptions): Promise<LintOutcome> {
  // Metadata suppressions of the checked resources are collected for unused-suppression reports.
  const metadataDeclared: SuppressionSpec[] = [];
  const comments = new CommentSuppressions();
  const options: LintOptions = { ...lintOptions, declared: metadataDeclared, comments };
  const inputs = await discover(options.paths, options.cwd);
  const findings: Finding[] = [];
  const files: string[] = [];
  const notes: string[] = [];
  const terraform = inputs.filter((f) => !f.assembly && isTerraformPath(f.absolutePath));
  for (const file of inputs.filter((f) => f.assembly)) {
    const outcome = lintAssembly(file, options);
    findings.push(...outcome.findings);
    files.push(...outcome.files);
  }
  let done = 0;
  const step = () => options.progress?.(++done, inputs.length, findings.length);
  for (const file of inputs) {
    if (file.assembly || isTerraformPath(file.absolutePath)) continue;
    step();
    const text = readText(file, options.limits);
    if (typeof text !== "string") {
      findings.push(parseErrorFinding(file.path, text));
      files.push(file.path);
      continue;
    }
    const outcome = lintText(file, text, options);
    if (outcome.linted) {
      files.push(file.path);
      comments.add(file.path, text);
    }
    if (outcome.note) notes.push(outcome.note);
    findings.push(...outcome.findings);
  }
  if (terraform.length > 0) {
    const tf = await lintTerraform(terraform, options);
    findings.push(...tf.findings);
    files.push(...tf.files);
    notes.push(...tf.notes);
  }
  files.sort();
  const result = applyCommentSuppressions(dedupe(findings), comments).sort(compareFindings);
  // Every suppression the linted files declare, so that unused ones can be reported.
  return { findings: result, files, notes, suppressions: [...comments.all(), ...metadataDeclared] };
}
