import { describe, expect, it } from "vitest";
import { FORMATS, getReporter } from "../../src/reporters/index.js";
import type { Finding } from "../../src/findings/finding.js";
import { formatCompact } from "../../src/reporters/compact.js";
import { EBS_REVIEW, PARSE_ERROR_FINDING, PROFILE_FINDING, sampleResult, SSH_FINDING, SUPPRESSED_FINDING } from "./sample-result.js";

/** `file:line:col: severity: message [rule-id]`: what an editor problem matcher expects. */
const LINE = /^(?<file>[^\n]+?):(?<line>[1-9]\d*):(?<col>[1-9]\d*): (?<severity>critical|high|medium|low|info|review): (?<message>[^\n]*) \[(?<rule>[a-z0-9-]+)\]$/;

describe("compact reporter", () => {
  const output = formatCompact(sampleResult(), { color: false });
  const lines = output.split("\n");

  it("prints one line per unsuppressed finding and nothing else, sorted by file, line and column", () => {
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toMatch(LINE);
    expect(lines.map((l) => l.match(LINE)!.groups!["rule"])).toEqual([
      PROFILE_FINDING.ruleId,
      PARSE_ERROR_FINDING.ruleId,
      SSH_FINDING.ruleId,
      EBS_REVIEW.ruleId,
    ]);
    expect(output).not.toContain(SUPPRESSED_FINDING.ruleId);
    expect(output).not.toContain("note");
  });

  it("writes the exact fields of a failing finding", () => {
    expect(lines).toContain(
      "templates/web.yaml:11:11: high: Security group WebSecurityGroup allows SSH (22) from 0.0.0.0/0 [sg-no-ssh-from-internet]",
    );
  });

  it("labels review findings `review` and appends the reason", () => {
    expect(lines).toContain(
      "templates/web.yaml:16:7: review: Volume DataVolume may be unencrypted (undecided: parameter EncryptVolumes has no default) [ebs-volume-encrypted]",
    );
  });

  it("does not repeat a reason the message already states", () => {
    const review: Finding = { ...EBS_REVIEW, message: "DataVolume: parameter EncryptVolumes has no default" };
    const out = formatCompact(sampleResult({ findings: [review] }), { color: false });
    expect(out).toBe("templates/web.yaml:16:7: review: DataVolume: parameter EncryptVolumes has no default [ebs-volume-encrypted]\n");
  });

  it("folds multi-line messages onto the finding's line and neutralises control characters", () => {
    expect(lines).toContain(
      "templates/broken.yaml:2:8: high: Flow sequence in block collection must be sufficiently indented and end with a ] [parse-error]",
    );
    const odd: Finding = { ...SSH_FINDING, message: "first\r\n  second\u001b[31m" };
    const [line] = formatCompact(sampleResult({ findings: [odd] }), { color: false }).split("\n");
    expect(line).toMatch(LINE);
    expect(line!.match(LINE)!.groups!["message"]).toBe("first second\ufffd[31m");
  });

  it("writes nothing at all when there is nothing to show", () => {
    expect(formatCompact(sampleResult({ findings: [] }), { color: false })).toBe("");
    expect(formatCompact(sampleResult({ findings: [SUPPRESSED_FINDING] }), { color: false })).toBe("");
  });

  it("stays linear: 20,000 findings take one line each", () => {
    const many = Array.from({ length: 20_000 }, (_, i): Finding => ({ ...SSH_FINDING, position: { ...SSH_FINDING.position, line: i + 1 } }));
    const out = formatCompact(sampleResult({ findings: many }), { color: false });
    expect(out.split("\n")).toHaveLength(20_001);
  });

  it("is registered as --format compact", () => {
    expect(FORMATS).toContain("compact");
    expect(getReporter("compact")).toBe(formatCompact);
  });
});
