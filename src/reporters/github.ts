/**
 * `--format github`: GitHub Actions workflow commands, one per unsuppressed finding, which the
 * runner turns into annotations on the pull request's changed files:
 *
 *     ::error file=templates/web.yaml,line=11,col=11,endLine=11,endColumn=28,title=sg-no-ssh-from-internet%3A ...::Security group ...
 *
 * `error` for critical and high, `warning` for medium, `notice` for low, info and every review
 * finding. Findings of one problem (see same-problem.ts) make one annotation, of the most
 * severe, whose message names the other rules. Values are escaped as `@actions/core` escapes them, so a message cannot end the
 * command early or start another one.
 */
import { compareFindings, type Finding, type Severity } from "../findings/finding.js";
import { findingMessageLine } from "./compact.js";
import { rootSuffix } from "../findings/terraform-root.js";
import type { LintResult, ReportOptions } from "./report.js";
import { alsoReported, groupSameProblem } from "./same-problem.js";
import { isSuppressed } from "./summary.js";

type AnnotationCommand = "error" | "warning" | "notice";

const COMMAND: Record<Severity, AnnotationCommand> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "notice",
  info: "notice",
};

export function formatGithub(result: LintResult, _options: ReportOptions): string {
  const titles = new Map<string, string>();
  for (const rule of result.rules) if (!titles.has(rule.id)) titles.set(rule.id, rule.title);
  const shown = result.findings.filter((f) => !isSuppressed(f)).sort(compareFindings);
  const lines = groupSameProblem(shown, result.rules).map((entry) => workflowCommand(entry.lead, titles.get(entry.lead.ruleId), alsoReported(entry)));
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function workflowCommand(f: Finding, ruleTitle: string | undefined, suffix: string): string {
  const command: AnnotationCommand = f.kind === "review" ? "notice" : COMMAND[f.severity];
  const properties: [string, string | number][] = [["file", f.file], ...region(f)];
  properties.push(["title", ruleTitle ? `${f.ruleId}: ${ruleTitle}` : f.ruleId]);
  const props = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(",");
  return `::${command} ${props}::${escapeData(annotationMessage(f, suffix))}`;
}

/**
 * The location properties. The runner rejects columns on an annotation that spans several
 * lines and an end before the start, so a multi-line finding is annotated by whole lines and
 * an end that is not a real position is left out.
 */
function region(f: Finding): [string, number][] {
  const { line, column, endLine, endColumn } = f.position;
  const startLine = Math.max(1, Math.trunc(line) || 1);
  const startColumn = Math.max(1, Math.trunc(column) || 1);
  const hasEndLine = Number.isInteger(endLine) && endLine >= startLine;
  if (hasEndLine && endLine > startLine) return [["line", startLine], ["endLine", endLine]];
  const out: [string, number][] = [["line", startLine], ["col", startColumn]];
  if (hasEndLine && Number.isInteger(endColumn) && endColumn >= startColumn) out.push(["endLine", endLine], ["endColumn", endColumn]);
  return out;
}

/**
 * The finding's message (with the undecided reason for review findings); for a CDK resource,
 * followed by where the construct was created, from the first related location. A finding is
 * from CDK when its format says so or when it names a logical id beside its construct path
 * (the CDK parser reports synthesized templates with format `cloudformation`).
 */
function annotationMessage(f: Finding, suffix: string): string {
  const message = (f.kind === "review" ? findingMessageLine(f) : f.message) + rootSuffix(f) + suffix;
  const fromCdk = f.format === "cdk" || f.logicalId !== undefined;
  const created = fromCdk ? f.related?.[0] : undefined;
  return created ? `${message} (created at ${created.file}:${created.line})` : message;
}

/** The command's message, as `@actions/core`'s `escapeData`. */
export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A `key=value` property, as `@actions/core`'s `escapeProperty`. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
