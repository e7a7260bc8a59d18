// Values across stacks through the CLI: a finding that is "review" when a template is linted alone
// is decided when the template it imports from (or nests) is in the same run; workers, shards and
// the cache give the same findings.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { discover } from "../../src/discovery/discover.js";
import { planUnits } from "../../src/pipeline/units.js";

const bin = fileURLToPath(new URL("../../bin/parapet.js", import.meta.url));

type Summary = { ruleId: string; kind: string; file: string; address: string };

function run(cwd: string, args: string[]): Summary[] {
  const r = spawnSync(process.execPath, [bin, "--format", "json", ...args], { cwd, encoding: "utf8" });
  expect(r.stderr).toBe("");
  const out = JSON.parse(r.stdout) as { findings: Summary[] };
  return out.findings.map((f) => ({ ruleId: f.ruleId, kind: f.kind, file: f.file, address: f.address }));
}

const ssh = (findings: Summary[]) => findings.filter((f) => f.ruleId === "sg-no-ssh-from-internet").map((f) => `${f.file} ${f.address} ${f.kind}`);

const NETWORK_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  AdminCidr: {Type: String, Default: 0.0.0.0/0}
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: web}
Outputs:
  Admin:
    Value: !Ref AdminCidr
    Export:
      Name: !Sub "\${AWS::StackName}-AdminCidr"
  WebSg:
    Value: !GetAtt Web.GroupId
    Export: {Name: shared-WebSg}
`;

const APP_JSON = JSON.stringify(
  {
    AWSTemplateFormatVersion: "2010-09-09",
    Parameters: { NetworkStackName: { Type: "String", Default: "network" } },
    Resources: {
      Ssh: {
        Type: "AWS::EC2::SecurityGroupIngress",
        Properties: {
          GroupId: { "Fn::ImportValue": "shared-WebSg" },
          IpProtocol: "tcp",
          FromPort: 22,
          ToPort: 22,
          CidrIp: { "Fn::ImportValue": { "Fn::Sub": "${NetworkStackName}-AdminCidr" } },
        },
      },
    },
  },
  null,
  2,
);

const PARENT_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Rules:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: nested/rules.yaml
      Parameters: {Cidr: 0.0.0.0/0}
`;

const NESTED_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Cidr: {Type: String}
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: nested
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr}
`;

/** A folder with a network stack, an app stack importing from it, a parent with a nested stack, and an unrelated template. */
function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), "parapet-xstack-"));
  mkdirSync(join(dir, "stacks/nested"), { recursive: true });
  writeFileSync(join(dir, "stacks/network.yaml"), NETWORK_YAML);
  writeFileSync(join(dir, "stacks/app.json"), APP_JSON);
  writeFileSync(join(dir, "stacks/parent.yaml"), PARENT_YAML);
  writeFileSync(join(dir, "stacks/nested/rules.yaml"), NESTED_YAML);
  writeFileSync(join(dir, "stacks/other.yaml"), NESTED_YAML.replace("Cidr: {Type: String}", "Cidr: {Type: String, Default: 10.0.0.0/8}"));
  // The stack name of network.yaml, which its export names use.
  writeFileSync(join(dir, ".parapet.yaml"), 'parameters:\n  - files: "stacks/network.yaml"\n    values: {"AWS::StackName": network}\n');
  return dir;
}

describe("values across stacks through the CLI", () => {
  it("an SSH rule that is review when the importing template is linted alone fails with the exporting template in the run", () => {
    const dir = tree();
    expect(ssh(run(dir, ["stacks/app.json"]))).toEqual(["stacks/app.json Ssh review"]);
    expect(ssh(run(dir, ["stacks/app.json", "stacks/network.yaml"]))).toEqual(["stacks/app.json Ssh fail"]);
  });

  it("without the exporting stack's name, the export named after AWS::StackName is not linked", () => {
    const dir = tree();
    writeFileSync(join(dir, ".parapet.yaml"), "{}\n");
    expect(ssh(run(dir, ["stacks/app.json", "stacks/network.yaml"]))).toEqual(["stacks/app.json Ssh review"]);
  });

  it("a nested template is linted through its parent, with the parameters the parent passes", () => {
    const dir = tree();
    expect(ssh(run(dir, ["stacks/nested/rules.yaml"]))).toEqual(["stacks/nested/rules.yaml Group review"]);
    expect(ssh(run(dir, ["stacks/parent.yaml", "stacks/nested/rules.yaml"]))).toEqual(["stacks/nested/rules.yaml Group fail"]);
  });

  it("groups linked templates into units: the importer with the exporter, the parent with its nested template", async () => {
    const dir = tree();
    const units = planUnits(await discover(["stacks"], dir), () => ({}));
    const shape = units.map((u) => (u.kind === "stacks" ? u.files.map((f) => f.file.path) : u.kind === "file" ? u.file.path : u.kind));
    expect(shape).toEqual(["stacks/other.yaml", ["stacks/app.json", "stacks/network.yaml"], ["stacks/nested/rules.yaml", "stacks/parent.yaml"]]);
  });

  it("--jobs 2, the shards together and a cached run give the findings of --jobs 1", () => {
    const dir = tree();
    const one = run(dir, ["--jobs", "1", "stacks"]);
    expect(ssh(one)).toEqual(["stacks/app.json Ssh fail", "stacks/nested/rules.yaml Group fail"]);
    expect(run(dir, ["--jobs", "2", "stacks"])).toEqual(one);
    const shards = [...run(dir, ["--shard", "1/2", "stacks"]), ...run(dir, ["--shard", "2/2", "stacks"])];
    const key = (f: Summary) => JSON.stringify(f);
    expect(shards.map(key).sort()).toEqual(one.map(key).sort());
    expect(run(dir, ["--cache", "stacks"])).toEqual(one);
    expect(run(dir, ["--cache", "stacks"])).toEqual(one);
    // The cache entry of the app's unit depends on the exporting template too.
    writeFileSync(join(dir, "stacks/network.yaml"), NETWORK_YAML.replace("Default: 0.0.0.0/0", "Default: 10.0.0.0/8"));
    expect(ssh(run(dir, ["--cache", "stacks"]))).toEqual(["stacks/nested/rules.yaml Group fail"]);
  });
});
