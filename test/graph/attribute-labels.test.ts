// Attribute labels as a table: a node from a snippet and a canonical attribute → the name the
// format gives it (written or not), with the parameter a CloudFormation value came from; and
// the reason of a review that names an attribute, end to end.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { attributeLabel } from "../../src/graph/attribute-names.js";
import type { GraphNode } from "../../src/graph/graph.js";
import { lint } from "../../src/pipeline/lint.js";
import { builtinRules } from "../../src/rules/load.js";
import { getPath } from "../../src/values/value.js";
import { cfnNodes, tfNodes } from "../helpers/graph.js";

const CFN = `
Parameters:
  ProfileName: {Type: String, Default: app-servers}
  Open: {Type: String, Default: 0.0.0.0/0}
Resources:
  FromParameter:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-12345678, IamInstanceProfile: !Ref ProfileName}
  Literal:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-12345678, IamInstanceProfile: app-servers}
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties: {LaunchTemplateData: {ImageId: ami-12345678}}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Open}]
`;

const HCL = `resource "aws_instance" "web" {
  ami                  = "ami-12345678"
  iam_instance_profile = "app-servers"
}

resource "aws_launch_template" "web" {
  image_id = "ami-12345678"
}`;

type Row = [node: string, attr: string, label: string];

function labelOf(nodes: GraphNode[], address: string, attr: string): string {
  const node = nodes.find((n) => n.address === address || (n.childPath && `${n.address}#${n.childPath.join("/")}` === address))!;
  return attributeLabel(node, attr, getPath(node.attributes, attr));
}

describe("attribute labels: canonical attribute → the format's own name", () => {
  const cfnRows: Row[] = [
    ["FromParameter", "iam_instance_profile", "IamInstanceProfile (parameter ProfileName = app-servers)"],
    ["Literal", "iam_instance_profile", "IamInstanceProfile"],
    ["Literal", "launch_template", "LaunchTemplate"],
    ["Template", "iam_instance_profile", "LaunchTemplateData.IamInstanceProfile"],
    ["Template", "iam_instance_profile.name", "LaunchTemplateData.IamInstanceProfile.Name"],
    ["Group#Properties/SecurityGroupIngress/0", "cidr_ipv4", "CidrIp (parameter Open = 0.0.0.0/0)"],
    ["Group", "no_such_attribute", "no_such_attribute"],
  ];
  it.each(cfnRows)("CloudFormation %s %s → %s", (address, attr, label) => {
    expect(labelOf(cfnNodes("stack.yaml", CFN), address, attr)).toBe(label);
  });

  const tfRows: Row[] = [
    ["aws_instance.web", "iam_instance_profile", "iam_instance_profile"],
    ["aws_instance.web", "launch_template", "launch_template"],
    ["aws_launch_template.web", "iam_instance_profile", "iam_instance_profile"],
    ["aws_launch_template.web", "iam_instance_profile.name", "iam_instance_profile[0].name"],
  ];
  it.each(tfRows)("Terraform %s %s → %s", async (address, attr, label) => {
    expect(labelOf(await tfNodes(HCL), address, attr)).toBe(label);
  });
});

describe("reviews name the property as the template writes it", () => {
  it("a CloudFormation profile from a parameter names IamInstanceProfile and the parameter", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parapet-labels-"));
    writeFileSync(
      join(dir, "stack.yaml"),
      `Parameters:
  IAMRole: {Type: String, Default: CloudWatchAgentAdminRole}
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-12345678, IamInstanceProfile: !Ref IAMRole}
`,
    );
    const rule = builtinRules().find((r) => r.id === "ec2-ssm-managed")!;
    const result = await lint({ paths: ["."], cwd: dir, rules: [rule] });
    expect(result.findings.map((f) => [f.kind, f.reason])).toEqual([
      ["review", "IamInstanceProfile (parameter IAMRole = CloudWatchAgentAdminRole) refers to a resource outside this deployment"],
    ]);
  });
});
