// Templates that use AWS::LanguageExtensions, rain or a macro, end to end through the command line.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/parapet.js", import.meta.url));

const LOOP = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Parameters:
  Ports:
    Type: CommaDelimitedList
    Default: "22,3389"
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
  Fn::ForEach::Admin:
    - Port
    - !Ref Ports
    - Admin\${Port}:
        Type: AWS::EC2::SecurityGroupIngress
        Properties:
          GroupId: !Ref Group
          IpProtocol: tcp
          FromPort: !Ref Port
          ToPort: !Ref Port
          CidrIp: 0.0.0.0/0
`;

const RAIN = `Resources:
  Site:
    Type: !Rain::Module ./site.yaml
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Rain::Embed description.txt
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
`;

const MODULE = `Resources:
  Net:
    Type: My::Net::Vpc::MODULE
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
      VpcId: !Ref Net.Vpc
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !GetAtt NetVpc.CidrBlock}
`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "parapet-preprocessed-"));
  writeFileSync(join(dir, "loop.yaml"), LOOP);
  writeFileSync(join(dir, "rain.yaml"), RAIN);
  writeFileSync(join(dir, "module.yaml"), MODULE);
  writeFileSync(join(dir, "macro.json"), JSON.stringify({ Transform: "Count", Resources: { Vol: { Type: "AWS::EC2::Volume", Properties: { Encrypted: true } } } }, null, 2));
  return dir;
}

function parapet(args: string[], cwd: string) {
  const res = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

interface JsonFinding {
  ruleId: string;
  kind: string;
  file: string;
  line: number;
  address: string;
  message: string;
}

describe("pre-processed templates on the command line", () => {
  const dir = project();

  it("reports each expanded resource at the line inside the loop, and one note per pre-processor", () => {
    const r = parapet([".", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const findings = (JSON.parse(r.stdout).findings as JsonFinding[]).map((f) => [f.file, f.line, f.ruleId, f.kind, f.address]);
    expect(findings).toEqual([
      ["loop.yaml", 22, "sg-no-rdp-from-internet", "fail", "Admin3389"],
      ["loop.yaml", 22, "sg-no-ssh-from-internet", "fail", "Admin22"],
      ["macro.json", 2, "preprocessor-not-expanded", "review", ""],
      ["module.yaml", 3, "preprocessor-not-expanded", "review", ""],
      ["module.yaml", 10, "sg-no-ssh-from-internet", "review", "Group"],
      ["rain.yaml", 3, "preprocessor-not-expanded", "review", ""],
      ["rain.yaml", 9, "sg-no-ssh-from-internet", "fail", "Group"],
    ]);
    expect(r.stdout).not.toContain("has no Type");
  });

  it("a registry module: its resources are referred to without errors, and what reads them is to review", () => {
    const r = parapet(["module.yaml"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("parse-error");
    expect(r.stdout).toContain("module My::Net::Vpc::MODULE (Net) is expanded by CloudFormation at deployment from the registry; the resources it creates are not checked");
    expect(r.stdout).toContain("NetVpc.CidrBlock is a resource inside registry module Net (type My::Net::Vpc::MODULE)");
  });

  it("a --param value changes the loop's collection", () => {
    const r = parapet(["loop.yaml", "--format", "json", "--param", "Ports=443"], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
  });

  it("notes alone do not fail a run, unless undecided findings are asked to", () => {
    expect(parapet(["macro.json"], dir).code).toBe(0);
    const strict = parapet(["macro.json", "--fail-on-undecided"], dir);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("macro Count is expanded at deployment; resources it creates or changes are not checked");
  });

  it("SARIF lists the note's rule and marks its results for review", () => {
    const r = parapet(["rain.yaml", "macro.json", "--format", "sarif"], dir);
    const run = JSON.parse(r.stdout).runs[0];
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === "preprocessor-not-expanded");
    expect(rule.fullDescription.text).toContain("pre-processor");
    const notes = run.results.filter((x: { ruleId: string }) => x.ruleId === "preprocessor-not-expanded");
    expect(notes.map((x: { kind: string; level: string }) => [x.kind, x.level])).toEqual([
      ["review", "none"],
      ["review", "none"],
    ]);
  });
});
