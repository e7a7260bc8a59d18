/**
 * `--format markdown`: a summary to post as a pull-request comment. A heading with the totals,
 * a table of the failing findings (most severe first), then collapsed sections for the findings to review (with
 * why they are undecided) and the suppressed ones (with their justification), then the notes.
 * Failing and review findings of one problem (see same-problem.ts) share a row, led by the
 * most severe, whose message names the other rules.
 *
 * GitHub rejects comments over 65,536 characters, so the tables stop after {@link MAX_ROWS}
 * rows in all, or earlier if the text would pass {@link MAX_CHARS}, and say how many rows
 * were left out; long cells are shortened.
 */
import { compareFindings, severityRank, type Finding } from "../findings/finding.js";
import { findingMessageLine } from "./compact.js";
import { rootSuffix } from "../findings/terraform-root.js";
import type { LintResult, ReportOptions } from "./report.js";
import { alsoReported, groupSameProblem } from "./same-problem.js";
import { isSuppressed, summarize } from "./summary.js";
import { summaryLine } from "./text.js";

/** Table rows in the whole comment (failing, review and suppressed tables together). */
export const MAX_ROWS = 200;
/** Characters in the whole comment, well below GitHub's 65,536. */
export const MAX_CHARS = 60_000;
/** Characters of one cell before escaping; longer text is cut with an ellipsis. */
const MAX_CELL = 300;
/** Room kept for the text that closes the comment after the tables stop. */
const CLOSING_RESERVE = 2_000;

export function formatMarkdown(result: LintResult, _options: ReportOptions): string {
  const summary = summarize(result.findings, result.files.length);
  const findings = [...result.findings].sort(compareFindings);
  // Most severe first (stable, so file order within a severity): if the table is cut, what is
  // left out is the least severe.
  const failing = groupSameProblem(
    findings.filter((f) => !isSuppressed(f) && f.kind === "fail"),
    result.rules,
  ).sort((a, b) => severityRank(b.lead.severity) - severityRank(a.lead.severity));
  const review = groupSameProblem(
    findings.filter((f) => !isSuppressed(f) && f.kind === "review"),
    result.rules,
  );
  const suppressed = findings.filter(isSuppressed);

  const out = new Budget();
  out.add(`### parapet: ${summaryLine(summary, false, failing.length + review.length)}`, "");

  if (failing.length > 0) {
    out.table(
      ["Severity", "Rule", "Resource", "Location", "Message"],
      failing.map((entry) => () => {
        const f = entry.lead;
        return [f.severity, f.ruleId, resourceOf(f), locationOf(f), findingMessageLine(f) + alsoReported(entry)];
      }),
      ["failing entry", "failing entries"],
    );
  } else if (findings.length > 0) {
    out.add("No failing findings.", "");
  } else {
    out.add("No findings.", "");
  }

  if (review.length > 0) {
    out.add("<details>", `<summary>${plural(summary.reviews, "finding")} to review</summary>`, "");
    out.table(
      ["Rule", "Resource", "Location", "Message", "Why undecided"],
      review.map((entry) => () => {
        const f = entry.lead;
        return [f.ruleId, resourceOf(f), locationOf(f), oneLine(f.message) + alsoReported(entry), f.reason ? oneLine(f.reason) : "-"];
      }),
      ["entry to review", "entries to review"],
    );
    out.add("</details>", "");
  }

  if (suppressed.length > 0) {
    out.add("<details>", `<summary>${plural(suppressed.length, "suppressed finding")}</summary>`, "");
    out.table(
      ["Rule", "Resource", "Location", "Message", "Justification"],
      suppressed.map((f) => () => [f.ruleId, resourceOf(f), locationOf(f), oneLine(f.message), justificationOf(f)]),
      ["suppressed finding", "suppressed findings"],
    );
    out.add("</details>", "");
  }

  if (result.notes.length > 0) {
    out.add("**Notes**", "");
    out.list(result.notes.map((note) => `- ${cell(note)}`), ["note", "notes"]);
    out.add("");
  }

  out.add(`<sub>parapet ${cell(result.version)}</sub>`);
  return out.toString();
}

/** A noun in the singular and the plural. */
type Noun = [string, string];

/**
 * Collects the comment's lines and stops adding table rows or list items once the row or
 * character limit is reached. Rows are built only when they fit, so the work stays linear.
 */
class Budget {
  private readonly lines: string[] = [];
  private chars = 0;
  private rows = 0;

  add(...lines: string[]): void {
    for (const line of lines) {
      this.lines.push(line);
      this.chars += line.length + 1;
    }
  }

  private fits(line: string): boolean {
    return this.rows < MAX_ROWS && this.chars + line.length + 1 <= MAX_CHARS - CLOSING_RESERVE;
  }

  table(header: string[], rows: (() => string[])[], what: Noun): void {
    this.add(`| ${header.join(" | ")} |`, `|${header.map(() => " --- ").join("|")}|`);
    const shown = this.each(rows.map((row) => () => `| ${row().map(cell).join(" | ")} |`));
    this.add("");
    this.more(rows.length - shown, what);
  }

  list(items: string[], what: Noun): void {
    const shown = this.each(items.map((item) => () => item));
    this.more(items.length - shown, what);
  }

  private each(lines: (() => string)[]): number {
    let shown = 0;
    for (const make of lines) {
      const line = make();
      if (!this.fits(line)) break;
      this.add(line);
      this.rows++;
      shown++;
    }
    return shown;
  }

  private more(left: number, [one, many]: Noun): void {
    if (left > 0) this.add(`…and ${left} more ${left === 1 ? one : many} (run parapet with \`--format text\` or \`--format sarif\` for all of them).`, "");
  }

  toString(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

function resourceOf(f: Finding): string {
  if (f.address === "") return "-";
  return (f.logicalId ? `${f.address} (${f.logicalId})` : f.address) + rootSuffix(f);
}

function locationOf(f: Finding): string {
  return `${f.file}:${f.position.line}`;
}

function justificationOf(f: Finding): string {
  return (f.suppressions ?? []).map((s) => `${s.justification} (${s.kind})`).join("; ");
}

/**
 * Text for a table cell: on one line, at most {@link MAX_CELL} characters, with Markdown and
 * HTML syntax escaped so a message cannot break the table or format the comment.
 */
function cell(value: string): string {
  let plain = oneLine(value).replace(/[\u0000-\u001f\u007f]/g, "");
  if (plain.length > MAX_CELL) plain = `${plain.slice(0, MAX_CELL - 1).replace(/[\ud800-\udbff]$/, "")}…`;
  if (plain === "") return " ";
  return plain.replace(/[\\`*_[\]<>|~&#]/g, (c) => `\\${c}`);
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ").trim();
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
