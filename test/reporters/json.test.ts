import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compareFindings } from "../../src/findings/finding.js";
import { formatJson, JSON_FORMAT_VERSION } from "../../src/reporters/json.js";
import { EBS_REVIEW, PARSE_ERROR_FINDING, sampleResult, SSH_FINDING, SUPPRESSED_FINDING } from "./sample-result.js";

const FINDING_KEYS = [
  "ruleId",
  "severity",
  "kind",
  "message",
  "file",
  "line",
  "column",
  "endLine",
  "endColumn",
  "address",
  "logicalId",
  "propertyPath",
  "resourceType",
  "format",
  "reason",
  "fingerprint",
  "suppressions",
  "related",
  "root",
  "sameProblem",
];

describe("json reporter", () => {
  const text = formatJson(sampleResult(), { color: false });
  const doc = JSON.parse(text);

  it("writes version 1 with tool, summary, files, findings, notes and links", () => {
    expect(JSON_FORMAT_VERSION).toBe(1);
    expect(Object.keys(doc)).toEqual(["version", "tool", "summary", "files", "findings", "notes", "links"]);
    expect(doc.links).toEqual([]);
    expect(doc.version).toBe(1);
    expect(doc.tool).toEqual({ name: "parapet", version: "0.1.0" });
    expect(doc.files).toEqual(sampleResult().files);
    expect(doc.notes).toEqual(["skipped templates/notes.txt: not a template"]);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("counts failures, reviews, suppressions and unreadable files", () => {
    expect(doc.summary).toEqual({
      files: 4,
      findings: 5,
      failures: 3,
      failuresBySeverity: { critical: 0, high: 2, medium: 1, low: 0, info: 0 },
      reviews: 1,
      suppressed: 1,
      unreadableFiles: 1,
    });
  });

  it("lists every finding, suppressed included, in reporting order with every key", () => {
    const expected = [...sampleResult().findings].sort(compareFindings);
    expect(doc.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(expected.map((f) => f.ruleId));
    for (const finding of doc.findings) expect(Object.keys(finding)).toEqual(FINDING_KEYS);
  });

  it("flattens the position and uses null for absent values", () => {
    const ssh = doc.findings.find((f: { ruleId: string }) => f.ruleId === SSH_FINDING.ruleId);
    expect(ssh).toEqual({
      ruleId: "sg-no-ssh-from-internet",
      severity: "high",
      kind: "fail",
      message: SSH_FINDING.message,
      file: "templates/web.yaml",
      line: 11,
      column: 11,
      endLine: 11,
      endColumn: 28,
      address: "WebSecurityGroup",
      logicalId: null,
      propertyPath: "Properties.SecurityGroupIngress[0].CidrIp",
      resourceType: "AWS::EC2::SecurityGroup",
      format: "cloudformation",
      reason: null,
      fingerprint: SSH_FINDING.fingerprint,
      suppressions: [],
      related: [],
      root: null,
      sameProblem: null,
    });
    const parse = doc.findings.find((f: { ruleId: string }) => f.ruleId === "parse-error");
    expect(parse).toMatchObject({ address: "", propertyPath: null, resourceType: null, format: null, message: PARSE_ERROR_FINDING.message });
  });

  it("keeps review reasons and suppressions", () => {
    const review = doc.findings.find((f: { ruleId: string }) => f.ruleId === EBS_REVIEW.ruleId);
    expect(review).toMatchObject({ kind: "review", reason: "parameter EncryptVolumes has no default" });
    const suppressed = doc.findings.find((f: { ruleId: string }) => f.ruleId === SUPPRESSED_FINDING.ruleId);
    expect(suppressed.suppressions).toEqual([{ kind: "inSource", justification: "Single-region account by design" }]);
  });

  it("is documented key by key in docs/json-format.md", () => {
    const docs = readFileSync(new URL("../../docs/json-format.md", import.meta.url), "utf8");
    const documented = new Set([...docs.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]));
    for (const key of [...Object.keys(doc), ...Object.keys(doc.summary), ...FINDING_KEYS]) {
      expect(documented, `docs/json-format.md documents ${key}`).toContain(key);
    }
  });

  it("does not mutate its input and gives the same output for the same input", () => {
    const result = sampleResult();
    const before = structuredClone(result);
    expect(formatJson(result, { color: true })).toBe(text);
    expect(result).toEqual(before);
  });
});
