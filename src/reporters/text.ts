/**
 * The default format, for people and editors: findings grouped under their file, one line each
 * (`line:col  severity  rule-id  address  message`) followed by a code frame, then notes and a
 * one-line summary. Suppressed findings are only counted.
 */
import { compareFindings, SEVERITIES, type Finding, type Severity } from "../findings/finding.js";
import { createCodeFrameRenderer } from "./code-frame.js";
import type { LintResult, ReportOptions } from "./report.js";
import { isSuppressed, summarize, type Summary } from "./summary.js";
import { paint, terminalSafe, type StyleFormat } from "./terminal-text.js";

const FRAME_INDENT = "    ";
const LABEL_WIDTH = Math.max("review".length, ...SEVERITIES.map((s) => s.length));

const SEVERITY_STYLE: Record<Severity, StyleFormat> = {
  critical: ["red", "bold"],
  high: "red",
  medium: "yellow",
  low: "blue",
  info: "gray",
};

export function formatText(result: LintResult, options: ReportOptions): string {
  const { color } = options;
  const frameFor = createCodeFrameRenderer(options.readSource, { color, indent: FRAME_INDENT });
  const shown = result.findings.filter((f) => !isSuppressed(f)).sort(compareFindings);
  const out: string[] = [];

  for (const group of groupByFile(shown)) {
    out.push(paint(color, "underline", terminalSafe(group[0]!.file)));
    const widths = columnWidths(group);
    for (const finding of group) {
      out.push(findingLine(finding, widths, color));
      for (const r of finding.related ?? []) {
        out.push(`${FRAME_INDENT}${paint(color, "dim", `${terminalSafe(oneLine(r.message))}: ${terminalSafe(r.file)}:${r.line}:${r.column}`)}`);
      }
      const frame = frameFor(finding.file, finding.position);
      if (frame !== undefined) out.push(frame, "");
    }
    if (out[out.length - 1] !== "") out.push("");
  }

  for (const note of result.notes) out.push(`${paint(color, "cyan", "note:")} ${terminalSafe(oneLine(note))}`);
  out.push(summaryLine(summarize(result.findings, result.files.length), color));
  return `${out.join("\n")}\n`;
}

/** Consecutive runs of the same file (the findings are sorted by file first). */
function groupByFile(findings: Finding[]): Finding[][] {
  const groups: Finding[][] = [];
  for (const finding of findings) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.file === finding.file) last.push(finding);
    else groups.push([finding]);
  }
  return groups;
}

interface Widths {
  location: number;
  ruleId: number;
  address: number;
}

function columnWidths(group: Finding[]): Widths {
  const widths = { location: 0, ruleId: 0, address: 0 };
  for (const f of group) {
    widths.location = Math.max(widths.location, location(f).length);
    widths.ruleId = Math.max(widths.ruleId, f.ruleId.length);
    widths.address = Math.max(widths.address, addressOf(f).length);
  }
  return widths;
}

function location(f: Finding): string {
  return `${f.position.line}:${f.position.column}`;
}

/** The resource: its address, and for CDK the construct path with the logical id. */
function addressOf(f: Finding): string {
  if (f.address === "") return "-";
  const name = f.logicalId ? `${f.address} (${f.logicalId})` : f.address;
  return terminalSafe(oneLine(name));
}

function findingLine(f: Finding, widths: Widths, color: boolean): string {
  const label =
    f.kind === "review"
      ? padded(paint(color, "magenta", "review"), "review", LABEL_WIDTH)
      : padded(paint(color, SEVERITY_STYLE[f.severity], f.severity), f.severity, LABEL_WIDTH);
  let message = oneLine(f.message);
  if (f.kind === "review" && f.reason && !message.includes(f.reason)) message += ` (undecided: ${oneLine(f.reason)})`;
  const ruleId = terminalSafe(f.ruleId);
  return [
    "",
    padded(paint(color, "dim", location(f)), location(f), widths.location),
    label,
    padded(paint(color, "dim", ruleId), ruleId, widths.ruleId),
    addressOf(f).padEnd(widths.address),
    terminalSafe(message),
  ].join("  ");
}

/** Pads outside the colour codes, so the padding is measured on the visible text. */
function padded(styled: string, plain: string, width: number): string {
  return styled + " ".repeat(Math.max(0, width - plain.length));
}

/** Multi-line text (parser messages) on one line, so every finding stays one line. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** `3 failures (1 high, 2 medium), 1 to review, 2 suppressed in 4 files`. */
export function summaryLine(summary: Summary, color: boolean): string {
  const inFiles = `in ${plural(summary.files, "file")}`;
  if (summary.failures + summary.reviews + summary.suppressed === 0) {
    return paint(color, "green", `No findings ${inFiles}`);
  }
  const parts: string[] = [];
  if (summary.failures > 0) {
    const bySeverity = SEVERITIES.filter((s) => summary.failuresBySeverity[s] > 0)
      .map((s) => `${summary.failuresBySeverity[s]} ${s}`)
      .join(", ");
    parts.push(`${plural(summary.failures, "failure")} (${bySeverity})`);
  } else {
    parts.push("No failures");
  }
  if (summary.reviews > 0) parts.push(`${summary.reviews} to review`);
  if (summary.suppressed > 0) parts.push(`${summary.suppressed} suppressed`);
  const style: StyleFormat = summary.failures > 0 ? ["red", "bold"] : summary.reviews > 0 ? "yellow" : "green";
  return paint(color, style, `${parts.join(", ")} ${inFiles}`);
}
