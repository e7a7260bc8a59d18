// Every rule's examples are tests: failing examples fire at the expected resources and
// lines, passing ones stay silent, undecided ones are reported for review.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderCatalogue } from "../../src/rules/catalogue.js";
import { expectedFindings, runExample } from "../../src/rules/examples.js";
import { builtinRules } from "../../src/rules/load.js";

const rules = builtinRules();

describe.each(rules.map((r) => [r.id, r] as const))("rule %s", (_id, rule) => {
  it("has examples that fail and pass in CloudFormation", () => {
    const cfn = rule.examples.filter((e) => e.format === "cloudformation");
    expect(cfn.some((e) => e.expect === "fail")).toBe(true);
    expect(cfn.some((e) => e.expect === "pass")).toBe(true);
    expect(cfn.some((e) => e.file.endsWith(".json"))).toBe(true);
    expect(cfn.some((e) => /\.ya?ml$/.test(e.file))).toBe(true);
  });

  it("has examples that fail and pass in Terraform, with variables and a module call", () => {
    const tf = rule.examples.filter((e) => e.format === "terraform");
    expect(tf.some((e) => e.expect === "fail")).toBe(true);
    expect(tf.some((e) => e.expect === "pass")).toBe(true);
    const text = tf.map((e) => [e.template, ...Object.values(e.files ?? {})].join("\n")).join("\n");
    expect(text).toMatch(/var\./);
    expect(text).toMatch(/module "/);
  });

  it.each(rule.examples.map((e) => [`${e.format}: ${e.name}`, e] as const))("example %s", async (_name, example) => {
    const run = await runExample(rule, example);
    expect(run.parseErrors).toEqual([]);
    const order = (a: { file: string; line: number; address: string }, b: { file: string; line: number; address: string }) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.address.localeCompare(b.address);
    expect(run.findings.sort(order)).toEqual(expectedFindings(example).sort(order));
  });
});

describe("rules.md", () => {
  it("is generated from the rule files and current", () => {
    const current = readFileSync(new URL("../../rules.md", import.meta.url), "utf8");
    expect(current, "rules.md is stale: run `npm run rules:doc`").toBe(renderCatalogue(rules));
  });
});
