import { describe, expect, it } from "vitest";
import { FORMATS, getReporter } from "../../src/reporters/index.js";
import type { Finding } from "../../src/findings/finding.js";
import { escapeData, escapeProperty, formatGithub } from "../../src/reporters/github.js";
import { EBS_REVIEW, PARSE_ERROR_FINDING, PROFILE_FINDING, sampleResult, SSH_FINDING, SUPPRESSED_FINDING, TRAIL_RULE } from "./sample-result.js";

/**
 * A workflow command as the Actions runner parses it: `::command key=value,...::message`.
 * Escaped values hold no raw `,`, `:` (properties), `%` outside escapes, CR or LF.
 */
const VALUE = "(?:[^,:%\\r\\n]|%25|%0D|%0A|%3A|%2C)*";
const DATA = "(?:[^%\\r\\n]|%25|%0D|%0A)*";
const COMMAND = new RegExp(
  `^::(?<command>error|warning|notice) file=(?<file>${VALUE})` +
    `,line=(?<line>[1-9]\\d*)(?:,col=(?<col>[1-9]\\d*))?(?:,endLine=(?<endLine>[1-9]\\d*))?(?:,endColumn=(?<endColumn>[1-9]\\d*))?` +
    `,title=(?<title>${VALUE})::(?<message>${DATA})$`,
);

/** The runner's unescaping, to check that values come back intact. */
function unescape(value: string): string {
  return value.replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}

function commands(findings: Finding[], rules = sampleResult().rules) {
  const out = formatGithub(sampleResult({ findings, rules }), { color: false });
  const lines = out.split("\n");
  expect(lines.pop()).toBe("");
  return lines.map((line) => {
    const match = line.match(COMMAND);
    expect(match, line).not.toBeNull();
    return match!.groups!;
  });
}

describe("github reporter", () => {
  const output = formatGithub(sampleResult(), { color: false });

  it("writes one workflow command per unsuppressed finding, in file order, and nothing else", () => {
    const lines = output.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toMatch(COMMAND);
    expect(output).not.toContain(SUPPRESSED_FINDING.address);
  });

  it("writes the exact command of a single-line finding", () => {
    expect(output.split("\n")).toContain(
      "::error file=templates/web.yaml,line=11,col=11,endLine=11,endColumn=28," +
        "title=sg-no-ssh-from-internet%3A Security groups do not allow SSH from the internet" +
        "::Security group WebSecurityGroup allows SSH (22) from 0.0.0.0/0",
    );
  });

  it("maps severities to error, warning and notice; review findings are notices with their reason", () => {
    const low: Finding = { ...SSH_FINDING, severity: "low" };
    const info: Finding = { ...SSH_FINDING, severity: "info" };
    const critical: Finding = { ...SSH_FINDING, severity: "critical" };
    const reviewHigh: Finding = { ...EBS_REVIEW, severity: "high" };
    const found = commands([critical, SSH_FINDING, PROFILE_FINDING, low, info, reviewHigh]);
    expect(found.map((c) => c["command"]).sort()).toEqual(["error", "error", "notice", "notice", "notice", "warning"]);
    const review = commands([EBS_REVIEW])[0]!;
    expect(review["command"]).toBe("notice");
    expect(unescape(review["message"]!)).toBe("Volume DataVolume may be unencrypted (undecided: parameter EncryptVolumes has no default)");
  });

  it("annotates a finding that spans lines by whole lines, without columns", () => {
    const [profile] = commands([PROFILE_FINDING]);
    expect(profile).toMatchObject({ command: "warning", file: "infra/main.tf", line: "1", endLine: "4" });
    expect(profile!["col"]).toBeUndefined();
    expect(profile!["endColumn"]).toBeUndefined();
  });

  it("leaves out an end that is before the start", () => {
    const backwards: Finding = { ...SSH_FINDING, position: { line: 5, column: 9, endLine: 5, endColumn: 3 } };
    expect(formatGithub(sampleResult({ findings: [backwards] }), { color: false })).toMatch(/^::error file=templates\/web\.yaml,line=5,col=9,title=/);
  });

  it("uses the rule id as the title when the rule's metadata is missing", () => {
    const [parse] = commands([PARSE_ERROR_FINDING]);
    expect(parse!["title"]).toBe("parse-error");
    const [trail] = commands([{ ...SUPPRESSED_FINDING, suppressions: [] }], [TRAIL_RULE]);
    expect(unescape(trail!["title"]!)).toBe("cloudtrail-multi-region: CloudTrail logs all regions");
  });

  it("escapes data and properties exactly as @actions/core does", () => {
    expect(escapeData("100% done\r\nnext: a, b")).toBe("100%25 done%0D%0Anext: a, b");
    expect(escapeProperty("100% done\r\nnext: a, b")).toBe("100%25 done%0D%0Anext%3A a%2C b");
    expect(escapeData("%0A is literal")).toBe("%250A is literal");
    expect(escapeProperty("::error::")).toBe("%3A%3Aerror%3A%3A");
  });

  it("keeps a hostile message and path inside one command, and they unescape to the original", () => {
    const hostile: Finding = {
      ...SSH_FINDING,
      file: "odd dir/a,b:c%.yaml",
      message: "line one\nline two\r\n::error file=x::injected, 50%",
    };
    const out = formatGithub(sampleResult({ findings: [hostile] }), { color: false });
    expect(out.split("\n")).toHaveLength(2);
    const [found] = commands([hostile]);
    expect(unescape(found!["file"]!)).toBe(hostile.file);
    expect(unescape(found!["message"]!)).toBe(hostile.message);
    expect(found!["message"]).toBe("line one%0Aline two%0D%0A::error file=x::injected, 50%25");
  });

  it("says where a CDK construct was created", () => {
    const cdk: Finding = {
      ...SSH_FINDING,
      format: "cdk",
      address: "Prod/Web/Sg/Resource",
      related: [{ file: "lib/web-stack.ts", line: 42, column: 5, message: "Prod/Web/Sg is created here" }],
    };
    const [found] = commands([cdk]);
    expect(unescape(found!["message"]!)).toBe(`${SSH_FINDING.message} (created at lib/web-stack.ts:42)`);
    const [withoutRelated] = commands([{ ...cdk, related: [] }]);
    expect(unescape(withoutRelated!["message"]!)).toBe(SSH_FINDING.message);
    // What the CDK assembly parser reports: format cloudformation, a construct path and a logical id.
    const [synthesized] = commands([{ ...cdk, format: "cloudformation", logicalId: "SgABCD1234" }]);
    expect(unescape(synthesized!["message"]!)).toBe(`${SSH_FINDING.message} (created at lib/web-stack.ts:42)`);
    const [plainCfn] = commands([{ ...SSH_FINDING, related: cdk.related! }]);
    expect(unescape(plainCfn!["message"]!)).toBe(SSH_FINDING.message);
  });

  it("writes nothing when there is nothing to annotate", () => {
    expect(formatGithub(sampleResult({ findings: [SUPPRESSED_FINDING] }), { color: false })).toBe("");
  });

  it("is registered as --format github", () => {
    expect(FORMATS).toContain("github");
    expect(getReporter("github")).toBe(formatGithub);
  });
});
