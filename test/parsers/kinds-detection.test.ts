// Kinds of the detection rules as tables: CloudFormation and Terraform snippets → graph nodes
// and the edges the rules follow (flow log → VPC, trail → key, log group and role), and a
// flow log found through a reference between the stacks of a CDK app.
import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLOUDFORMATION_KINDS } from "../../src/parsers/cloudformation/adapters.js";
import { TERRAFORM_KINDS } from "../../src/parsers/terraform/adapters.js";
import { lint } from "../../src/pipeline/lint.js";
import { builtinRules } from "../../src/rules/load.js";
import { cfnNodes as cfnNodesIn, edgesOf, ref, summary, tfNodes } from "../helpers/graph.js";

const FILE = "stacks/audit.yaml";
const cfnNodes = (body: string) => cfnNodesIn(FILE, body);

type Row = [name: string, source: string, expected: ReturnType<typeof summary>[]];

describe("CloudFormation detection kinds: template snippet → graph nodes", () => {
  const rows: Row[] = [
    [
      "flow log on a VPC by Ref, delivering to a log group by default",
      `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      ResourceId: !Ref Vpc
      TrafficType: REJECT
      LogGroupName: vpc-flows
`,
      [
        { kind: "AWS::EC2::VPC", address: "Vpc", attributes: { CidrBlock: "10.0.0.0/16" } },
        {
          kind: "aws.ec2.flow_log",
          address: "FlowLog",
          attributes: { resource: ref("Vpc"), traffic_type: "REJECT", log_destination_type: "cloud-watch-logs", log_destination: "vpc-flows" },
        },
      ],
    ],
    [
      "flow log on a subnet id written as text, delivering to S3",
      `
Resources:
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: Subnet
      ResourceId: subnet-0123
      TrafficType: ALL
      LogDestinationType: s3
      LogDestination: arn:aws:s3:::flow-logs
`,
      [
        {
          kind: "aws.ec2.flow_log",
          address: "FlowLog",
          attributes: { resource: "subnet-0123", traffic_type: "ALL", log_destination_type: "s3", log_destination: "arn:aws:s3:::flow-logs" },
        },
      ],
    ],
    [
      "GuardDuty detectors: Enable as a string, and left out (no default)",
      `
Resources:
  Off:
    Type: AWS::GuardDuty::Detector
    Properties: {Enable: "False", FindingPublishingFrequency: SIX_HOURS}
  Unset:
    Type: AWS::GuardDuty::Detector
    Properties: {}
`,
      [
        { kind: "aws.guardduty.detector", address: "Off", attributes: { enabled: false, finding_publishing_frequency: "SIX_HOURS" } },
        { kind: "aws.guardduty.detector", address: "Unset", attributes: {} },
      ],
    ],
    [
      "trail: defaults, key, CloudWatch Logs group and role",
      `
Resources:
  Defaults:
    Type: AWS::CloudTrail::Trail
    Properties: {S3BucketName: logs, IsLogging: true}
  Full:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      IsLogging: "false"
      IsMultiRegionTrail: "true"
      EnableLogFileValidation: true
      KMSKeyId: alias/trail
      CloudWatchLogsLogGroupArn: arn:aws:logs:eu-west-1:1:log-group:trail:*
      CloudWatchLogsRoleArn: arn:aws:iam::1:role/trail
`,
      [
        {
          kind: "aws.cloudtrail.trail",
          address: "Defaults",
          attributes: { is_logging: true, is_multi_region: false, log_file_validation: false, s3_bucket: "logs" },
        },
        {
          kind: "aws.cloudtrail.trail",
          address: "Full",
          attributes: {
            is_logging: false,
            is_multi_region: true,
            log_file_validation: true,
            kms_key_id: "alias/trail",
            cloudwatch_logs_log_group_arn: "arn:aws:logs:eu-west-1:1:log-group:trail:*",
            cloudwatch_logs_role_arn: "arn:aws:iam::1:role/trail",
            s3_bucket: "logs",
          },
        },
      ],
    ],
  ];

  it.each(rows)("%s", (_name, body, expected) => {
    expect(cfnNodes(body).map(summary)).toEqual(expected);
  });

  it("references become edges: flow log → VPC, trail → key, log group and role", () => {
    const nodes = cfnNodes(`
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties: {ResourceType: VPC, ResourceId: !GetAtt Vpc.VpcId, TrafficType: ALL}
  LiteralFlowLog:
    Type: AWS::EC2::FlowLog
    Properties: {ResourceType: VPC, ResourceId: vpc-0123, TrafficType: ALL}
  Key:
    Type: AWS::KMS::Key
    Properties: {KeyPolicy: {}}
  Logs:
    Type: AWS::Logs::LogGroup
  Role:
    Type: AWS::IAM::Role
    Properties: {AssumeRolePolicyDocument: {}}
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      IsLogging: true
      KMSKeyId: !GetAtt Key.Arn
      CloudWatchLogsLogGroupArn: !GetAtt Logs.Arn
      CloudWatchLogsRoleArn: !GetAtt Role.Arn
`);
    expect(edgesOf(nodes, CLOUDFORMATION_KINDS)).toEqual([
      "FlowLog -resource-> Vpc",
      "Trail -cloudwatch_logs_log_group_arn-> Logs",
      "Trail -cloudwatch_logs_role_arn-> Role",
      "Trail -kms_key_id-> Key",
    ]);
  });
});

describe("Terraform detection kinds: HCL snippet → graph nodes", () => {
  const rows: Row[] = [
    [
      "aws_flow_log on a VPC, destination type by default",
      `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_flow_log" "vpc" {
  vpc_id          = aws_vpc.main.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:logs:eu-west-1:1:log-group:flows"
}`,
      [
        { kind: "aws_vpc", address: "aws_vpc.main", attributes: { cidr_block: "10.0.0.0/16" } },
        {
          kind: "aws.ec2.flow_log",
          address: "aws_flow_log.vpc",
          attributes: {
            resource: ref("aws_vpc.main", "id"),
            traffic_type: "ALL",
            log_destination_type: "cloud-watch-logs",
            log_destination: "arn:aws:logs:eu-west-1:1:log-group:flows",
          },
        },
      ],
    ],
    [
      "aws_flow_log on a subnet and on a network interface, delivering to S3",
      `resource "aws_flow_log" "subnet" {
  subnet_id            = "subnet-0123"
  traffic_type         = "REJECT"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::flows"
}

resource "aws_flow_log" "eni" {
  eni_id         = "eni-0123"
  traffic_type   = "ALL"
  log_group_name = "flows"
}`,
      [
        {
          kind: "aws.ec2.flow_log",
          address: "aws_flow_log.subnet",
          attributes: { resource: "subnet-0123", traffic_type: "REJECT", log_destination_type: "s3", log_destination: "arn:aws:s3:::flows" },
        },
        {
          kind: "aws.ec2.flow_log",
          address: "aws_flow_log.eni",
          attributes: { resource: "eni-0123", traffic_type: "ALL", log_destination_type: "cloud-watch-logs", log_destination: "flows" },
        },
      ],
    ],
    [
      "aws_guardduty_detector: enabled by default, turned off with a string",
      `resource "aws_guardduty_detector" "default" {}

resource "aws_guardduty_detector" "off" {
  enable                       = "false"
  finding_publishing_frequency = "SIX_HOURS"
}`,
      [
        { kind: "aws.guardduty.detector", address: "aws_guardduty_detector.default", attributes: { enabled: true } },
        { kind: "aws.guardduty.detector", address: "aws_guardduty_detector.off", attributes: { enabled: false, finding_publishing_frequency: "SIX_HOURS" } },
      ],
    ],
    [
      "aws_cloudtrail: provider defaults, and every attribute set",
      `resource "aws_cloudtrail" "defaults" {
  name           = "defaults"
  s3_bucket_name = "logs"
}

resource "aws_cloudtrail" "full" {
  name                          = "full"
  s3_bucket_name                = "logs"
  enable_logging                = false
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  kms_key_id                    = "alias/trail"
  cloud_watch_logs_group_arn    = "arn:aws:logs:eu-west-1:1:log-group:trail:*"
  cloud_watch_logs_role_arn     = "arn:aws:iam::1:role/trail"
}`,
      [
        {
          kind: "aws.cloudtrail.trail",
          address: "aws_cloudtrail.defaults",
          attributes: { name: "defaults", is_logging: true, is_multi_region: false, log_file_validation: false, s3_bucket: "logs" },
        },
        {
          kind: "aws.cloudtrail.trail",
          address: "aws_cloudtrail.full",
          attributes: {
            name: "full",
            is_logging: false,
            is_multi_region: true,
            log_file_validation: true,
            kms_key_id: "alias/trail",
            cloudwatch_logs_log_group_arn: "arn:aws:logs:eu-west-1:1:log-group:trail:*",
            cloudwatch_logs_role_arn: "arn:aws:iam::1:role/trail",
            s3_bucket: "logs",
          },
        },
      ],
    ],
  ];

  it.each(rows)("%s", async (_name, hcl, expected) => {
    // hcl2json orders blocks by type and name, not as written.
    const byAddress = (a: { address: string }, b: { address: string }) => a.address.localeCompare(b.address);
    expect((await tfNodes(hcl)).map(summary).sort(byAddress)).toEqual([...expected].sort(byAddress));
  });

  it("references become edges: flow log → VPC, trail → key and log group (also inside a template string)", async () => {
    const nodes = await tfNodes(`resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_flow_log" "vpc" {
  vpc_id       = aws_vpc.main.id
  traffic_type = "ALL"
}

resource "aws_kms_key" "trail" {}

resource "aws_cloudwatch_log_group" "trail" {
  name = "trail"
}

resource "aws_cloudtrail" "audit" {
  name                       = "audit"
  s3_bucket_name             = "logs"
  kms_key_id                 = aws_kms_key.trail.arn
  cloud_watch_logs_group_arn = "\${aws_cloudwatch_log_group.trail.arn}:*"
}`);
    expect(edgesOf(nodes, TERRAFORM_KINDS)).toEqual([
      "aws_cloudtrail.audit -cloudwatch_logs_log_group_arn-> aws_cloudwatch_log_group.trail",
      "aws_cloudtrail.audit -kms_key_id-> aws_kms_key.trail",
      "aws_flow_log.vpc -resource-> aws_vpc.main",
    ]);
  });
});

describe("a flow log in another stack of a CDK app", () => {
  const template = (resources: object, outputs: object = {}) => JSON.stringify({ Resources: resources, Outputs: outputs }, null, 1);

  it("covers the VPC it imports; a VPC that no stack logs fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parapet-cdk-flowlogs-"));
    const out = join(dir, "cdk.out");
    mkdirSync(out);
    writeFileSync(
      join(out, "manifest.json"),
      JSON.stringify({
        version: "36.0.0",
        artifacts: {
          Network: { type: "aws:cloudformation:stack", properties: { templateFile: "Network.template.json" } },
          Logging: { type: "aws:cloudformation:stack", properties: { templateFile: "Logging.template.json" }, dependencies: ["Network"] },
        },
      }),
    );
    writeFileSync(
      join(out, "Network.template.json"),
      template(
        {
          Vpc: { Type: "AWS::EC2::VPC", Properties: { CidrBlock: "10.0.0.0/16" } },
          Bare: { Type: "AWS::EC2::VPC", Properties: { CidrBlock: "10.1.0.0/16" } },
        },
        { VpcId: { Value: { Ref: "Vpc" }, Export: { Name: "Network:VpcId" } } },
      ),
    );
    writeFileSync(
      join(out, "Logging.template.json"),
      template({
        FlowLog: {
          Type: "AWS::EC2::FlowLog",
          Properties: { ResourceType: "VPC", ResourceId: { "Fn::ImportValue": "Network:VpcId" }, TrafficType: "ALL", LogGroupName: "flows" },
        },
      }),
    );
    const rule = builtinRules().find((r) => r.id === "vpc-flow-logs")!;
    const result = await lint({ paths: ["."], cwd: dir, rules: [rule] });
    expect(result.findings.map((f) => [f.ruleId, f.kind, f.address])).toEqual([["vpc-flow-logs", "fail", "Bare"]]);
  });
});
