// Heavy modules load only when an input needs them: a CloudFormation-only run never
// instantiates the HCL reader's WebAssembly runtime.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { hclLoaded } from "../../src/parsers/terraform/hcl.js";
import { lint } from "../../src/pipeline/lint.js";
import { builtinRules } from "../../src/rules/load.js";

const fixtures = fileURLToPath(new URL("../fixtures/cli/", import.meta.url));

describe("lazy loading", () => {
  it("a CloudFormation-only run does not load hcl2json; a Terraform file does", async () => {
    const cfn = await lint({ paths: ["mixed", "clean"], cwd: fixtures, rules: builtinRules() });
    expect(cfn.files.length).toBeGreaterThan(0);
    expect(hclLoaded()).toBe(false);
    const plan = await lint({ paths: ["../terraform/plan/plan-only/plan.json"], cwd: fixtures, rules: builtinRules() });
    expect(plan.files).toEqual(["../terraform/plan/plan-only/plan.json"].map(() => expect.stringContaining("plan.json")));
    expect(hclLoaded()).toBe(false); // a plan is JSON: no HCL reader either
    await lint({ paths: ["../terraform/plan/with-config/main.tf"], cwd: fixtures, rules: builtinRules() });
    expect(hclLoaded()).toBe(true);
  });
});
