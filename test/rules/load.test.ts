// Rule files: schema validation with errors that name the file, line and key.
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { lintText } from "../../src/pipeline/lint.js";
import { builtinRules, loadRuleDir } from "../../src/rules/load.js";

const dir = (name: string) => new URL(`../fixtures/rules/${name}`, import.meta.url).pathname;

function loadError(name: string): string {
  try {
    loadRuleDir(dir(name), `rules/${name}`);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error("expected the rule folder to be rejected");
}

describe("rule loading", () => {
  it("loads the built-in rules, each with complete metadata", () => {
    const rules = builtinRules();
    expect(rules.map((r) => r.id)).toEqual(
      expect.arrayContaining(["cloudtrail-multi-region", "ebs-encrypted", "ec2-instance-profile", "sg-no-ssh-from-internet"]),
    );
    for (const r of rules) {
      for (const key of ["title", "description", "rationale", "remediation", "message"] as const) {
        expect(r[key].trim().length, `${r.id}.${key}`).toBeGreaterThan(10);
      }
    }
  });

  it("names the file, line and the unknown key", () => {
    expect(loadError("bad-key")).toBe('rules/bad-key/volume-tagged.yaml:13:3: invalid rule: assert: unknown key "colour"');
  });

  it("names the line of a YAML syntax error", () => {
    expect(loadError("bad-yaml")).toMatch(/^rules\/bad-yaml\/volume-tagged\.yaml:3:11: invalid rule file: Flow sequence/);
  });

  it("requires the id to match the file name", () => {
    expect(loadError("bad-id")).toBe('rules/bad-id/other-name.yaml:1:1: rule id "volume-tagged" must match the file name "other-name"');
  });

  it("rejects a folder that does not exist", () => {
    expect(loadError("missing")).toMatch(/^rules\/missing: cannot read rule folder \(ENOENT\)$/);
  });

  it("a user rule may target a native type and read its native properties", () => {
    const [rule] = loadRuleDir(dir("good"));
    for (const example of rule!.examples) {
      const out = lintText({ path: example.file, absolutePath: "/x/" + example.file, explicit: true }, example.template, { rules: [rule!] });
      const lines = out.findings.filter((f) => f.kind === "fail").map((f) => [f.address, f.position.line]);
      expect(lines).toEqual((example.findings ?? []).map((f) => [f.address, f.line]));
    }
  });
});

describe("the bundle of built-in rules", () => {
  it("the build writes the rule files, validated, as the bundle the binary reads", async () => {
    const { readFileSync } = await import("node:fs");
    const { BUILTIN_RULES_DIR } = await import("../../src/rules/load.js");
    const bundle = JSON.parse(readFileSync(new URL("../../dist/rules/builtin-rules.json", import.meta.url), "utf8"));
    expect(bundle).toEqual(JSON.parse(JSON.stringify(loadRuleDir(BUILTIN_RULES_DIR, "builtin"))));
  });
});
