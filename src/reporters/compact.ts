/**
 * `--format compact`: one line per unsuppressed finding and nothing else, for editor problem
 * matchers and grep:
 *
 *     templates/web.yaml:11:11: high: Security group ... allows SSH (22) from 0.0.0.0/0 [sg-no-ssh-from-internet]
 *
 * Review findings use `review` in place of the severity. Findings of one problem (see
 * same-problem.ts) share the line of the most severe, which ends its message with
 * `(also: other-rule, ...)`. No header, no summary and no notes (the CLI writes notes to
 * stderr), so every line of the output is a finding.
 */
import type { Finding } from "../findings/finding.js";
import type { LintResult, ReportOptions } from "./report.js";
import { alsoReported, groupSameProblem } from "./same-problem.js";
import { listedFindings } from "./summary.js";
import { rootSuffix } from "../findings/terraform-root.js";
import { terminalSafe } from "./terminal-text.js";

export function formatCompact(result: LintResult, options: ReportOptions): string {
  const shown = listedFindings(result.findings, options.onlyFailing);
  const lines = groupSameProblem(shown, result.rules).map((entry) => compactLine(entry.lead, alsoReported(entry)));
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** `file:line:col: severity: message [rule-id]`, with control characters neutralised; `suffix` follows the message. */
export function compactLine(f: Finding, suffix = ""): string {
  const label = f.kind === "review" ? "review" : f.severity;
  const { line, column } = startOf(f);
  return terminalSafe(`${oneLine(f.file)}:${line}:${column}: ${label}: ${oneLine(findingMessageLine(f) + rootSuffix(f) + suffix)} [${oneLine(f.ruleId)}]`);
}

/**
 * The finding's message on one line; for a review finding followed by
 * ` (undecided: reason)` unless the message already states the reason.
 */
export function findingMessageLine(f: Finding): string {
  let message = oneLine(f.message);
  if (f.kind === "review" && f.reason) {
    const reason = oneLine(f.reason);
    if (reason !== "" && !message.includes(reason)) message += ` (undecided: ${reason})`;
  }
  return message;
}

/** 1-based start line and column, whatever the parser recorded. */
function startOf(f: Finding): { line: number; column: number } {
  return {
    line: Math.max(1, Math.trunc(f.position.line) || 1),
    column: Math.max(1, Math.trunc(f.position.column) || 1),
  };
}

/** Line breaks (and the blanks around them) folded into one space. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ").trim();
}
