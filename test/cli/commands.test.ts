// parapet rules / explain / test, rule presets and selection, user rule folders.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";
import { builtinRules } from "../../src/rules/load.js";
import type { Rule } from "../../src/model/rule.js";
import { selectRules } from "../../src/rules/select.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("parapet rules", () => {
  it("lists every active rule with severity and preset, and as JSON", async () => {
    const text = await run(["rules"], root);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ebs-encrypted\s+high\s+recommended\s+EBS volumes are encrypted$/m);
    const json = await run(["rules", "--format", "json", "--rules", "test/fixtures/rules/good"], root);
    const list = JSON.parse(json.stdout) as { id: string; preset: string; source: string | null }[];
    expect(list.map((r) => r.id)).toContain("volume-tagged");
    expect(list.find((r) => r.id === "volume-tagged")).toMatchObject({ preset: "recommended", source: "test/fixtures/rules/good/volume-tagged.yaml" });
  });
});

describe("parapet explain", () => {
  it("prints rationale, remediation, mappings and examples", async () => {
    const out = await run(["explain", "sg-no-ssh-from-internet"], root);
    expect(out.code).toBe(0);
    for (const part of ["Why", "How to fix", "Compliance", "Examples", "EC2.13"]) expect(out.stdout).toContain(part);
  });

  it("exits 2 for an unknown rule", async () => {
    const out = await run(["explain", "no-such-rule"], root);
    expect(out).toMatchObject({ code: 2, stderr: 'parapet: explain: no rule "no-such-rule" (see parapet rules)\n' });
    const near = await run(["explain", "ebs-encrypte"], root);
    expect(near).toMatchObject({ code: 2, stderr: 'parapet: explain: no rule "ebs-encrypte" (did you mean "ebs-encrypted"?) (see parapet rules)\n' });
  });
});

describe("parapet test", () => {
  it("passes on the built-in rules", async () => {
    const out = await run(["test"], root);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^\d+ passed, 0 failed$/m);
  });

  it("fails naming the example that misbehaves and why", async () => {
    const out = await run(["test", "test/fixtures/rules/broken-example"], root);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain("FAIL volume-tagged > cloudformation: untagged");
    expect(out.stdout).toContain("expected fail V at t.yaml:5; got fail V at t.yaml:2");
    expect(out.stdout).toMatch(/^1 passed, 1 failed$/m);
  });

  it("reports an invalid rule file with file, line and key", async () => {
    const out = await run(["test", "test/fixtures/rules/bad-key"], root);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('volume-tagged.yaml:13:3: invalid rule: assert: unknown key "colour"');
  });
});

describe("rule selection", () => {
  const rule = (id: string, category: Rule["category"], preset?: Rule["preset"]) => ({ id, category, ...(preset ? { preset } : {}) }) as Rule;
  const rules = [rule("a", "detection"), rule("b", "detection", "strict"), rule("c", "data-protection", "account")];
  const ids = (r: Rule[]) => r.map((x) => x.id);

  it.each<[string, Parameters<typeof selectRules>[1], string[]]>([
    ["recommended by default", {}, ["a"]],
    ["strict adds its rules", { presets: ["strict"] }, ["a", "b"]],
    ["presets combine", { presets: ["strict", "account"] }, ["a", "b", "c"]],
    ["--only by category, whatever the preset", { only: ["detection"] }, ["a", "b"]],
    ["--only by id", { only: ["c"] }, ["c"]],
    ["--skip by id", { presets: ["strict"], skip: ["a"] }, ["b"]],
    ["--skip by category", { presets: ["account"], skip: ["data-protection"] }, ["a"]],
  ])("%s", (_name, selection, want) => {
    expect(ids(selectRules(rules, selection))).toEqual(want);
  });

  it("rejects unknown names and presets", () => {
    expect(() => selectRules(rules, { only: ["zzz"] })).toThrow('--only: no rule or category "zzz"');
    expect(() => selectRules(rules, { presets: ["paranoid"] })).toThrow('unknown preset "paranoid"');
  });

  it("user rules join the built-in ones; an id may not be defined twice", async () => {
    const out = await run(["--rules", "test/fixtures/rules/good", "--only", "volume-tagged", "-f", "json", "examples/cloudformation"], root);
    expect(JSON.parse(out.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(["volume-tagged"]);
    const twice = await run(["--rules", "test/fixtures/rules/good", "--rules", "test/fixtures/rules/good", "examples"], root);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('rule id "volume-tagged" is already defined');
  });

  it("every built-in low-severity rule is in strict, except detailed monitoring, which runs by default", () => {
    const low = builtinRules().filter((r) => r.severity === "low");
    expect(low.filter((r) => r.preset !== "strict").map((r) => [r.id, r.preset ?? "recommended"])).toEqual([["ec2-detailed-monitoring", "recommended"]]);
    expect(low.filter((r) => r.preset === "strict").length).toBe(3);
  });
});
