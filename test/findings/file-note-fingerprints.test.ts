// S12a: file-level notes that are different findings of one file have different fingerprints,
// made from what identifies them (the key path of the construct, the rule and assertion), so
// they survive edits that move lines.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/findings/finding.js";
import { lintText } from "../../src/pipeline/lint.js";

const TEMPLATE = [
  "Parameters:",
  "  Env: {Type: String, Default: test}",
  "Rules:",
  "  ProdOnly:",
  "    Assertions:",
  "      - Assert: !Equals [!Ref Env, prod]",
  "        AssertDescription: Only prod",
  "      - Assert: !Equals [!Ref Env, prod]",
  "        AssertDescription: Only prod",
  "Resources:",
  "  Topic:",
  "    Type: AWS::SNS::Topic",
  "    Properties:",
  '      DisplayName: "first line',
  'second line"',
  "  Other:",
  "    Type: AWS::SNS::Topic",
  "    Properties:",
  '      DisplayName: "first line',
  'second line"',
  "",
].join("\n");

function notes(text: string): Finding[] {
  const file = { path: "t.yaml", absolutePath: "/t/t.yaml", explicit: true };
  return lintText(file, text, { rules: [] }).findings.filter((f) => f.address === "");
}

describe("fingerprints of file-level notes", () => {
  it.each([
    ["under-indented strings of two resources", "yaml-nonstandard"],
    ["two violated assertions of one rule with the same description", "cfn-rule-assertion"],
  ])("tell apart %s", (_name, ruleId) => {
    const found = notes(TEMPLATE).filter((f) => f.ruleId === ruleId);
    expect(found).toHaveLength(2);
    // Apart from line numbers, their messages are the same.
    const unnumbered = found.map((f) => f.message.replace(/\d+/g, "N"));
    expect(unnumbered[0]).toBe(unnumbered[1]);
    expect(new Set(found.map((f) => f.fingerprint)).size).toBe(2);
  });

  it("keep their fingerprints when lines move", () => {
    const before = notes(TEMPLATE);
    const moved = notes(TEMPLATE.replace("Resources:\n", "Resources:\n  Added:\n    Type: AWS::SNS::Topic\n").replace("Rules:\n", "\n\nRules:\n"));
    expect(moved.map((f) => f.position.line)).not.toEqual(before.map((f) => f.position.line));
    expect(moved.map((f) => [f.ruleId, f.fingerprint])).toEqual(before.map((f) => [f.ruleId, f.fingerprint]));
  });
});
