// Every rule's examples are tests: failing examples fire at the expected resources and
// lines, passing ones stay silent, undecided ones are reported for review.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lintText } from "../../src/pipeline/lint.js";
import { renderCatalogue } from "../../src/rules/catalogue.js";
import { builtinRules } from "../../src/rules/load.js";
import type { Rule, RuleExample } from "../../src/rules/rule.js";

export function runExample(rule: Rule, example: RuleExample) {
  const file = { path: example.file, absolutePath: `/examples/${example.file}`, explicit: true };
  return lintText(file, example.template, { rules: [rule] });
}

const rules = builtinRules();

describe.each(rules.map((r) => [r.id, r] as const))("rule %s", (_id, rule) => {
  it("has examples that fail and pass in CloudFormation", () => {
    const cfn = rule.examples.filter((e) => e.format === "cloudformation");
    expect(cfn.some((e) => e.expect === "fail")).toBe(true);
    expect(cfn.some((e) => e.expect === "pass")).toBe(true);
    expect(cfn.some((e) => e.file.endsWith(".json"))).toBe(true);
    expect(cfn.some((e) => /\.ya?ml$/.test(e.file))).toBe(true);
  });

  it.each(rule.examples.filter((e) => e.format === "cloudformation").map((e) => [e.name, e] as const))(
    "example: %s",
    (_name, example) => {
      const outcome = runExample(rule, example);
      expect(outcome.linted).toBe(true);
      expect(outcome.findings.filter((f) => f.ruleId === "parse-error")).toEqual([]);
      const got = outcome.findings
        .filter((f) => f.ruleId === rule.id)
        .map((f) => ({ kind: f.kind, address: f.address, line: f.position.line }));
      const kind = example.expect === "review" ? "review" : "fail";
      const want = (example.findings ?? []).map((f) => ({ kind, address: f.address, line: f.line }));
      const order = (a: { address: string; line: number }, b: { address: string; line: number }) =>
        a.line - b.line || a.address.localeCompare(b.address);
      expect(got.sort(order)).toEqual(want.sort(order));
    },
  );
});

describe("rules.md", () => {
  it("is generated from the rule files and current", () => {
    const current = readFileSync(new URL("../../rules.md", import.meta.url), "utf8");
    expect(current, "rules.md is stale: run `npm run rules:doc`").toBe(renderCatalogue(rules));
  });
});
