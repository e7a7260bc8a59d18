/**
 * The default format, for people and editors: findings grouped under their file, one line each
 * (`line:col  severity  rule-id  address  message`) followed by a code frame, then notes and a
 * one-line summary. Findings of one problem (see same-problem.ts) share one line, led by the
 * most severe, that names the other rules. Suppressed findings are only counted.
 */
import { SEVERITIES, type Finding, type Severity } from "../findings/finding.js";
import { createCodeFrameRenderer } from "./code-frame.js";
import type { LintResult, ReportOptions } from "./report.js";
import { alsoReported, groupSameProblem, type ProblemEntry } from "./same-problem.js";
import { listedFindings, summarize, type Summary } from "./summary.js";
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
  const quiet = options.onlyFailing;
  const shown = groupSameProblem(listedFindings(result.findings, quiet), result.rules);
  const out: string[] = [];

  for (const group of groupByFile(shown)) {
    out.push(paint(color, "underline", terminalSafe(group[0]!.lead.file)));
    const widths = columnWidths(group.map((e) => e.lead));
    for (const entry of group) {
      const finding = entry.lead;
      out.push(findingLine(entry, widths, color));
      for (const r of finding.related ?? []) {
        out.push(`${FRAME_INDENT}${paint(color, "dim", `${terminalSafe(oneLine(r.message))}: ${terminalSafe(r.file)}:${r.line}:${r.column}`)}`);
      }
      const frame = frameFor(finding.file, finding.position);
      if (frame !== undefined) out.push(frame, "");
    }
    if (out[out.length - 1] !== "") out.push("");
  }

  if (!quiet) for (const note of result.notes) out.push(`${paint(color, "cyan", "note:")} ${terminalSafe(oneLine(note))}`);
  out.push(summaryLine(summarize(result.findings, result.files.length), color, quiet ? undefined : shown.length));
  return `${out.join("\n")}\n`;
}

/** Consecutive runs of the same file (the findings are sorted by file first). */
function groupByFile(entries: ProblemEntry[]): ProblemEntry[][] {
  const groups: ProblemEntry[][] = [];
  for (const entry of entries) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.lead.file === entry.lead.file) last.push(entry);
    else groups.push([entry]);
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

function findingLine(entry: ProblemEntry, widths: Widths, color: boolean): string {
  const f = entry.lead;
  const label =
    f.kind === "review"
      ? padded(paint(color, "magenta", "review"), "review", LABEL_WIDTH)
      : padded(paint(color, SEVERITY_STYLE[f.severity], f.severity), f.severity, LABEL_WIDTH);
  let message = oneLine(f.message);
  if (f.kind === "review" && f.reason && !message.includes(f.reason)) message += ` (undecided: ${oneLine(f.reason)})`;
  message += alsoReported(entry);
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
  if (count === 1) return `${count} ${word}`;
  return `${count} ${word.endsWith("y") ? `${word.slice(0, -1)}ies` : `${word}s`}`;
}

/**
 * `3 failures (1 high, 2 medium), 1 to review, 2 suppressed in 4 files`: counts of findings.
 * When findings of one problem share an entry, `shown as N entries` says how many lines the
 * failures and reviews take.
 */
export function summaryLine(summary: Summary, color: boolean, entries?: number): string {
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
  if (entries !== undefined && entries < summary.failures + summary.reviews) parts.push(`shown as ${plural(entries, "entry")}`);
  if (summary.suppressed > 0) parts.push(`${summary.suppressed} suppressed`);
  const style: StyleFormat = summary.failures > 0 ? ["red", "bold"] : summary.reviews > 0 ? "yellow" : "green";
  return paint(color, style, `${parts.join(", ")} ${inFiles}`);
}
