import { describe, expect, it } from "vitest";
import { FORMATS, getReporter } from "../../src/reporters/index.js";
import type { Finding } from "../../src/findings/finding.js";
import { formatMarkdown, MAX_CHARS, MAX_ROWS } from "../../src/reporters/markdown.js";
import { EBS_REVIEW, PROFILE_FINDING, sampleResult, SSH_FINDING, SUPPRESSED_FINDING } from "./sample-result.js";

/** The cells of a Markdown table row, with escaped pipes kept inside their cell. */
function cells(row: string): string[] {
  return row
    .slice(2, -2)
    .split(/(?<!\\) \| /)
    .map((c) => c.trim());
}

/** GitHub's limit on the body of an issue or pull-request comment. */
const GITHUB_COMMENT_LIMIT = 65_536;

describe("markdown reporter", () => {
  const output = formatMarkdown(sampleResult(), { color: false });
  const lines = output.split("\n");

  it("starts with a heading that has the totals", () => {
    expect(lines[0]).toBe("### parapet: 3 failures (2 high, 1 medium), 1 to review, 1 suppressed in 4 files");
  });

  it("tables the failing findings, most severe first, with severity, rule, resource, location and message", () => {
    const header = lines.indexOf("| Severity | Rule | Resource | Location | Message |");
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toBe("| --- | --- | --- | --- | --- |");
    const rows = lines.slice(header + 2, lines.indexOf("", header));
    expect(rows.map(cells)).toEqual([
      ["high", "parse-error", "-", "templates/broken.yaml:2", "Flow sequence in block collection must be sufficiently indented and end with a \\]"],
      ["high", "sg-no-ssh-from-internet", "WebSecurityGroup", "templates/web.yaml:11", SSH_FINDING.message],
      ["medium", "ec2-instance-profile-attached", "aws\\_instance.web", "infra/main.tf:1", PROFILE_FINDING.message.replace(/_/g, "\\_")],
    ]);
  });

  it("collapses the findings to review, with their reasons, and the suppressed ones, with their justification", () => {
    const review = output.slice(output.indexOf("<details>"), output.indexOf("</details>"));
    expect(review).toContain("<summary>1 finding to review</summary>");
    expect(review).toContain(`| ebs-volume-encrypted | DataVolume | templates/web.yaml:16 | ${EBS_REVIEW.message} | ${EBS_REVIEW.reason} |`);
    const suppressed = output.slice(output.lastIndexOf("<details>"), output.lastIndexOf("</details>"));
    expect(suppressed).toContain("<summary>1 suppressed finding</summary>");
    expect(suppressed).toContain("Single-region account by design (inSource)");
  });

  it("lists the notes", () => {
    expect(output).toContain("**Notes**\n\n- skipped templates/notes.txt: not a template\n");
  });

  it("says so when there are no findings", () => {
    const empty = formatMarkdown(sampleResult({ findings: [], notes: [] }), { color: false });
    expect(empty).toContain("No findings");
    expect(empty).not.toContain("|");
    expect(empty).not.toContain("<details>");
  });

  it("says there are no failing findings when there are only findings to review", () => {
    const out = formatMarkdown(sampleResult({ findings: [EBS_REVIEW] }), { color: false });
    expect(out).toContain("No failing findings.");
    expect(out).not.toContain("| Severity |");
  });

  it("escapes pipes, backticks and HTML so a message cannot break the table or the comment", () => {
    const nasty: Finding = { ...SSH_FINDING, message: "a | b `code` <img src=x> **bold**\nnext line", address: "Sg|1" };
    const out = formatMarkdown(sampleResult({ findings: [nasty], notes: [] }), { color: false });
    const row = out.split("\n").find((l) => l.startsWith("| high |"))!;
    expect(cells(row)).toHaveLength(5);
    expect(cells(row)[2]).toBe("Sg\\|1");
    expect(cells(row)[4]).toBe("a \\| b \\`code\\` \\<img src=x\\> \\*\\*bold\\*\\* next line");
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(6);
  });

  it("stops after 200 rows, says how many more there are, and stays under GitHub's comment limit", () => {
    const long = "x".repeat(2_000);
    const many = Array.from({ length: 5_000 }, (_, i): Finding => ({
      ...SSH_FINDING,
      address: `SecurityGroup${i}`,
      message: `${long} ${i}`,
      position: { ...SSH_FINDING.position, line: i + 1 },
    }));
    const reviews = Array.from({ length: 300 }, (_, i): Finding => ({ ...EBS_REVIEW, address: `Volume${i}` }));
    const out = formatMarkdown(sampleResult({ findings: [...many, ...reviews, SUPPRESSED_FINDING] }), { color: false });
    expect(out.length).toBeLessThan(MAX_CHARS);
    expect(out.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    const rows = out.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Severity") && !l.startsWith("| Rule"));
    expect(rows.length).toBeLessThanOrEqual(MAX_ROWS);
    const shown = out.split("\n").filter((l) => l.startsWith("| high |")).length;
    expect(out).toContain(`…and ${5_000 - shown} more failing entries`);
    expect(out).toContain("…and 300 more entries to review");
    expect(out).toContain("…and 1 more suppressed finding (");
  });

  it("shows exactly 200 rows when the rows are short", () => {
    const many = Array.from({ length: 250 }, (_, i): Finding => ({ ...SSH_FINDING, address: `Sg${i}`, message: "short" }));
    const out = formatMarkdown(sampleResult({ findings: many, notes: [] }), { color: false });
    expect(out.split("\n").filter((l) => l.startsWith("| high |"))).toHaveLength(MAX_ROWS);
    expect(out).toContain("…and 50 more failing entries");
  });

  it("ignores suppressed findings in the failing table", () => {
    expect(output).not.toContain(`| low | ${SUPPRESSED_FINDING.ruleId}`);
    expect(output.split("\n").filter((l) => l.startsWith("| high |") || l.startsWith("| medium |"))).toHaveLength(3);
  });

  it("is registered as --format markdown", () => {
    expect(FORMATS).toContain("markdown");
    expect(getReporter("markdown")).toBe(formatMarkdown);
  });
});
