import { describe, expect, it } from "vitest";
import { ResourceGraph, type GraphNode } from "../../../src/graph/graph.js";
import { linkScope } from "../../../src/graph/link.js";
import { CLOUDFORMATION_KINDS } from "../../../src/parsers/cloudformation/adapters.js";
import { loadTemplate } from "../../../src/parsers/cloudformation/template.js";
import { Unknown } from "../../../src/values/value.js";
import { view } from "../../helpers/view.js";

const FILE = "stacks/web.yaml";

/** Loads a template body; `errors` are the template errors it is expected to have (by message start). */
function load(body: string, parameters: Record<string, string> = {}, errors: string[] = []) {
  const result = loadTemplate(FILE, `/repo/${FILE}`, `AWSTemplateFormatVersion: "2010-09-09"\n${body}`, { parameters });
  expect(result.diagnostics.map((d) => errors.find((e) => d.message.startsWith(e)) ?? d.message)).toEqual(errors);
  expect(result.isTemplate).toBe(true);
  return result;
}


/** The parts of a node a table row asserts: kind, address, child path and the attributes. */
function summary(n: GraphNode) {
  return {
    kind: n.kind,
    address: n.address,
    ...(n.childPath ? { childPath: [...n.childPath] } : {}),
    attributes: view(n.attributes),
  };
}

const ref = (target: string, attribute?: string) => ({
  unknown: expect.stringContaining(target),
  ref: attribute ? { target, attribute } : { target },
});

type Row = [name: string, template: string, expected: ReturnType<typeof summary>[]];

describe("CloudFormation adapters: template snippet → graph nodes", () => {
  const rows: Row[] = [
    [
      "EC2 instance with a profile by Ref and a launch template by id",
      `
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: !Ref Profile
      LaunchTemplate:
        LaunchTemplateId: !Ref Lt
        Version: !GetAtt Lt.LatestVersionNumber
      Monitoring: "true"
      EbsOptimized: "FALSE"
      SubnetId: subnet-1
      SecurityGroupIds: [sg-1, sg-2]
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties: {Roles: [!Ref Role]}
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties: {LaunchTemplateData: {}}
  Role:
    Type: AWS::IAM::Role
    Properties: {AssumeRolePolicyDocument: {Version: "2012-10-17"}}
`,
      [
        {
          kind: "aws.ec2.instance",
          address: "Web",
          attributes: {
            iam_instance_profile: ref("Profile"),
            launch_template: { id: ref("Lt"), version: ref("Lt", "LatestVersionNumber") },
            monitoring: true,
            ebs_optimized: false,
            subnet: "subnet-1",
            security_groups: ["sg-1", "sg-2"],
          },
        },
        // Neither the instance nor its template maps a root device: each gets the image's root volume
        // (linking keeps only the instance's, as only instances launch from the template).
        {
          kind: "aws.ebs.volume",
          address: "Web",
          childPath: ["Properties", "BlockDeviceMappings"],
          attributes: { attachment: "block_device", encrypted: false, owner: ref("Web") },
        },
        { kind: "aws.iam.instance_profile", address: "Profile", attributes: { roles: [ref("Role")] } },
        { kind: "aws.ec2.launch_template", address: "Lt", attributes: {} },
        {
          kind: "aws.ebs.volume",
          address: "Lt",
          childPath: ["Properties", "LaunchTemplateData", "BlockDeviceMappings"],
          attributes: { attachment: "block_device", encrypted: false, owner: ref("Lt") },
        },
        { kind: "aws.iam.role", address: "Role", attributes: { assume_role_policy: { Version: "2012-10-17" } } },
      ],
    ],
    [
      "EC2 instance block devices: only mappings with Ebs become volumes; a snapshot makes encryption unknown",
      `
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {LaunchTemplateName: web-lt, Version: "3"}
      BlockDeviceMappings:
        - DeviceName: /dev/xvda
          Ebs: {VolumeSize: 20, Encrypted: "true", KmsKeyId: alias/ebs}
        - DeviceName: /dev/sdb
          VirtualName: ephemeral0
        - DeviceName: /dev/xvdc
          Ebs: {VolumeType: gp3, SnapshotId: snap-1}
        - DeviceName: /dev/xvdd
          Ebs: {Encrypted: false}
`,
      [
        {
          kind: "aws.ec2.instance",
          address: "Web",
          attributes: { launch_template: { name: "web-lt", version: "3" } },
        },
        {
          kind: "aws.ebs.volume",
          address: "Web",
          childPath: ["Properties", "BlockDeviceMappings", 0],
          attributes: { device_name: "/dev/xvda", encrypted: true, kms_key_id: "alias/ebs", attachment: "block_device", owner: ref("Web") },
        },
        {
          kind: "aws.ebs.volume",
          address: "Web",
          childPath: ["Properties", "BlockDeviceMappings", 2],
          attributes: {
            device_name: "/dev/xvdc",
            encrypted: { unknown: expect.stringContaining("snapshot snap-1") },
            snapshot_id: "snap-1",
            volume_type: "gp3",
            attachment: "block_device",
            owner: ref("Web"),
          },
        },
        {
          kind: "aws.ebs.volume",
          address: "Web",
          childPath: ["Properties", "BlockDeviceMappings", 3],
          attributes: { device_name: "/dev/xvdd", encrypted: false, attachment: "block_device", owner: ref("Web") },
        },
      ],
    ],
    [
      "launch template: name, profile, metadata options, block devices",
      `
Resources:
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateName: web-lt
      LaunchTemplateData:
        IamInstanceProfile: {Name: web-profile}
        MetadataOptions: {HttpTokens: required, HttpEndpoint: enabled}
        Monitoring: {Enabled: "True"}
        BlockDeviceMappings:
          - DeviceName: /dev/xvda
            Ebs: {Encrypted: true}
`,
      [
        {
          kind: "aws.ec2.launch_template",
          address: "Lt",
          attributes: {
            name: "web-lt",
            iam_instance_profile: { name: "web-profile" },
            metadata_options: { http_tokens: "required", http_endpoint: "enabled" },
            monitoring: true,
          },
        },
        {
          kind: "aws.ebs.volume",
          address: "Lt",
          childPath: ["Properties", "LaunchTemplateData", "BlockDeviceMappings", 0],
          attributes: { device_name: "/dev/xvda", encrypted: true, attachment: "block_device", owner: ref("Lt") },
        },
      ],
    ],
    [
      "launch configuration: monitoring defaults to true, block devices",
      `
Resources:
  Lc:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      IamInstanceProfile: web-profile
      AssociatePublicIpAddress: "false"
      MetadataOptions: {HttpTokens: optional}
      BlockDeviceMappings:
        - DeviceName: /dev/xvda
          Ebs: {VolumeSize: 8}
`,
      [
        {
          kind: "aws.autoscaling.launch_configuration",
          address: "Lc",
          attributes: {
            iam_instance_profile: "web-profile",
            metadata_options: { http_tokens: "optional" },
            monitoring: true,
            associate_public_ip: false,
          },
        },
        {
          kind: "aws.ebs.volume",
          address: "Lc",
          childPath: ["Properties", "BlockDeviceMappings", 0],
          attributes: { device_name: "/dev/xvda", encrypted: false, attachment: "block_device", owner: ref("Lc") },
        },
      ],
    ],
    [
      "security group inline rules: direction, protocol spellings, numeric ports",
      `
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: web
      GroupDescription: web servers
      VpcId: vpc-1
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: "22", ToPort: "22", CidrIp: 0.0.0.0/0, Description: ssh}
        - {IpProtocol: "6", FromPort: 3389, ToPort: 3389, CidrIpv6: "::/0"}
        - {IpProtocol: TCP, FromPort: 443, ToPort: 443, SourceSecurityGroupId: sg-lb}
        - {IpProtocol: "-1", SourcePrefixListId: pl-1}
        - {IpProtocol: -1, FromPort: -1, ToPort: -1, SourceSecurityGroupName: legacy}
        - {IpProtocol: "17", FromPort: 53, ToPort: 53, CidrIp: 10.0.0.0/8}
      SecurityGroupEgress:
        - {IpProtocol: "-1", CidrIp: 0.0.0.0/0}
        - {IpProtocol: icmp, FromPort: 8, ToPort: -1, DestinationSecurityGroupId: sg-2, DestinationPrefixListId: pl-2}
`,
      [
        { kind: "aws.ec2.security_group", address: "Sg", attributes: { name: "web", description: "web servers", vpc: "vpc-1" } },
        ...[
          { protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: ["0.0.0.0/0"], description: "ssh" },
          { protocol: "tcp", from_port: 3389, to_port: 3389, cidr_ipv6: ["::/0"] },
          { protocol: "tcp", from_port: 443, to_port: 443, peer_security_group: "sg-lb" },
          { protocol: "all", prefix_list: "pl-1" },
          { protocol: "all", from_port: -1, to_port: -1, peer_security_group: "legacy" },
          { protocol: "udp", from_port: 53, to_port: 53, cidr_ipv4: ["10.0.0.0/8"] },
        ].map((attrs, i) => ({
          kind: "aws.ec2.sg_rule",
          address: "Sg",
          childPath: ["Properties", "SecurityGroupIngress", i],
          attributes: { ...attrs, direction: "ingress", security_group: ref("Sg") },
        })),
        {
          kind: "aws.ec2.sg_rule",
          address: "Sg",
          childPath: ["Properties", "SecurityGroupEgress", 0],
          attributes: { protocol: "all", cidr_ipv4: ["0.0.0.0/0"], direction: "egress", security_group: ref("Sg") },
        },
        {
          kind: "aws.ec2.sg_rule",
          address: "Sg",
          childPath: ["Properties", "SecurityGroupEgress", 1],
          attributes: {
            protocol: "icmp",
            from_port: 8,
            to_port: -1,
            peer_security_group: "sg-2",
            prefix_list: "pl-2",
            direction: "egress",
            security_group: ref("Sg"),
          },
        },
      ],
    ],
    [
      "separate ingress and egress resources",
      `
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: x}
  Ssh:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !GetAtt Sg.GroupId, IpProtocol: "6", FromPort: "22", ToPort: "22", CidrIp: 0.0.0.0/0}
  ByName:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupName: default, IpProtocol: "-1", CidrIpv6: "::/0"}
  Out:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: {GroupId: !Ref Sg, IpProtocol: UDP, FromPort: 123, ToPort: 123, DestinationSecurityGroupId: !Ref Sg}
`,
      [
        { kind: "aws.ec2.security_group", address: "Sg", attributes: { description: "x" } },
        {
          kind: "aws.ec2.sg_rule",
          address: "Ssh",
          attributes: { direction: "ingress", security_group: ref("Sg"), protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: ["0.0.0.0/0"] },
        },
        {
          kind: "aws.ec2.sg_rule",
          address: "ByName",
          attributes: { direction: "ingress", security_group: "default", protocol: "all", cidr_ipv6: ["::/0"] },
        },
        {
          kind: "aws.ec2.sg_rule",
          address: "Out",
          attributes: { direction: "egress", security_group: ref("Sg"), protocol: "udp", from_port: 123, to_port: 123, peer_security_group: ref("Sg") },
        },
      ],
    ],
    [
      "standalone EBS volume: encrypted defaults to false, unknown when restored from a snapshot",
      `
Resources:
  Plain:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 10}
  Secret:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 10, Encrypted: "true", KmsKeyId: !Ref Key, VolumeType: gp3}
  Restored:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, SnapshotId: snap-9}
  RestoredEncrypted:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, SnapshotId: snap-9, Encrypted: true}
  Key:
    Type: AWS::KMS::Key
`,
      [
        { kind: "aws.ebs.volume", address: "Plain", attributes: { attachment: "volume", encrypted: false } },
        { kind: "aws.ebs.volume", address: "Secret", attributes: { attachment: "volume", encrypted: true, kms_key_id: ref("Key"), volume_type: "gp3" } },
        {
          kind: "aws.ebs.volume",
          address: "Restored",
          attributes: { attachment: "volume", encrypted: { unknown: expect.stringContaining("snapshot snap-9") }, snapshot_id: "snap-9" },
        },
        { kind: "aws.ebs.volume", address: "RestoredEncrypted", attributes: { attachment: "volume", encrypted: true, snapshot_id: "snap-9" } },
        {
          kind: "aws.kms.key",
          address: "Key",
          attributes: { enabled: true, key_rotation_enabled: false, key_spec: "SYMMETRIC_DEFAULT", key_usage: "ENCRYPT_DECRYPT", multi_region: false, origin: "AWS_KMS" },
        },
      ],
    ],
    [
      "instance profile and role",
      `
Resources:
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties: {InstanceProfileName: web-profile, Roles: [web-role]}
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: web-role
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: "sts:AssumeRole"}]}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]
      Policies: [{PolicyName: p, PolicyDocument: {}}]
`,
      [
        { kind: "aws.iam.instance_profile", address: "Profile", attributes: { name: "web-profile", roles: ["web-role"] } },
        {
          kind: "aws.iam.role",
          address: "Role",
          attributes: {
            name: "web-role",
            assume_role_policy: { Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] },
            managed_policy_arns: ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
            inline_policies: [{ PolicyName: "p", PolicyDocument: {} }],
          },
        },
        // Inline policies and managed policy ARNs become nodes of their own, tied to the role.
        {
          kind: "aws.iam.policy",
          address: "Role",
          childPath: ["Properties", "Policies", 0],
          attributes: { name: "p", document: {}, roles: { unknown: "the id of Role is known only after deployment", ref: { target: "Role" } } },
        },
        {
          kind: "aws.iam.policy_attachment",
          address: "Role",
          childPath: ["Properties", "ManagedPolicyArns", 0],
          attributes: {
            policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
            roles: { unknown: "the id of Role is known only after deployment", ref: { target: "Role" } },
          },
        },
      ],
    ],
    [
      "CloudTrail trail: multi-region and log validation default to false",
      `
Resources:
  Default:
    Type: AWS::CloudTrail::Trail
    Properties: {IsLogging: true, S3BucketName: logs}
  Full:
    Type: AWS::CloudTrail::Trail
    Properties:
      TrailName: org
      IsLogging: "true"
      IsMultiRegionTrail: "true"
      EnableLogFileValidation: true
      KMSKeyId: alias/trail
      S3BucketName: logs
      CloudWatchLogsLogGroupArn: arn:lg
      CloudWatchLogsRoleArn: arn:role
`,
      [
        { kind: "aws.cloudtrail.trail", address: "Default", attributes: { is_logging: true, is_multi_region: false, log_file_validation: false, s3_bucket: "logs" } },
        {
          kind: "aws.cloudtrail.trail",
          address: "Full",
          attributes: {
            name: "org",
            is_logging: true,
            is_multi_region: true,
            log_file_validation: true,
            kms_key_id: "alias/trail",
            s3_bucket: "logs",
            cloudwatch_logs_log_group_arn: "arn:lg",
            cloudwatch_logs_role_arn: "arn:role",
          },
        },
      ],
    ],
    [
      "a resource without a canonical kind keeps its native type and properties",
      `
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "logs-\${AWS::AccountId}"
      VersioningConfiguration: {Status: Enabled}
      Tags: [{Key: a, Value: b}]
  Custom:
    Type: Custom::Thing
    Properties: {ServiceToken: arn:fn, Size: 3}
`,
      [
        {
          kind: "AWS::S3::Bucket",
          address: "Bucket",
          attributes: {
            BucketName: { unknown: expect.stringContaining("AWS::AccountId") },
            VersioningConfiguration: { Status: "Enabled" },
            Tags: [{ Key: "a", Value: "b" }],
          },
        },
        { kind: "Custom::Thing", address: "Custom", attributes: { ServiceToken: "arn:fn", Size: 3 } },
      ],
    ],
    [
      "parameters flow into canonical attributes",
      `
Parameters:
  Cidr: {Type: String, Default: 0.0.0.0/0}
  Port: {Type: Number, Default: 22}
  Multi: {Type: String, AllowedValues: ["true", "false"]}
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: !Ref Port, ToPort: !Ref Port, CidrIp: !Ref Cidr}]
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: {IsLogging: true, S3BucketName: b, IsMultiRegionTrail: !Ref Multi}
`,
      [
        { kind: "aws.ec2.security_group", address: "Sg", attributes: { description: "x" } },
        {
          kind: "aws.ec2.sg_rule",
          address: "Sg",
          childPath: ["Properties", "SecurityGroupIngress", 0],
          attributes: { protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: ["0.0.0.0/0"], direction: "ingress", security_group: ref("Sg") },
        },
        {
          kind: "aws.cloudtrail.trail",
          address: "Trail",
          attributes: {
            is_logging: true,
            s3_bucket: "b",
            is_multi_region: { unknown: expect.stringContaining("Multi"), possible: [true, false] },
            log_file_validation: false,
          },
        },
      ],
    ],
    [
      "an undecidable Fn::If with AWS::NoValue falls back to the default among possible values",
      `
Conditions:
  InEu: !Equals [!Ref AWS::Region, eu-west-1]
Resources:
  Vol:
    Type: AWS::EC2::Volume
    Properties: {Size: 1, Encrypted: !If [InEu, "true", !Ref AWS::NoValue]}
`,
      [
        {
          kind: "aws.ebs.volume",
          address: "Vol",
          attributes: { attachment: "volume", encrypted: { unknown: expect.stringContaining("InEu"), possible: [true, false] } },
        },
      ],
    ],
  ];

  it.each(rows)("%s", (_name, template, expected) => {
    const { nodes } = load(template);
    expect(nodes.map(summary)).toEqual(expected);
  });
});

describe("node identity, sources and presence", () => {
  it("gives child nodes ids made of scope, address and child path", () => {
    const { nodes } = load(`
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]
`);
    expect(nodes.map((n) => n.id)).toEqual([`${FILE}#Sg`, `${FILE}#Sg#Properties/SecurityGroupIngress/0`]);
    for (const n of nodes) {
      expect(n).toMatchObject({ nativeType: "AWS::EC2::SecurityGroup", format: "cloudformation", scope: FILE, resourcePath: ["Resources", "Sg"] });
      expect(n.source.path).toBe(FILE);
    }
  });

  it("records where each attribute is written, and nothing for defaults", () => {
    const { nodes } = load(`
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: p
      BlockDeviceMappings:
        - DeviceName: /dev/xvda
          Ebs: {Encrypted: true}
        - DeviceName: /dev/xvdb
          Ebs: {VolumeSize: 1}
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: {IsLogging: true, S3BucketName: b}
`);
    const [web, dev0, dev1, trail] = nodes;
    expect(web!.attributeSources["iam_instance_profile"]).toEqual(["Resources", "Web", "Properties", "IamInstanceProfile"]);
    expect(dev0!.attributeSources["encrypted"]).toEqual(["Resources", "Web", "Properties", "BlockDeviceMappings", 0, "Ebs", "Encrypted"]);
    expect(dev1!.attributeSources["encrypted"]).toBeUndefined();
    expect(dev1!.attributeSources["device_name"]).toEqual(["Resources", "Web", "Properties", "BlockDeviceMappings", 1, "DeviceName"]);
    expect(trail!.attributeSources["is_multi_region"]).toBeUndefined();
    const pos = web!.source.locate(dev0!.attributeSources["encrypted"]!);
    expect(pos).toMatchObject({ line: 10, column: 17 });
  });

  it("records sources of native properties", () => {
    const { nodes } = load(`
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: b}
`);
    expect(nodes[0]!.attributeSources).toEqual({ BucketName: ["Resources", "Bucket", "Properties", "BucketName"] });
  });

  it("leaves out a resource whose condition is false, and keeps it when a parameter makes it true", () => {
    const template = `
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Condition: IsProd
    Properties: {IsLogging: true, S3BucketName: b}
  Always:
    Type: AWS::S3::Bucket
`;
    expect(load(template).nodes.map((n) => n.address)).toEqual(["Always"]);
    const prod = load(template, { Env: "prod" }).nodes;
    expect(prod.map((n) => n.address)).toEqual(["Trail", "Always"]);
    expect(prod[0]!.presence).toBeUndefined();
  });

  it("marks a resource (and its child nodes) whose condition cannot be decided with presence", () => {
    const { nodes } = load(`
Parameters:
  Env: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Condition: IsProd
    Properties:
      GroupDescription: x
      SecurityGroupIngress: [{IpProtocol: tcp, CidrIp: 0.0.0.0/0}]
`);
    expect(nodes).toHaveLength(2);
    for (const n of nodes) {
      expect(n.presence).toBeInstanceOf(Unknown);
      expect(n.presence!.reason).toContain("IsProd");
      expect(n.presence!.reason).toContain("parameter Env has no default");
    }
  });

  it("turns an undecidable Fn::If around a whole rule into a child node of that branch, with its known values", () => {
    const { nodes } = load(`
Conditions:
  InEu: !Equals [!Ref AWS::Region, eu-west-1]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress:
        - !If [InEu, {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}, !Ref AWS::NoValue]
`);
    expect(nodes.map(summary)).toEqual([
      { kind: "aws.ec2.security_group", address: "Sg", attributes: { description: "x" } },
      {
        kind: "aws.ec2.sg_rule",
        address: "Sg",
        childPath: ["Properties", "SecurityGroupIngress", 0, "Fn::If", 1],
        attributes: { protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: ["0.0.0.0/0"], direction: "ingress", security_group: ref("Sg") },
      },
    ]);
    // The item is one of two possible values (the other removes it); the node says which.
    expect(nodes[1]!.alternative).toEqual({
      path: ["Properties", "SecurityGroupIngress", 0],
      option: 0,
      options: 2,
      reason: expect.stringContaining("condition InEu cannot be decided"),
      sure: true,
    });
    expect(nodes[1]!.attributeSources["cidr_ipv4"]).toEqual(["Resources", "Sg", "Properties", "SecurityGroupIngress", 0, "Fn::If", 1, "CidrIp"]);
  });

  it("keeps the items of every possible list of an undecidable Fn::If apart, at the branch they are written in", () => {
    const { nodes } = load(`
Conditions:
  InEu: !Equals [!Ref AWS::Region, eu-west-1]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress: !If
        - InEu
        - [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}, {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}]
        - [{IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}]
`);
    const rules = nodes.filter((n) => n.kind === "aws.ec2.sg_rule");
    expect(rules.map((n) => n.childPath)).toEqual([
      ["Properties", "SecurityGroupIngress", "Fn::If", 1, 0],
      ["Properties", "SecurityGroupIngress", "Fn::If", 1, 1],
      ["Properties", "SecurityGroupIngress", "Fn::If", 2, 0],
    ]);
    expect(new Set(rules.map((n) => n.id)).size).toBe(3);
    expect(rules.map((n) => n.attributes["from_port"])).toEqual([22, 80, 3389]);
    expect(rules.map((n) => [n.alternative?.option, n.alternative?.options, n.alternative?.sure])).toEqual([
      [0, 2, true],
      [0, 2, true],
      [1, 2, true],
    ]);
    // Every one of them survives into the graph.
    const graph = new ResourceGraph();
    for (const n of nodes) graph.addNode(n);
    expect(graph.nodes).toHaveLength(4);
  });

  it("flattens nested Fn::If branches into one choice and marks a conditional item inside a branch as not sure", () => {
    const { nodes } = load(`
Parameters:
  A: {Type: String, AllowedValues: [x, y]}
  B: {Type: String, AllowedValues: [x, y]}
Conditions:
  IsA: !Equals [!Ref A, x]
  IsB: !Equals [!Ref B, x]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress: !If
        - IsA
        - !If [IsB, [{IpProtocol: tcp, FromPort: 25, ToPort: 25, CidrIp: 10.0.0.0/8}], [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]]
        - - !If [IsB, {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}, !Ref AWS::NoValue]
`);
    const rules = nodes.filter((n) => n.kind === "aws.ec2.sg_rule");
    expect(rules.map((n) => [n.childPath, n.alternative?.option, n.alternative?.options, n.alternative?.sure])).toEqual([
      [["Properties", "SecurityGroupIngress", "Fn::If", 1, "Fn::If", 1, 0], 0, 3, true],
      [["Properties", "SecurityGroupIngress", "Fn::If", 1, "Fn::If", 2, 0], 1, 3, true],
      [["Properties", "SecurityGroupIngress", "Fn::If", 2, 0, "Fn::If", 1], 2, 3, false],
    ]);
  });

  it("skips a conditional block device without Ebs and keeps a conditional one with Ebs", () => {
    const { nodes } = load(`
Conditions:
  InEu: !Equals [!Ref AWS::Region, eu-west-1]
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      BlockDeviceMappings:
        - !If [InEu, {DeviceName: /dev/sdb, VirtualName: ephemeral0}, !Ref AWS::NoValue]
        - !If [InEu, {DeviceName: /dev/xvda, Ebs: {Encrypted: true}}, !Ref AWS::NoValue]
`);
    expect(nodes.map((n) => [n.kind, n.childPath ?? null])).toEqual([
      ["aws.ec2.instance", null],
      ["aws.ebs.volume", ["Properties", "BlockDeviceMappings", 1, "Fn::If", 1]],
    ]);
  });

  it("expands Fn::ForEach entries and reports a resource without a Type", () => {
    const result = loadTemplate(
      FILE,
      `/repo/${FILE}`,
      [
        "Transform: AWS::LanguageExtensions",
        "Resources:",
        "  Fn::ForEach::Buckets:",
        "    - B",
        "    - [a, b]",
        "    - 'Bucket${B}': {Type: AWS::S3::Bucket}",
        "  NoType:",
        "    Properties: {}",
        "  Ok:",
        "    Type: AWS::S3::Bucket",
        "",
      ].join("\n"),
    );
    expect(result.nodes.map((n) => n.address)).toEqual(["Bucketa", "Bucketb", "Ok"]);
    expect(result.diagnostics).toEqual([{ message: "resource NoType has no Type", line: 7, column: 3 }]);
  });
});

describe("edges of the CloudFormation kinds", () => {
  function graphOf(template: string) {
    // The dangling reference is a template error as well as a reference that makes no edge.
    const { nodes } = load(template, {}, template.includes("!Ref Missing") ? ["Ref to Missing, which the template does not declare"] : []);
    const graph = new ResourceGraph();
    for (const n of nodes) graph.addNode(n);
    linkScope(graph, nodes, CLOUDFORMATION_KINDS);
    const id = (address: string, ...child: (string | number)[]) => (child.length ? `${FILE}#${address}#${child.join("/")}` : `${FILE}#${address}`);
    const edges = graph.nodes
      .flatMap((n) => graph.edgesFrom(n).map((e) => `${e.from} -${e.type}-> ${e.to}`))
      .map((e) => e.split(`${FILE}#`).join(""));
    return { graph, id, edges };
  }

  const TEMPLATE = `
Resources:
  ByRef:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: !Ref Profile
      LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: !GetAtt Lt.LatestVersionNumber}
      BlockDeviceMappings:
        - DeviceName: /dev/xvda
          Ebs: {Encrypted: true}
  ByName:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: web-profile
      LaunchTemplate: {LaunchTemplateName: web-lt, Version: "1"}
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateName: web-lt
      LaunchTemplateData: {IamInstanceProfile: {Name: web-profile}}
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties: {InstanceProfileName: web-profile, Roles: [!Ref Role]}
  Role:
    Type: AWS::IAM::Role
    Properties: {AssumeRolePolicyDocument: {}}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: web
      GroupDescription: x
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]
  IngressById:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !GetAtt Sg.GroupId, IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}
  IngressByName:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupName: web, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
  EgressById:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: {GroupId: !Ref Sg, IpProtocol: "-1", CidrIp: 0.0.0.0/0}
  Dangling:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !Ref Missing, IpProtocol: tcp, CidrIp: 0.0.0.0/0}
`;

  it("links every reference and literal name", () => {
    const { edges } = graphOf(TEMPLATE);
    expect(edges.sort()).toEqual(
      [
        "ByRef -iam_instance_profile-> Profile",
        "ByRef -launch_template-> Lt",
        "ByRef#Properties/BlockDeviceMappings/0 -owner-> ByRef",
        "ByName -launch_template-> Lt",
        // Neither ByName nor Lt maps a root device: the root volume is ByName's (Lt is only launched from by instances).
        "ByName#Properties/BlockDeviceMappings -owner-> ByName",
        "ByName -iam_instance_profile-> Profile",
        "Lt -iam_instance_profile-> Profile",
        "Profile -roles-> Role",
        "Sg#Properties/SecurityGroupIngress/0 -security_group-> Sg",
        "IngressById -security_group-> Sg",
        "IngressByName -security_group-> Sg",
        "EgressById -security_group-> Sg",
      ].sort(),
    );
  });

  it("answers related() and referrers() over those edges", () => {
    const { graph, id } = graphOf(TEMPLATE);
    const node = (address: string, ...child: (string | number)[]) => graph.node(id(address, ...child))!;
    expect(graph.related(node("ByRef"), "launch_template").map((n) => n.address)).toEqual(["Lt"]);
    expect(graph.related(node("ByName"), "launch_template").map((n) => n.address)).toEqual(["Lt"]);
    expect(graph.related(node("ByRef"), "iam_instance_profile").map((n) => n.address)).toEqual(["Profile"]);
    expect(graph.related(node("Profile"), "roles").map((n) => n.address)).toEqual(["Role"]);
    expect(graph.related(node("ByRef", "Properties", "BlockDeviceMappings", 0), "owner").map((n) => n.id)).toEqual([id("ByRef")]);
    expect(graph.referrers(node("Sg"), "security_group").map((n) => n.id).sort()).toEqual(
      [id("Sg", "Properties", "SecurityGroupIngress", 0), id("IngressById"), id("IngressByName"), id("EgressById")].sort(),
    );
    expect(graph.edgesFrom(node("Dangling"))).toEqual([]);
  });

  it("links a name only to a node of the named kind", () => {
    const { edges } = graphOf(`
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties: {LaunchTemplate: {LaunchTemplateName: shared}, IamInstanceProfile: shared}
  NotAProfile:
    Type: AWS::EC2::LaunchTemplate
    Properties: {LaunchTemplateName: other}
  AlsoNot:
    Type: AWS::IAM::Role
    Properties: {RoleName: shared}
`);
    // The launch template's implied root volume belongs to it; no name links anything.
    expect(edges).toEqual(["NotAProfile#Properties/LaunchTemplateData/BlockDeviceMappings -owner-> NotAProfile"]);
  });

  it("links a conditional reference through its possible values", () => {
    const { edges } = graphOf(`
Conditions:
  InEu: !Equals [!Ref AWS::Region, eu-west-1]
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties: {IamInstanceProfile: !If [InEu, !Ref EuProfile, !Ref AWS::NoValue]}
  EuProfile:
    Type: AWS::IAM::InstanceProfile
    Properties: {Roles: []}
`);
    expect(edges).toEqual(["Web -iam_instance_profile-> EuProfile", "Web#Properties/BlockDeviceMappings -owner-> Web"]);
  });
});
