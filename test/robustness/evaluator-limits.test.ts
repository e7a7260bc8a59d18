// Caps inside the evaluators (instances told apart, expression size, module nesting,
// Fn::ForEach items, files read by file()): a value a cap stops never turns a failure into a
// passing run. What fails whatever the instance is one failure; what depends on the instance
// (or on the stopped value) is one limit finding per resource that fails the run and says how
// to raise the limit.
import { describe, expect, it } from "vitest";
import { project, runJson, type JsonFinding } from "./helpers.js";

type Finding = JsonFinding & { kind: string; address: string };

async function lintDir(args: string[], files: Record<string, string>) {
  const r = await runJson([".", ...args], project(files));
  return { code: r.code, findings: r.findings as Finding[], stderr: r.stderr };
}

const summary = (findings: Finding[]) => findings.map((f) => [f.ruleId, f.kind, f.address, f.line]);

/** A security group opening SSH to `cidr`, repeated by `repeat` (a count or for_each line). */
const sg = (repeat: string, cidr: string) =>
  `resource "aws_security_group" "sg" {\n  ${repeat}\n  name = "sg"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [${cidr}]\n  }\n}\n`;

const SSH = ["sg-no-ssh-from-internet"];
const only = (findings: Finding[]) => findings.filter((f) => SSH.includes(f.ruleId) || f.ruleId === "parse-error");

describe("Terraform count and for_each past max-instances", () => {
  it.each([
    ["for_each over 1,024 keys", "for_each = toset([for i in range(1024) : tostring(i)])"],
    ["count of 1,000", "count = 1000"],
  ])("%s, every instance open to the internet: one failure, exit 1", async (_name, repeat) => {
    const r = await lintDir([], { "main.tf": sg(repeat, `"0.0.0.0/0"`) });
    expect(r.code).toBe(1);
    expect(summary(only(r.findings))).toEqual([["sg-no-ssh-from-internet", "fail", "aws_security_group.sg", 8]]);
  });

  it("for_each over 1,024 equal values: what depends only on each.value is decided", async () => {
    const r = await lintDir([], { "main.tf": sg(`for_each = { for i in range(1024) : tostring(i) => "0.0.0.0/0" }`, "each.value") });
    expect(r.code).toBe(1);
    expect(summary(only(r.findings))).toEqual([["sg-no-ssh-from-internet", "fail", "aws_security_group.sg", 8]]);
  });

  it.each([
    ["count of 1,000", "count = 1000", `count.index == 5 ? "0.0.0.0/0" : "10.0.0.0/8"`, "has 1000 instances", "aws_security_group.sg[5]"],
    ["for_each over 1,024 keys", "for_each = toset([for i in range(1024) : tostring(i)])", `each.key == "5" ? "0.0.0.0/0" : "10.0.0.0/8"`, "has 1024 instances", 'aws_security_group.sg["5"]'],
  ])("%s, one instance open: one limit finding that fails the run, and --max-instances decides it", async (_name, repeat, cidr, has, instance) => {
    const files = { "main.tf": sg(repeat, cidr) };
    const r = await lintDir([], files);
    expect(r.code).toBe(1);
    const limits = r.findings.filter((f) => f.ruleId === "parse-error");
    expect(summary(limits)).toEqual([["parse-error", "fail", "aws_security_group.sg", 8]]);
    expect(limits[0]!.message).toBe(
      `limit exceeded: aws_security_group.sg ${has}, more than parapet evaluates one by one (max-instances is 64); ` +
        "sg-no-ssh-from-internet could not be decided for aws_security_group.sg: raise it with --max-instances or limits: max-instances: in .parapet.yaml",
    );
    // The review it explains is still listed; nothing is a failure of the rule itself.
    expect(summary(r.findings.filter((f) => SSH.includes(f.ruleId)))).toEqual([["sg-no-ssh-from-internet", "review", "aws_security_group.sg", 8]]);

    const raised = await lintDir(["--max-instances", "2000"], files);
    expect(raised.code).toBe(1);
    expect(summary(only(raised.findings))).toEqual([["sg-no-ssh-from-internet", "fail", instance, 8]]);
  });

  it("max-instances is read from .parapet.yaml, and a bad value is exit 2", async () => {
    const files = { "main.tf": sg("count = 100", `count.index == 70 ? "0.0.0.0/0" : "10.0.0.0/8"`) };
    const r = await lintDir([], { ...files, ".parapet.yaml": "limits:\n  max-instances: 128\n" });
    expect(summary(only(r.findings))).toEqual([["sg-no-ssh-from-internet", "fail", "aws_security_group.sg[70]", 8]]);
    const bad = await lintDir(["--max-instances", "none"], files);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('parapet: --max-instances: "none" is not a whole number greater than 0\n');
  });

  it("a key-dependent value under the limit is decided instance by instance, with no limit finding", async () => {
    const r = await lintDir([], { "main.tf": sg("count = 10", `count.index == 5 ? "0.0.0.0/0" : "10.0.0.0/8"`) });
    expect(summary(only(r.findings))).toEqual([["sg-no-ssh-from-internet", "fail", "aws_security_group.sg[5]", 8]]);
  });

  it("a module called 1,000 times passes count.index past the limit: the limit finding is on the module's resource", async () => {
    const r = await lintDir([], {
      "main.tf": `module "sg" {\n  source = "./sg"\n  count  = 1000\n  cidr   = count.index == 5 ? "0.0.0.0/0" : "10.0.0.0/8"\n}\n`,
      "sg/main.tf": `variable "cidr" {}\n${sg("", "var.cidr")}`,
    });
    expect(r.code).toBe(1);
    const limits = r.findings.filter((f) => f.ruleId === "parse-error");
    expect(limits.map((f) => [f.kind, f.file, f.address, f.line])).toEqual([["fail", "sg/main.tf", "module.sg.aws_security_group.sg", 9]]);
    expect(limits[0]!.message).toContain("module.sg has 1000 instances, more than parapet evaluates one by one (max-instances is 64)");
  });
});

describe("other caps of the Terraform evaluator", () => {
  it("an expression past the evaluator's size and step limits fails the run with a limit finding", async () => {
    const r = await lintDir([], { "main.tf": sg("", `flatten([for a in range(1000) : [for b in range(1000) : "0.0.0.0/0"]])[0]`) });
    expect(r.code).toBe(1);
    const limits = r.findings.filter((f) => f.ruleId === "parse-error");
    expect(limits.map((f) => [f.kind, f.line, f.message])).toEqual([
      [
        "fail",
        8,
        "limit exceeded: expression too complex to evaluate (fixed limit: expression size); sg-no-ssh-from-internet could not be decided for aws_security_group.sg: " +
          "simplify the expression, or lint the plan (terraform show -json), which holds the values Terraform computed",
      ],
    ]);
  });

  it("a value of more than 64 combinations of undecided conditions fails the run with a limit finding; fewer are tried one by one", async () => {
    const conditions = (n: number) => {
      const names = "abcdefg".slice(0, n).split("");
      const declared = names.map((v) => `variable "${v}" { type = bool }\n`).join("");
      return `${declared}${sg("", `"0.0.0.0/0"`).replace("from_port   = 22", `from_port   = min(${names.map((v, i) => `var.${v} ? 0 : ${i + 1}`).join(", ")})`).replace("to_port     = 22", "to_port     = 65535")}`;
    };
    const many = await lintDir([], { "main.tf": conditions(7) });
    expect(many.code).toBe(1);
    expect(many.findings.filter((f) => f.ruleId === "parse-error").map((f) => f.message)).toEqual([
      "limit exceeded: with the other undecided values it depends on, more than 64 combinations of possible values (fixed limit: combinations); " +
        // One finding for the resource, naming every rule the cap left undecided (the ports reach 3389 and may be all of them).
        "sg-no-all-ports-from-internet, sg-no-rdp-from-internet, sg-no-ssh-from-internet could not be decided for aws_security_group.sg: " +
        "the value depends on too many undecided conditions at once; give parameter or variable values (--param, --var) to decide some",
    ]);
    // 2^5 combinations are tried: every one opens SSH.
    const few = await lintDir([], { "main.tf": conditions(5) });
    expect(summary(only(few.findings))).toEqual([["sg-no-ssh-from-internet", "fail", "aws_security_group.sg", 13]]);
  });

  it("modules nested past 16 calls fail the run at the call that goes too deep", async () => {
    const r = await lintDir([], { "main.tf": `module "again" {\n  source = "./"\n}\n` });
    expect(r.code).toBe(1);
    expect(r.findings.map((f) => [f.ruleId, f.kind, f.line])).toEqual([["parse-error", "fail", 1]]);
    expect(r.findings[0]!.message).toContain("nests module calls more than 16 deep (fixed limit: module nesting); the modules it calls were not checked");
  });

  it("user data read by file() from a file over max-file-size fails the run naming the limit and its flag", async () => {
    const files = {
      "main.tf": `resource "aws_instance" "web" {\n  ami = "ami-12345678"\n  user_data = file("\${path.module}/boot.sh")\n}\n`,
      "boot.sh": `#!/bin/sh\n${"echo hello\n".repeat(200)}`,
    };
    const r = await lintDir(["--max-file-size", "1KB"], files);
    expect(r.code).toBe(1);
    const limits = r.findings.filter((f) => f.ruleId === "parse-error");
    expect(limits.map((f) => [f.line, f.message])).toEqual([
      [
        3,
        "limit exceeded: file boot.sh is larger than the file-size limit (max-file-size is 1 KiB); ec2-no-secrets-in-user-data could not be decided for aws_instance.web: " +
          "raise it with --max-file-size or limits: max-file-size: in .parapet.yaml",
      ],
    ]);
    expect((await lintDir([], files)).findings.filter((f) => f.ruleId === "parse-error" || f.ruleId === "ec2-no-secrets-in-user-data")).toEqual([]);
  });
});

describe("CloudFormation Fn::ForEach past the items parapet expands", () => {
  const cidrs = [...Array.from({ length: 599 }, (_, i) => `"10.${Math.floor(i / 250)}.${i % 250}.0/24"`), `"0.0.0.0/0"`];
  const loop = (items: string[], cidr: string) =>
    `AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::LanguageExtensions\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n` +
    `  Fn::ForEach::Rules:\n    - Cidr\n    - [${items.join(", ")}]\n    - Rule&{Cidr}:\n        Type: AWS::EC2::SecurityGroupIngress\n        Properties:\n          GroupId: !Ref Sg\n` +
    `          IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: ${cidr}\n`;

  it("600 items, every rule open: one failure", async () => {
    const r = await lintDir([], { "t.yaml": loop(cidrs, "0.0.0.0/0") });
    expect(r.code).toBe(1);
    expect(summary(only(r.findings))).toEqual([["sg-no-ssh-from-internet", "fail", "Rule&{Cidr}", 18]]);
  });

  it("600 items, one of them open: one limit finding that fails the run", async () => {
    const r = await lintDir([], { "t.yaml": loop(cidrs, "!Ref Cidr") });
    expect(r.code).toBe(1);
    const limits = r.findings.filter((f) => f.ruleId === "parse-error");
    expect(limits.map((f) => [f.kind, f.line, f.message])).toEqual([
      [
        "fail",
        18,
        "limit exceeded: the collection of the loop Rules has 600 items, more than the 500 parapet expands (fixed limit: Fn::ForEach items); " +
          "sg-no-ssh-from-internet could not be decided for Rule&{Cidr}: a template creates at most 500 resources; split the loop or the template",
      ],
    ]);
    // Within the cap the same loop is expanded and the open item found.
    const few = await lintDir([], { "t.yaml": loop(cidrs.slice(-3), "!Ref Cidr") });
    expect(summary(only(few.findings))).toEqual([["sg-no-ssh-from-internet", "fail", "Rule00000", 18]]);
  });
});

describe("CloudFormation nested stacks past the depth parapet follows", () => {
  it("a chain of ten templates, the last opened by a value the first passes: a limit finding at the stack not followed", async () => {
    const parent = (i: number, cidr: string) =>
      `AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Cidr:\n    Type: String\n    Default: 10.0.0.0/8\nResources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n` +
      `    Properties:\n      TemplateURL: ./t${i + 1}.yaml\n      Parameters:\n        Cidr: ${cidr}\n`;
    const last =
      `AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Cidr:\n    Type: String\n    Default: 10.0.0.0/8\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n` +
      `    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: !Ref Cidr\n`;
    const chain = (n: number) => Object.fromEntries([...Array.from({ length: n - 1 }, (_, i) => [`t${i}.yaml`, parent(i, i === 0 ? "0.0.0.0/0" : "!Ref Cidr")]), [`t${n - 1}.yaml`, last]]);
    const deep = await lintDir([], chain(10));
    expect(deep.code).toBe(1);
    expect(deep.findings.map((f) => [f.ruleId, f.file, f.line, f.message])).toEqual([
      [
        "parse-error",
        "t8.yaml",
        7,
        "limit exceeded: nested stack Child is more than 8 stacks deep (fixed limit: stack nesting); it was not checked with the parameters its parent passes: " +
          "a stack that nests itself never ends; otherwise lint the deeper stacks on their own with the parameters they are given (--param)",
      ],
    ]);
    // Four deep, the value is followed down and the rule fails where it is used.
    const shallow = await lintDir([], chain(4));
    expect(shallow.findings.map((f) => [f.ruleId, f.file])).toEqual([["sg-no-ssh-from-internet", "t3.yaml"]]);
  });
});
