/**
 * `--format sarif`: SARIF 2.1.0 as DESIGN.md's "SARIF contract" describes, for GitHub code
 * scanning and other SARIF consumers. Suppressed findings stay in the log with `suppressions`.
 * Every finding stays a result; results of one problem (see same-problem.ts) point at each
 * other with `relatedLocations`, which their messages link to.
 */
import { compareFindings, type Finding, type Severity } from "../findings/finding.js";
import { fileRulesUsed } from "../findings/file-rules.js";
import type { Rule } from "../model/rule.js";
import { ITEMS, jsonChunks } from "./json-chunks.js";
import type { LintResult, ReportOptions } from "./report.js";
import { rootSuffix } from "../findings/terraform-root.js";
import { entriesByFinding, groupSameProblem, type ProblemEntry } from "./same-problem.js";

export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/** The base id that artifact locations inside the working directory are relative to. */
export const SOURCE_ROOT_ID = "%SRCROOT%";
/** Key of parapet's fingerprint in `partialFingerprints`; bump the suffix if its recipe changes. */
export const FINGERPRINT_KEY = "parapet/v1";

type SarifLevel = "error" | "warning" | "note" | "none";

/** GitHub code scanning's numeric severity scale (0.1–10, "high" from 7.0, "critical" from 9.0). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "1.0",
};

const LEVEL: Record<Severity, SarifLevel> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};

/** GitHub's `problem.severity` for non-security views. */
const PROBLEM_SEVERITY: Record<Severity, "error" | "warning" | "recommendation"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "recommendation",
  info: "recommendation",
};

export function formatSarif(result: LintResult, options: ReportOptions): string {
  return [...sarifChunks(result, options)].join("");
}

/** The SARIF log in pieces: the text of `formatSarif`, without holding all of it at once. */
export function sarifChunks(result: LintResult, options: Pick<ReportOptions, "baseUri">): Iterable<string> {
  const findings = [...result.findings].sort(compareFindings);
  const { log, ruleIndex } = sarifShell(result, findings, options);
  const problems = entriesByFinding(groupSameProblem(findings, result.rules));
  return jsonChunks(log, findings, (f) => toResult(f, ruleIndex.get(f.ruleId), problems.get(f)));
}

export function toSarifLog(result: LintResult, options: Pick<ReportOptions, "baseUri">): Record<string, unknown> {
  const findings = [...result.findings].sort(compareFindings);
  const { log, ruleIndex } = sarifShell(result, findings, options);
  const problems = entriesByFinding(groupSameProblem(findings, result.rules));
  (log.runs as Record<string, unknown>[])[0]!.results = findings.map((f) => toResult(f, ruleIndex.get(f.ruleId), problems.get(f)));
  return log;
}

/** The log with everything but the results (a marker holds their place). */
function sarifShell(result: LintResult, findings: readonly Finding[], options: Pick<ReportOptions, "baseUri">): { log: Record<string, unknown>; ruleIndex: Map<string, number> } {
  const rules = rulesInLog(result.rules, findings);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));

  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: "parapet",
        version: result.version,
        semanticVersion: result.version,
        rules: rules.map(toReportingDescriptor),
      },
    },
  };
  if (options.baseUri !== undefined) {
    run.originalUriBaseIds = { [SOURCE_ROOT_ID]: { uri: withTrailingSlash(options.baseUri) } };
  }
  // The working directory is also the invocation's: GitHub code scanning takes it as the
  // checkout path when the upload gives none, to place absolute `file:` URIs in the repository.
  const invocation: Record<string, unknown> = { executionSuccessful: true };
  if (options.baseUri !== undefined) invocation.workingDirectory = { uri: withTrailingSlash(options.baseUri) };
  if (result.notes.length > 0) invocation.toolExecutionNotifications = result.notes.map((note) => ({ level: "note", message: { text: note } }));
  if (Object.keys(invocation).length > 1) run.invocations = [invocation];
  run.columnKind = "utf16CodeUnits";
  run.results = ITEMS;

  return { log: { $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs: [run] }, ruleIndex };
}

/** The rules that ran, each once, plus the file-level diagnostics (parse-error, ...) that findings use. */
function rulesInLog(rules: readonly Rule[], findings: readonly Finding[]): Rule[] {
  const byId = new Map<string, Rule>();
  for (const rule of rules) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  for (const rule of fileRulesUsed([...byId.values()], findings)) byId.set(rule.id, rule);
  return [...byId.values()];
}

/** `sg-no-ssh-from-internet` → `SgNoSshFromInternet`. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");
}

function toReportingDescriptor(rule: Rule): Record<string, unknown> {
  const descriptor: Record<string, unknown> = {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
  };
  if (rule.help_uri) descriptor.helpUri = rule.help_uri;
  descriptor.defaultConfiguration = { level: LEVEL[rule.severity] };
  descriptor.properties = {
    "security-severity": SECURITY_SEVERITY[rule.severity],
    tags: ["security", rule.category],
    precision: "high",
    "problem.severity": PROBLEM_SEVERITY[rule.severity],
  };
  return descriptor;
}

function complianceLines(rule: Rule): string[] {
  return Object.entries(rule.compliance ?? {}).map(([framework, controls]) => `${framework}: ${controls.join(", ")}`);
}

function helpText(rule: Rule): string {
  const parts = [`Why: ${rule.rationale}`, `How to fix: ${rule.remediation}`];
  const compliance = complianceLines(rule);
  if (compliance.length > 0) parts.push(`Compliance: ${compliance.join("; ")}`);
  return parts.join("\n\n");
}

function helpMarkdown(rule: Rule): string {
  const parts = [`**Why:** ${rule.rationale}`, `**How to fix:** ${rule.remediation}`];
  const compliance = complianceLines(rule);
  if (compliance.length > 0) parts.push(`**Compliance:**\n\n${compliance.map((line) => `- ${line}`).join("\n")}`);
  return parts.join("\n\n");
}

function toResult(f: Finding, ruleIndex: number | undefined, problem: ProblemEntry | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = { ruleId: f.ruleId };
  if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
  result.kind = f.kind;
  // SARIF §3.27.10: a result whose kind is not "fail" must have level "none".
  result.level = f.kind === "fail" ? LEVEL[f.severity] : "none";
  const sameProblem = problem ? sameProblemLocations(f, problem, f.related?.length ?? 0) : [];
  result.message = { text: f.message + rootSuffix(f) + sameProblemNote(f, problem, sameProblem) };

  const location: Record<string, unknown> = {
    physicalLocation: {
      artifactLocation: artifactLocation(f.file),
      region: toRegion(f),
    },
  };
  if (f.address !== "") location.logicalLocations = [{ fullyQualifiedName: f.address, ...(f.logicalId ? { name: f.logicalId } : {}), kind: "resource" }];
  result.locations = [location];
  const related = (f.related ?? []).map((r, id) => ({
    id,
    physicalLocation: {
      artifactLocation: artifactLocation(r.file),
      region: { startLine: Math.max(1, r.line), startColumn: Math.max(1, r.column) },
    },
    message: { text: r.message },
  }));
  if (related.length + sameProblem.length > 0) result.relatedLocations = [...related, ...sameProblem];
  result.partialFingerprints = { [FINGERPRINT_KEY]: f.fingerprint };

  const properties: Record<string, string> = {};
  if (f.reason) properties.reason = f.reason;
  if (f.format) properties.format = f.format;
  if (f.resourceType) properties.resourceType = f.resourceType;
  if (f.propertyPath) properties.propertyPath = f.propertyPath;
  if (f.logicalId) properties.logicalId = f.logicalId;
  if (f.root !== undefined) properties.root = f.root;
  if (Object.keys(properties).length > 0) result.properties = properties;

  if (f.suppressions && f.suppressions.length > 0) {
    result.suppressions = f.suppressions.map((s) => ({ kind: s.kind, status: "accepted", justification: s.justification }));
  }
  return result;
}

/**
 * The other findings of the problem as related locations, numbered from `firstId`: where each
 * was reported, with its rule id and fingerprint in the location's properties.
 */
function sameProblemLocations(f: Finding, problem: ProblemEntry, firstId: number): Record<string, unknown>[] {
  const members = [problem.lead, ...problem.others].filter((m) => m !== f);
  return members.map((m, i) => ({
    id: firstId + i,
    physicalLocation: { artifactLocation: artifactLocation(m.file), region: toRegion(m) },
    message: { text: `${m === problem.lead ? "Main finding of this problem" : "Same problem"}: ${m.ruleId}` },
    properties: { ruleId: m.ruleId, fingerprint: m.fingerprint },
  }));
}

/** ` Also reported by [rule](id), ...` on the main finding, ` Part of the problem reported by [rule](id)` on the others. */
function sameProblemNote(f: Finding, problem: ProblemEntry | undefined, locations: Record<string, unknown>[]): string {
  if (!problem || locations.length === 0) return "";
  const link = (l: Record<string, unknown>) => `[${(l.properties as { ruleId: string }).ruleId}](${l.id as number})`;
  if (f === problem.lead) return `. Also reported by ${locations.map(link).join(", ")}.`;
  return `. Part of the problem reported by ${link(locations[0]!)}.`;
}

/** 1-based region; the end is kept only when it is a real position at or after the start. */
function toRegion(f: Finding): Record<string, number> {
  const { line, column, endLine, endColumn } = f.position;
  const startLine = Math.max(1, Math.trunc(line) || 1);
  const startColumn = Math.max(1, Math.trunc(column) || 1);
  const region: Record<string, number> = { startLine, startColumn };
  const endOk =
    Number.isInteger(endLine) &&
    Number.isInteger(endColumn) &&
    endColumn >= 1 &&
    (endLine > startLine || (endLine === startLine && endColumn >= startColumn));
  if (endOk) {
    region.endLine = endLine;
    region.endColumn = endColumn;
  }
  return region;
}

/**
 * Where a finding's file is, as SARIF writes it. A file inside the working directory has a
 * relative path, written as a URI reference relative to {@link SOURCE_ROOT_ID}; a file outside
 * it has an absolute path (POSIX `/…`, Windows `C:/…` or `//server/share/…`, as
 * `displayPath` and CDK traces give them), written as an absolute `file:` URI without a base
 * id (SARIF §3.4.4: a `uriBaseId` only goes with a relative reference).
 */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  // Findings come grouped by file: the last answer is usually the next one.
  if (file !== lastLocation.file) {
    const uri = fileUri(file);
    lastLocation = { file, location: uri === undefined ? { uri: relativeUri(file), uriBaseId: SOURCE_ROOT_ID } : { uri } };
  }
  return { ...lastLocation.location };
}
let lastLocation: { file: string; location: { uri: string; uriBaseId?: string } } = { file: "", location: { uri: "" } };

/** A `/`-separated relative path as a relative URI reference (spaces, `#`, `%`, `:` escaped). */
export function relativeUri(file: string): string {
  return file.split("/").map(encodeSegment).join("/");
}

/**
 * The `file:` URI of an absolute `/`-separated path (RFC 8089), or undefined when the path is
 * relative: `/srv/a b.yaml` → `file:///srv/a%20b.yaml`, `C:/infra/x.yaml` →
 * `file:///C:/infra/x.yaml`, `//server/share/x.yaml` → `file://server/share/x.yaml`. Windows
 * long-path prefixes (`//?/C:/…`, `//?/UNC/server/…`) are dropped first.
 */
export function fileUri(file: string): string | undefined {
  const path = file.replace(/^\/\/[?.]\/(?=[A-Za-z]:\/)/, "").replace(/^\/\/[?.]\/UNC\//, "//");
  const drive = /^([A-Za-z]:)(\/.*)?$/.exec(path);
  if (drive) return `file:///${drive[1]}${relativeUri(drive[2] ?? "/")}`;
  const unc = /^\/\/([^/]+)(\/.*)?$/.exec(path);
  if (unc) return `file://${encodeSegment(unc[1]!)}${relativeUri(unc[2] ?? "/")}`;
  if (path.startsWith("/")) return `file://${relativeUri(path)}`;
  return undefined;
}

/** One path segment, percent-encoded as UTF-8; a lone surrogate (possible in Windows names) becomes U+FFFD. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD"));
}

function withTrailingSlash(uri: string): string {
  return uri.endsWith("/") ? uri : `${uri}/`;
}
