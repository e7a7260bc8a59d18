// A bare word used as a value (`encrypted = False`) is no reference Terraform accepts: the
// reason of the undecided finding says what the word is not and what was probably meant.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lint } from "../../../src/pipeline/lint.js";
import { builtinRules } from "../../../src/rules/load.js";

const BOOLEANS = "is not a Terraform value; booleans are `true` and `false` (Terraform rejects the configuration)";
const NULLS = "is not a Terraform value; the null value is `null` (Terraform rejects the configuration)";

/** The ebs-encrypted findings of a volume whose `encrypted` is `value` (on line 6). */
async function findingsFor(value: string) {
  const dir = mkdtempSync(join(tmpdir(), "parapet-bare-"));
  writeFileSync(join(dir, "main.tf"), `locals {\n  on = true\n}\nresource "aws_ebs_volume" "v" {\n  availability_zone = "eu-west-1a"\n  encrypted = ${value}\n}\n`);
  const out = await lint({ paths: ["."], cwd: dir, rules: builtinRules().filter((r) => r.id === "ebs-encrypted"), terraform: { sources: [], env: {} } });
  return out.findings;
}

async function reasonFor(value: string): Promise<string | undefined> {
  const findings = await findingsFor(value);
  expect(findings.map((f) => [f.kind, f.position.line])).toEqual([["review", 6]]);
  return findings[0]!.reason;
}

describe("bare words that are not Terraform values", () => {
  it.each([
    ["False", `\`False\` ${BOOLEANS}`],
    ["True", `\`True\` ${BOOLEANS}`],
    ["FALSE", `\`FALSE\` ${BOOLEANS}`],
    ["TRUE", `\`TRUE\` ${BOOLEANS}`],
    ["yes", `\`yes\` ${BOOLEANS}`],
    ["no", `\`no\` ${BOOLEANS}`],
    ["Off", `\`Off\` ${BOOLEANS}`],
    ["None", `\`None\` ${NULLS}`],
    ["Null", `\`Null\` ${NULLS}`],
    ["NULL", `\`NULL\` ${NULLS}`],
    ["nil", `\`nil\` ${NULLS}`],
    ["aws_kms_key", "`aws_kms_key` is not a Terraform value: a resource is referred to as TYPE.NAME (aws_kms_key.NAME) (Terraform rejects the configuration)"],
    [
      "enabled",
      '`enabled` is not a Terraform value or reference (Terraform rejects the configuration): write text in quotes ("enabled"), or refer to var.enabled, local.enabled or a resource as TYPE.NAME',
    ],
    ["!False", `\`False\` ${BOOLEANS}`],
    ["local.on ? False : true", `\`False\` ${BOOLEANS}`],
  ])("encrypted = %s", async (value, reason) => {
    expect(await reasonFor(value)).toBe(reason);
  });

  it.each([
    ["true", []],
    ["false", [["fail", 6]]],
    ["local.on", []],
    ["null", [["fail", 4]]],
    // A name a for expression binds is a value, not a bare word.
    ["[for x in [false] : x][0]", [["fail", 6]]],
  ])("the words Terraform knows still evaluate: encrypted = %s", async (value, want) => {
    expect((await findingsFor(value)).map((f) => [f.kind, f.position.line])).toEqual(want);
  });
});
