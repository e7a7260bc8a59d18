import { describe, expect, it } from "vitest";
import { countsOf, diffRecords, formatRecord, recordOf, unexpectedParseErrors } from "../../scripts/real-fixtures.mjs";

const finding = (over: Record<string, unknown>) => ({
  ruleId: "sg-no-ssh-from-internet",
  kind: "fail",
  file: "a/t.yaml",
  line: 7,
  column: 3,
  address: "SG",
  propertyPath: null,
  message: "SG allows SSH (TCP 22) from the internet",
  fingerprint: "0123",
  suppressions: [],
  ...over,
});

describe("the record of the corpus run (scripts/real-fixtures.mjs)", () => {
  it.each([
    ["a failure on a resource", finding({}), { at: "a/t.yaml:7", rule: "sg-no-ssh-from-internet", kind: "fail", address: "SG" }],
    [
      "a property path is kept",
      finding({ propertyPath: "Properties.SecurityGroupIngress[0].CidrIp" }),
      { at: "a/t.yaml:7", rule: "sg-no-ssh-from-internet", kind: "fail", address: "SG", path: "Properties.SecurityGroupIngress[0].CidrIp" },
    ],
    ["an undecided finding", finding({ kind: "review" }), { at: "a/t.yaml:7", rule: "sg-no-ssh-from-internet", kind: "review", address: "SG" }],
    [
      "a suppressed finding",
      finding({ suppressions: [{ kind: "inSource", justification: "lab" }] }),
      { at: "a/t.yaml:7", rule: "sg-no-ssh-from-internet", kind: "suppressed", address: "SG" },
    ],
    [
      "a parse error keeps its message",
      finding({ ruleId: "parse-error", address: "", message: "unknown tag !X" }),
      { at: "a/t.yaml:7", rule: "parse-error", kind: "fail", address: "", message: "unknown tag !X" },
    ],
  ])("%s", (_name, input, expected) => {
    expect(recordOf({ files: [], findings: [input] }).findings).toEqual([expected]);
  });

  it("orders findings by file and line (numerically), then rule, and sorts the notes", () => {
    const record = recordOf({
      files: [],
      findings: [finding({ line: 10 }), finding({ line: 9, ruleId: "z-rule" }), finding({ line: 9 }), finding({ file: "A/t.yaml", line: 50 })],
      notes: ["b", "a"],
    });
    expect(record.findings.map((f) => `${f.at} ${f.rule}`)).toEqual([
      "A/t.yaml:50 sg-no-ssh-from-internet",
      "a/t.yaml:9 sg-no-ssh-from-internet",
      "a/t.yaml:9 z-rule",
      "a/t.yaml:10 sg-no-ssh-from-internet",
    ]);
    expect(record.notes).toEqual(["a", "b"]);
  });

  it("lists what only one side has, and counts per rule and kind", () => {
    const before = recordOf({ files: [], findings: [finding({}), finding({ kind: "review", line: 8 })] });
    const after = recordOf({ files: [], findings: [finding({})], notes: ["module x was not scanned"] });
    expect(diffRecords(before, after)).toEqual([
      `- findings: ${JSON.stringify(before.findings[1])}`,
      '+ notes: "module x was not scanned"',
    ]);
    expect(countsOf(before)).toEqual({ "sg-no-ssh-from-internet": { fail: 1, review: 1, suppressed: 0 } });
    expect(JSON.parse(formatRecord(before)).findings).toEqual(before.findings);
  });

  it("finds parse errors in unlisted files and listed files that parse now", () => {
    const record = recordOf({ files: [], findings: [finding({ ruleId: "parse-error", file: "bad.yaml" })] });
    expect(unexpectedParseErrors(record, { "bad.yaml": {} })).toEqual({ unlisted: [], stale: [] });
    expect(unexpectedParseErrors(record, { "fixed.yaml": {} })).toEqual({ unlisted: ["bad.yaml"], stale: ["fixed.yaml"] });
  });
});
