// Every rule's examples are tests: failing examples fire at the expected resources and
// lines, passing ones stay silent, undecided ones are reported for review.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLOUDFORMATION_KINDS } from "../../src/parsers/cloudformation/adapters.js";
import { renderCatalogue } from "../../src/rules/catalogue.js";
import { runExample } from "../../src/commands/test.js";
import { expectedFindings } from "../../src/rules/examples.js";
import { builtinRules } from "../../src/rules/load.js";

const rules = builtinRules();

/** Kinds and native types a CloudFormation template can produce (and the deployment node). */
const CLOUDFORMATION_OUTPUTS = new Set<string>(["deployment"]);
for (const [nativeType, spec] of Object.entries(CLOUDFORMATION_KINDS)) {
  CLOUDFORMATION_OUTPUTS.add(nativeType).add(spec.kind);
  for (const child of spec.children ?? []) CLOUDFORMATION_OUTPUTS.add(child.kind);
}

describe.each(rules.map((r) => [r.id, r] as const))("rule %s", (_id, rule) => {
  it("has examples that pass in CloudFormation YAML and JSON, and fail where CloudFormation can express the problem", () => {
    const cfn = rule.examples.filter((e) => e.format === "cloudformation");
    expect(cfn.some((e) => e.expect === "pass")).toBe(true);
    expect(cfn.some((e) => e.file.endsWith(".json"))).toBe(true);
    expect(cfn.some((e) => /\.ya?ml$/.test(e.file))).toBe(true);
    // A rule about a kind that no CloudFormation resource type produces (an account password
    // policy) can only show that it does not apply.
    if (rule.applies_to.some((k) => CLOUDFORMATION_OUTPUTS.has(k))) expect(cfn.some((e) => e.expect === "fail")).toBe(true);
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

describe("docs/kinds.md", () => {
  it("is generated from the adapter tables and current", async () => {
    const { renderKinds } = await import("../../src/rules/kinds-catalogue.js");
    const { CLOUDFORMATION_KINDS } = await import("../../src/parsers/cloudformation/adapters.js");
    const { TERRAFORM_KINDS } = await import("../../src/parsers/terraform/adapters.js");
    const current = readFileSync(new URL("../../docs/kinds.md", import.meta.url), "utf8");
    expect(current, "docs/kinds.md is stale: run `npm run rules:doc`").toBe(renderKinds({ cloudformation: CLOUDFORMATION_KINDS, terraform: TERRAFORM_KINDS }));
  });
});

describe("rules.md", () => {
  it("is generated from the rule files and current", () => {
    const current = readFileSync(new URL("../../rules.md", import.meta.url), "utf8");
    expect(current, "rules.md is stale: run `npm run rules:doc`").toBe(renderCatalogue(rules));
  });
});
