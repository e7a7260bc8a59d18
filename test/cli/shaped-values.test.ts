// Findings that used to be "review" only because a value was unknown, decided through the
// CLI from what is known about the value (YAML and JSON templates).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/parapet.js", import.meta.url));

function lint(name: string, text: string): { ruleId: string; kind: string; address: string }[] {
  const dir = mkdtempSync(join(tmpdir(), "parapet-shapes-"));
  writeFileSync(join(dir, name), text);
  const r = spawnSync(process.execPath, [bin, "--format", "json", name], { cwd: dir, encoding: "utf8" });
  expect(r.stderr).toBe("");
  const out = JSON.parse(r.stdout) as { findings: { ruleId: string; kind: string; address: string }[] };
  return out.findings.map((f) => ({ ruleId: f.ruleId, kind: f.kind, address: f.address }));
}

const of = (findings: { ruleId: string; kind: string; address: string }[], rule: string) =>
  findings.filter((f) => f.ruleId === rule).map((f) => `${f.address} ${f.kind}`);

const USER_DATA_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Token: {Type: String}
Resources:
  Named:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      UserData:
        Fn::Base64: !Sub "cfn-init -s \${AWS::StackName} -r Named --region \${AWS::Region}"
  Leaky:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      UserData:
        Fn::Base64: !Sub "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE; cfn-init -s \${AWS::StackName}"
  Open:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      UserData:
        Fn::Base64: !Sub "aws configure set aws_secret_access_key \${Token}"
`;

const SSH_JSON = {
  AWSTemplateFormatVersion: "2010-09-09",
  Parameters: {
    Peer: { Type: "String", AllowedPattern: "(\\d{1,3}\\.){3}\\d{1,3}/(1[6-9]|2[0-8])" },
    Anywhere: { Type: "String", AllowedPattern: "(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}" },
  },
  Resources: {
    Vpc: { Type: "AWS::EC2::VPC", Properties: { CidrBlock: "0.0.0.0/0" } },
    FromPeer: {
      Type: "AWS::EC2::SecurityGroupIngress",
      Properties: { GroupId: "sg-12345678", IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIp: { Ref: "Peer" } },
    },
    FromAnywhere: {
      Type: "AWS::EC2::SecurityGroupIngress",
      Properties: { GroupId: "sg-12345678", IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIp: { Ref: "Anywhere" } },
    },
    FromVpc: {
      Type: "AWS::EC2::SecurityGroupIngress",
      Properties: { GroupId: "sg-12345678", IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIp: { "Fn::GetAtt": ["Vpc", "CidrBlock"] } },
    },
  },
};

describe("decided from the shape of unknown values", () => {
  it("user data that names the stack and region passes, a literal key fails, a free parameter stays for review (YAML)", () => {
    expect(of(lint("user-data.yaml", USER_DATA_YAML), "ec2-no-secrets-in-user-data").sort()).toEqual(["Leaky fail", "Open review"]);
  });

  it("SSH from a parameter whose pattern allows only /16-/28 passes; /0 stays for review; a VPC's CidrBlock is its property (JSON)", () => {
    expect(of(lint("ssh.json", JSON.stringify(SSH_JSON, null, 2)), "sg-no-ssh-from-internet").sort()).toEqual(["FromAnywhere review", "FromVpc fail"]);
  });
});
