import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";

/** Topic with a string continued at column 0 and a rule its default violates. */
const TEMPLATE = [
  "Parameters:",
  "  Env: {Type: String, Default: test}",
  "Rules:",
  "  ProdOnly:",
  "    Assertions:",
  "      - Assert: !Equals [!Ref Env, prod]",
  "        AssertDescription: Only prod",
  "Resources:",
  "  Topic:",
  "    Type: AWS::SNS::Topic",
  "    Properties:",
  '      DisplayName: "first line',
  'second line"',
  "",
].join("\n");

describe("file-level notes", () => {
  const dir = mkdtempSync(join(tmpdir(), "parapet-notes-"));
  writeFileSync(join(dir, "t.yaml"), TEMPLATE);

  it("are findings to review that do not fail the run", async () => {
    const r = await run(["t.yaml", "--format", "json"], dir);
    const findings = JSON.parse(r.stdout).findings as { ruleId: string; kind: string; severity: string; line: number }[];
    expect(findings.map((f) => [f.ruleId, f.kind, f.severity, f.line])).toEqual([
      ["cfn-rule-assertion", "review", "low", 6],
      ["yaml-nonstandard", "review", "info", 12],
    ]);
    expect(r.code).toBe(0);
  });

  it("fail the run with --fail-on-undecided", async () => {
    expect((await run(["t.yaml", "--fail-on-undecided"], dir)).code).toBe(1);
  });

  it("come with their rules in SARIF", async () => {
    const r = await run(["t.yaml", "--format", "sarif"], dir);
    const ids = JSON.parse(r.stdout).runs[0].tool.driver.rules.map((rule: { id: string }) => rule.id);
    expect(ids).toEqual(expect.arrayContaining(["cfn-rule-assertion", "yaml-nonstandard"]));
  });
});
