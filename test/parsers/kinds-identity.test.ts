// Identity, key and instance kinds as tables: template snippet → canonical nodes, attributes and edges.
import { describe, expect, it } from "vitest";
import { ResourceGraph } from "../../src/graph/graph.js";
import { linkScope } from "../../src/graph/link.js";
import { CLOUDFORMATION_KINDS } from "../../src/parsers/cloudformation/adapters.js";
import { TERRAFORM_KINDS } from "../../src/parsers/terraform/adapters.js";
import { cfnNodes as cfnNodesIn, edgesOf, summary, tfNodes } from "../helpers/graph.js";

const FILE = "stacks/identity.yaml";
const cfnNodes = (body: string) => cfnNodesIn(FILE, body);

type Row = [name: string, source: string, expected: { kind: string; address: string; childPath?: (string | number)[]; attributes: Record<string, unknown> }[]];

/** The root volume an instance, launch template or launch configuration gets from its image when no block describes it. */
const rootVolume = (address: string) => ({ kind: "aws.ebs.volume", address, attributes: { attachment: "block_device", encrypted: false } });

const SCRIPT = "#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n";
const SCRIPT_B64 = Buffer.from(SCRIPT, "utf8").toString("base64");

describe("CloudFormation identity kinds: template snippet → graph nodes", () => {
  const rows: Row[] = [
    [
      "user data: Fn::Base64 of text and a base64 literal are decoded, other text is kept",
      `Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      UserData: {"Fn::Base64": ${JSON.stringify(SCRIPT)}}
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {UserData: ${SCRIPT_B64}}
  Lc:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-1
      UserData: "#!/bin/bash not base64"`,
      [
        { kind: "aws.ec2.instance", address: "Web", attributes: { user_data: SCRIPT } },
        rootVolume("Web"),
        { kind: "aws.ec2.launch_template", address: "Lt", attributes: { user_data: SCRIPT } },
        rootVolume("Lt"),
        { kind: "aws.autoscaling.launch_configuration", address: "Lc", attributes: { user_data: "#!/bin/bash not base64" } },
        rootVolume("Lc"),
      ],
    ],
    [
      "role: trust policy, inline policies and managed policy ARNs as policy and attachment nodes",
      `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]
      Policies:
        - PolicyName: all
          PolicyDocument: {Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}`,
      [
        {
          kind: "aws.iam.role",
          address: "Role",
          attributes: {
            name: "app",
            assume_role_policy: { Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] },
            managed_policy_arns: ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
          },
        },
        {
          kind: "aws.iam.policy",
          address: "Role",
          childPath: ["Properties", "Policies", 0],
          attributes: { name: "all", document: { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }, roles: expect.objectContaining({ ref: { target: "Role" } }) },
        },
        {
          kind: "aws.iam.policy_attachment",
          address: "Role",
          childPath: ["Properties", "ManagedPolicyArns", 0],
          attributes: { policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", roles: expect.objectContaining({ ref: { target: "Role" } }) },
        },
      ],
    ],
    [
      "policies as resources, access keys and KMS keys with CloudFormation's defaults",
      `Resources:
  Policy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      Roles: [app]
      PolicyDocument: '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}'
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {Statement: []}
  RolePolicy:
    Type: AWS::IAM::RolePolicy
    Properties:
      RoleName: app
      PolicyName: rp
      PolicyDocument: {Statement: []}
  Key:
    Type: AWS::IAM::AccessKey
    Properties: {UserName: deployer}
  Cmk:
    Type: AWS::KMS::Key
    Properties: {KeyPolicy: {}}
  Signing:
    Type: AWS::KMS::Key
    Properties: {KeySpec: RSA_2048, KeyUsage: SIGN_VERIFY, EnableKeyRotation: "false", Origin: EXTERNAL, PendingWindowInDays: "7"}`,
      [
        {
          kind: "aws.iam.policy",
          address: "Policy",
          attributes: { name: "p", roles: ["app"], document: { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] } },
        },
        { kind: "aws.iam.policy", address: "Managed", attributes: { document: { Statement: [] } } },
        { kind: "aws.iam.policy", address: "RolePolicy", attributes: { name: "rp", roles: ["app"], document: { Statement: [] } } },
        { kind: "aws.iam.access_key", address: "Key", attributes: { user: "deployer", status: "Active" } },
        {
          kind: "aws.kms.key",
          address: "Cmk",
          attributes: { enabled: true, key_rotation_enabled: false, key_spec: "SYMMETRIC_DEFAULT", key_usage: "ENCRYPT_DECRYPT", origin: "AWS_KMS", multi_region: false },
        },
        {
          kind: "aws.kms.key",
          address: "Signing",
          attributes: { key_rotation_enabled: false, key_spec: "RSA_2048", key_usage: "SIGN_VERIFY", origin: "EXTERNAL", pending_window_days: 7 },
        },
      ],
    ],
  ];

  it.each(rows)("%s", (_name, template, expected) => {
    const got = cfnNodes(template).map(summary);
    expect(got).toMatchObject(expected);
    expect(got).toHaveLength(expected.length);
  });

  it("links policies, attachments, profiles and user data to what they name", () => {
    const nodes = cfnNodes(`Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns: [!Ref Managed]
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties: {PolicyDocument: {}}
  ByName:
    Type: AWS::IAM::Policy
    Properties: {PolicyName: n, Roles: [app], PolicyDocument: {}}
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties: {Roles: [app]}
  Key:
    Type: AWS::IAM::AccessKey
    Properties: {UserName: deployer}
  Web:
    Type: AWS::EC2::Instance
    Properties:
      UserData: {"Fn::Base64": {"Fn::Sub": "export AWS_SECRET_ACCESS_KEY=\${Key.SecretAccessKey}"}}`);
    expect(edgesOf(nodes, CLOUDFORMATION_KINDS)).toEqual([
      "ByName -roles-> Role",
      "Profile -roles-> Role",
      "Role -managed_policy_arns-> Managed",
      "Role#Properties/ManagedPolicyArns/0 -policy_arn-> Managed",
      "Role#Properties/ManagedPolicyArns/0 -roles-> Role",
      "Web -user_data-> Key",
      // The root volume the instance gets from its image.
      "Web#Properties/BlockDeviceMappings -owner-> Web",
    ]);
  });
});

describe("Terraform identity kinds: HCL snippet → graph nodes", () => {
  const rows: Row[] = [
    [
      "user data: plain text, user_data_base64 and a launch template's base64 decoded into one attribute",
      `resource "aws_instance" "plain" {
  user_data = "#!/bin/bash\\necho hi\\n"
}
resource "aws_instance" "encoded" {
  user_data_base64 = base64encode("#!/bin/bash\\necho hi\\n")
}
resource "aws_launch_template" "lt" {
  user_data = base64encode("#!/bin/bash\\necho hi\\n")
  metadata_options {
    http_tokens   = "required"
    http_endpoint = "enabled"
  }
}
resource "aws_launch_configuration" "lc" {
  user_data_base64 = "${SCRIPT_B64}"
}`,
      [
        { kind: "aws.ec2.instance", address: "aws_instance.plain", attributes: { user_data: "#!/bin/bash\necho hi\n" } },
        rootVolume("aws_instance.plain"),
        { kind: "aws.ec2.instance", address: "aws_instance.encoded", attributes: { user_data: "#!/bin/bash\necho hi\n" } },
        rootVolume("aws_instance.encoded"),
        {
          kind: "aws.ec2.launch_template",
          address: "aws_launch_template.lt",
          attributes: { user_data: "#!/bin/bash\necho hi\n", metadata_options: { http_tokens: "required", http_endpoint: "enabled" } },
        },
        rootVolume("aws_launch_template.lt"),
        { kind: "aws.autoscaling.launch_configuration", address: "aws_launch_configuration.lc", attributes: { user_data: SCRIPT } },
        rootVolume("aws_launch_configuration.lc"),
      ],
    ],
    [
      "role: JSON trust policy from jsonencode, inline policy blocks and managed policy ARNs",
      `resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" } }] })
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
  inline_policy {
    name   = "all"
    policy = <<-EOF
      {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    EOF
  }
}`,
      [
        {
          kind: "aws.iam.role",
          address: "aws_iam_role.app",
          attributes: { name: "app", assume_role_policy: { Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" } }] } },
        },
        {
          kind: "aws.iam.policy",
          address: "aws_iam_role.app",
          childPath: ["inline_policy", 0],
          attributes: { name: "all", document: { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } },
        },
        {
          kind: "aws.iam.policy_attachment",
          address: "aws_iam_role.app",
          childPath: ["managed_policy_arns", 0],
          attributes: { policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
        },
      ],
    ],
    [
      "policies, attachments, access keys, password policy, KMS keys and the default EBS key",
      `resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Statement = [] })
}
resource "aws_iam_role_policy" "rp" {
  role   = "app"
  policy = "not json"
}
resource "aws_iam_role_policy_attachment" "a" {
  role       = "app"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_policy_attachment" "pa" {
  name       = "pa"
  roles      = ["app", "worker"]
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
resource "aws_iam_access_key" "k" {
  user = "deployer"
}
resource "aws_iam_account_password_policy" "pp" {
  minimum_password_length = "14"
  require_symbols         = true
}
resource "aws_kms_key" "k" {}
resource "aws_kms_key" "hsm" {
  custom_key_store_id      = "cks-1"
  customer_master_key_spec = "HMAC_256"
  enable_key_rotation      = true
}
resource "aws_kms_external_key" "x" {}
resource "aws_ebs_default_kms_key" "d" {
  key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1"
}`,
      [
        { kind: "aws.iam.policy", address: "aws_iam_policy.p", attributes: { name: "p", document: { Statement: [] } } },
        { kind: "aws.iam.policy", address: "aws_iam_role_policy.rp", attributes: { roles: ["app"], document: "not json" } },
        { kind: "aws.iam.policy_attachment", address: "aws_iam_role_policy_attachment.a", attributes: { roles: ["app"], policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } },
        { kind: "aws.iam.policy_attachment", address: "aws_iam_policy_attachment.pa", attributes: { roles: ["app", "worker"] } },
        { kind: "aws.iam.access_key", address: "aws_iam_access_key.k", attributes: { user: "deployer", status: "Active" } },
        {
          kind: "aws.iam.password_policy",
          address: "aws_iam_account_password_policy.pp",
          attributes: {
            minimum_length: 14,
            require_symbols: true,
            require_uppercase: false,
            require_lowercase: false,
            require_numbers: false,
            allow_users_to_change: true,
          },
        },
        {
          kind: "aws.kms.key",
          address: "aws_kms_key.k",
          attributes: { enabled: true, key_rotation_enabled: false, key_spec: "SYMMETRIC_DEFAULT", key_usage: "ENCRYPT_DECRYPT", origin: "AWS_KMS" },
        },
        { kind: "aws.kms.key", address: "aws_kms_key.hsm", attributes: { key_rotation_enabled: true, key_spec: "HMAC_256", custom_key_store: "cks-1" } },
        { kind: "aws.kms.key", address: "aws_kms_external_key.x", attributes: { origin: "EXTERNAL", key_spec: "SYMMETRIC_DEFAULT" } },
        { kind: "aws.ebs.default_kms_key", address: "aws_ebs_default_kms_key.d", attributes: { key_arn: "arn:aws:kms:eu-west-1:123456789012:key/1" } },
      ],
    ],
  ];

  it.each(rows)("%s", async (_name, hcl, expected) => {
    // Terraform nodes come in address order.
    const key = (n: { address: string; childPath?: (string | number)[] }) => `${n.address}#${(n.childPath ?? []).join("/")}`;
    const got = (await tfNodes(hcl)).map(summary).sort((a, b) => key(a).localeCompare(key(b)));
    expect(got).toMatchObject([...expected].sort((a, b) => key(a).localeCompare(key(b))));
    expect(got).toHaveLength(expected.length);
  });

  it("links attachments and profiles to roles by reference and by name, user data to an access key, and sets the default key fact", async () => {
    const nodes = await tfNodes(`resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = "{}"
}
resource "aws_iam_policy" "p" {
  policy = "{}"
}
resource "aws_iam_role_policy_attachment" "by_ref" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.p.arn
}
resource "aws_iam_role_policy" "by_name" {
  role   = "app"
  policy = "{}"
}
resource "aws_iam_instance_profile" "app" {
  role = aws_iam_role.app.name
}
resource "aws_iam_access_key" "k" {
  user = "deployer"
}
resource "aws_instance" "web" {
  user_data = "export AWS_SECRET_ACCESS_KEY=\${aws_iam_access_key.k.secret}"
}
resource "aws_ebs_default_kms_key" "d" {
  key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1"
}`);
    expect(edgesOf(nodes, TERRAFORM_KINDS)).toEqual([
      "aws_iam_instance_profile.app -roles-> aws_iam_role.app",
      "aws_iam_role_policy.by_name -roles-> aws_iam_role.app",
      "aws_iam_role_policy_attachment.by_ref -policy_arn-> aws_iam_policy.p",
      "aws_iam_role_policy_attachment.by_ref -roles-> aws_iam_role.app",
      "aws_instance.web -user_data-> aws_iam_access_key.k",
      // The root volume the instance gets from its image.
      "aws_instance.web#root_block_device -owner-> aws_instance.web",
    ]);
    const graph = new ResourceGraph();
    for (const n of nodes) graph.addNode(n);
    linkScope(graph, nodes, TERRAFORM_KINDS);
    expect(graph.fact(nodes[0]!.scope, "ebs_default_kms_key")).toBe("arn:aws:kms:eu-west-1:123456789012:key/1");
  });
});
