// Hostile dependency loops: a chain of 500 members that closes on itself, hundreds of small
// loops, loops through Terraform modules and in a CDK assembly. Each run ends, fails, and
// reports each loop exactly once, at its first member.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { project, runJson } from "./helpers.js";

const cycles = (findings: { ruleId: string; message: string }[]) => findings.filter((f) => f.message.startsWith("cyclic reference"));

/** A CloudFormation template of SNS topics, `edges[i]` naming what topic i depends on. */
function topics(count: number, dependsOn: (i: number) => number): string {
  let text = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n`;
  for (let i = 0; i < count; i++) text += `  T${i}:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !GetAtt T${dependsOn(i)}.TopicName\n`;
  return text;
}

describe("CloudFormation loops", () => {
  it("a chain of 500 resources that closes on itself is one error at its first resource, naming the loop shortened", async () => {
    const r = await runJson(["t.yaml"], project({ "t.yaml": topics(500, (i) => (i + 1) % 500) }));
    expect(r.code).toBe(1);
    const found = cycles(r.findings);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ ruleId: "parse-error", line: 3, column: 3 });
    expect(found[0]!.message).toMatch(/^cyclic reference between resources: T0 → T1 → .* → … 481 more … → .* → T499 → T0; CloudFormation refuses/);
  });

  it("300 loops of two resources are 300 errors, each at its own first resource", async () => {
    const r = await runJson(["t.yaml"], project({ "t.yaml": topics(600, (i) => (i % 2 === 0 ? i + 1 : i - 1)) }));
    expect(r.code).toBe(1);
    const found = cycles(r.findings);
    expect(found).toHaveLength(300);
    // Topic i is written at line 3 + 4i: each loop is reported at its even member.
    expect(found.map((f) => (f as unknown as { line: number }).line)).toEqual(Array.from({ length: 300 }, (_, k) => 3 + 8 * k));
    expect(found[1]!.message).toMatch(/^cyclic reference between resources: T2 → T3 → T2;/);
  });

  it("a CDK assembly is CloudFormation: a loop in a stack's template is one error in that template", async () => {
    const source = fileURLToPath(new URL("../fixtures/cdk/ec2-basics/cdk.out", import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), "parapet-robust-"));
    cpSync(source, join(dir, "cdk.out"), { recursive: true });
    const file = join(dir, "cdk.out", "Ec2Basics.template.json");
    const tpl = JSON.parse(readFileSync(file, "utf8")) as { Resources: Record<string, Record<string, unknown>> };
    tpl.Resources["LoopA"] = { Type: "AWS::SNS::Topic", DependsOn: "LoopB" };
    tpl.Resources["LoopB"] = { Type: "AWS::SNS::Topic", Properties: { DisplayName: { "Fn::GetAtt": ["LoopA", "TopicName"] } } };
    writeFileSync(file, JSON.stringify(tpl, null, 1));
    const r = await runJson(["cdk.out"], dir);
    expect(r.code).toBe(1);
    expect(cycles(r.findings)).toMatchObject([{ ruleId: "parse-error", file: "cdk.out/Ec2Basics.template.json", message: expect.stringMatching(/^cyclic reference between resources: LoopA → LoopB → LoopA;/) }]);
  });
});

describe("Terraform loops", () => {
  it("a chain of 500 locals that closes on itself is one error, and the resource that reads it is still checked", async () => {
    const locals = Array.from({ length: 500 }, (_, i) => `  l${i} = local.l${(i + 1) % 500}\n`).join("");
    const dir = project({
      "tf/main.tf": `locals {\n${locals}}\nresource "aws_ebs_volume" "v" {\n  availability_zone = "eu-west-1a"\n  encrypted = local.l0\n}\n`,
    });
    const r = await runJson(["tf"], dir);
    expect(r.code).toBe(1);
    expect(cycles(r.findings)).toMatchObject([{ ruleId: "parse-error", file: "tf/main.tf", line: 2, column: 3, message: expect.stringMatching(/^cyclic reference: local\.l0 → local\.l1 → .*local\.l499 → local\.l0; Terraform refuses/) }]);
    expect(r.findings.some((f) => f.ruleId === "ebs-encrypted")).toBe(true);
  });

  it("300 loops of two locals are 300 errors", async () => {
    const locals = Array.from({ length: 600 }, (_, i) => `  l${i} = local.l${i % 2 === 0 ? i + 1 : i - 1}\n`).join("");
    const r = await runJson(["tf"], project({ "tf/main.tf": `locals {\n${locals}}\n` }));
    expect(r.code).toBe(1);
    const found = cycles(r.findings);
    expect(found).toHaveLength(300);
    expect(new Set(found.map((f) => (f as unknown as { line: number }).line)).size).toBe(300);
  });

  it("a loop through module outputs and inputs fails the run once, though two roots read the modules", async () => {
    const dir = project({
      "tf/main.tf": `module "a" {\n  source = "../mods/a"\n  x = module.b.out\n}\nmodule "b" {\n  source = "../mods/b"\n  y = module.a.out\n}\n`,
      "tf2/main.tf": `module "a" {\n  source = "../mods/a"\n  x = module.b.out\n}\nmodule "b" {\n  source = "../mods/b"\n  y = module.a.out\n}\n`,
      "mods/a/main.tf": `variable "x" {}\noutput "out" {\n  value = var.x\n}\n`,
      "mods/b/main.tf": `variable "y" {}\noutput "out" {\n  value = var.y\n}\n`,
    });
    const r = await runJson(["."], dir);
    expect(r.code).toBe(1);
    expect(cycles(r.findings)).toMatchObject([{ file: "mods/a/main.tf", line: 1, message: expect.stringMatching(/^cyclic reference: module\.a\.var\.x → module\.b\.output\.out → module\.b\.var\.y → module\.a\.output\.out → module\.a\.var\.x;/) }]);
  });
});
