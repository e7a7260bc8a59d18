/**
 * `--format json`: a stable, versioned document for scripts. docs/json-format.md describes
 * every field; additive changes keep `version: 1`, anything else raises it.
 */
import { compareFindings, type Finding, type FindingKind, type Severity, type SourceFormat, type RelatedLocation, type Suppression } from "../findings/finding.js";
import type { LintResult, ReportOptions } from "./report.js";
import { summarize, type Summary } from "./summary.js";
import { ITEMS, jsonChunks } from "./json-chunks.js";
import { entriesByFinding, groupSameProblem, type ProblemEntry } from "./same-problem.js";

export const JSON_FORMAT_VERSION = 1;

export interface JsonReport {
  version: typeof JSON_FORMAT_VERSION;
  tool: { name: "parapet"; version: string };
  summary: Summary;
  files: string[];
  findings: JsonFinding[];
  notes: string[];
  /** Symbolic links the walks met and did not follow (what each leads to). */
  links: { path: string; target: string; why: string }[];
}

/** One finding; optional values are `null`, so every finding has every key. */
export interface JsonFinding {
  ruleId: string;
  severity: Severity;
  kind: FindingKind;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  address: string;
  logicalId: string | null;
  propertyPath: string | null;
  resourceType: string | null;
  format: SourceFormat | null;
  reason: string | null;
  fingerprint: string;
  suppressions: Suppression[];
  related: RelatedLocation[];
  /** Terraform: the folder of the root module the finding was evaluated in; else null. */
  root: string | null;
  /** The other findings of the same problem (text formats show them as one entry), or null. */
  sameProblem: JsonSameProblem | null;
}

export interface JsonSameProblem {
  /** This finding is the one the entry shows (the most severe). */
  lead: boolean;
  /** The other findings of the problem. */
  others: { ruleId: string; fingerprint: string }[];
}

export function toJsonReport(result: LintResult): JsonReport {
  return {
    version: JSON_FORMAT_VERSION,
    tool: { name: "parapet", version: result.version },
    summary: summarize(result.findings, result.files.length),
    files: [...result.files],
    findings: jsonFindings([...result.findings].sort(compareFindings), result),
    notes: [...result.notes],
    links: (result.links ?? []).map(({ path, target, why }) => ({ path, target, why })),
  };
}

function jsonFindings(sorted: Finding[], result: LintResult): JsonFinding[] {
  const problems = entriesByFinding(groupSameProblem(sorted, result.rules));
  return sorted.map((f) => toJsonFinding(f, problems.get(f)));
}

function sameProblemOf(f: Finding, problem: ProblemEntry | undefined): JsonSameProblem | null {
  if (!problem) return null;
  const others = [problem.lead, ...problem.others].filter((m) => m !== f);
  return { lead: f === problem.lead, others: others.map((m) => ({ ruleId: m.ruleId, fingerprint: m.fingerprint })) };
}

function toJsonFinding(f: Finding, problem: ProblemEntry | undefined): JsonFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    kind: f.kind,
    message: f.message,
    file: f.file,
    line: f.position.line,
    column: f.position.column,
    endLine: f.position.endLine,
    endColumn: f.position.endColumn,
    address: f.address,
    logicalId: f.logicalId ?? null,
    propertyPath: f.propertyPath ?? null,
    resourceType: f.resourceType ?? null,
    format: f.format ?? null,
    reason: f.reason ?? null,
    fingerprint: f.fingerprint,
    suppressions: (f.suppressions ?? []).map((s) => ({ kind: s.kind, justification: s.justification })),
    related: (f.related ?? []).map((r) => ({ file: r.file, line: r.line, column: r.column, message: r.message })),
    root: f.root ?? null,
    sameProblem: sameProblemOf(f, problem),
  };
}

export function formatJson(result: LintResult, options: ReportOptions): string {
  return [...jsonReportChunks(result, options)].join("");
}

/** The report in pieces: the text of `formatJson`, without holding all of it at once. */
export function jsonReportChunks(result: LintResult, _options: ReportOptions): Iterable<string> {
  const findings = [...result.findings].sort(compareFindings);
  const problems = entriesByFinding(groupSameProblem(findings, result.rules));
  return jsonChunks({ ...toJsonReport({ ...result, findings: [] }), summary: summarize(result.findings, result.files.length), findings: ITEMS }, findings, (f) => toJsonFinding(f, problems.get(f)));
}
