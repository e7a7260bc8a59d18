// Kinds of the network rules as tables: CloudFormation and Terraform snippets → graph nodes
// and the edges the rules follow (entry → ACL, rule → default group or VPC, association → LB).
import { describe, expect, it } from "vitest";
import { CLOUDFORMATION_KINDS } from "../../src/parsers/cloudformation/adapters.js";
import { TERRAFORM_KINDS } from "../../src/parsers/terraform/adapters.js";
import { cfnNodes as cfnNodesIn, edgesOf, ref, summary, tfNodes } from "../helpers/graph.js";

const FILE = "stacks/network.yaml";
const cfnNodes = (body: string) => cfnNodesIn(FILE, body);

type Row = [name: string, source: string, expected: ReturnType<typeof summary>[]];

describe("CloudFormation network kinds: template snippet → graph nodes", () => {
  const rows: Row[] = [
    [
      "subnet: MapPublicIpOnLaunch as a string, and its default",
      `
Resources:
  Public:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24, MapPublicIpOnLaunch: "True"}
  Private:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-1, CidrBlock: 10.0.1.0/24}
`,
      [
        { kind: "aws.ec2.subnet", address: "Public", attributes: { vpc: "vpc-1", cidr_ipv4: "10.0.0.0/24", map_public_ip_on_launch: true } },
        { kind: "aws.ec2.subnet", address: "Private", attributes: { vpc: "vpc-1", cidr_ipv4: "10.0.1.0/24", map_public_ip_on_launch: false } },
      ],
    ],
    [
      "network ACL and its entries: protocol numbers, port range, Egress default, IPv6",
      `
Resources:
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties: {VpcId: vpc-1}
  Ssh:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: "100"
      Protocol: 6
      RuleAction: allow
      PortRange: {From: "22", To: 22}
      CidrBlock: 0.0.0.0/0
  All:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 200, Protocol: -1, RuleAction: deny, Egress: "true", Ipv6CidrBlock: "::/0"}
`,
      [
        { kind: "aws.ec2.network_acl", address: "Acl", attributes: { vpc: "vpc-1" } },
        {
          kind: "aws.ec2.network_acl_entry",
          address: "Ssh",
          attributes: {
            network_acl: ref("Acl"),
            rule_number: 100,
            egress: false,
            action: "allow",
            protocol: "tcp",
            from_port: 22,
            to_port: 22,
            cidr_ipv4: "0.0.0.0/0",
          },
        },
        {
          kind: "aws.ec2.network_acl_entry",
          address: "All",
          attributes: { network_acl: ref("Acl"), rule_number: 200, egress: true, action: "deny", protocol: "all", cidr_ipv6: "::/0" },
        },
      ],
    ],
    [
      "load balancers: CloudFormation's defaults for Type and Scheme; a WAFv2 association",
      `
Resources:
  Web:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Name: web, Subnets: [subnet-1]}
  Tcp:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network, Scheme: internal, Subnets: [subnet-1]}
  Association:
    Type: AWS::WAFv2::WebACLAssociation
    Properties: {ResourceArn: !Ref Web, WebACLArn: !GetAtt Acl.Arn}
  Acl:
    Type: AWS::WAFv2::WebACL
    Properties: {Scope: REGIONAL}
`,
      [
        { kind: "aws.elbv2.load_balancer", address: "Web", attributes: { name: "web", type: "application", scheme: "internet-facing" } },
        { kind: "aws.elbv2.load_balancer", address: "Tcp", attributes: { type: "network", scheme: "internal" } },
        { kind: "aws.wafv2.web_acl_association", address: "Association", attributes: { resource_arn: ref("Web"), web_acl_arn: ref("Acl", "Arn") } },
        { kind: "AWS::WAFv2::WebACL", address: "Acl", attributes: { Scope: "REGIONAL" } },
      ],
    ],
  ];

  it.each(rows)("%s", (_name, template, expected) => {
    expect(cfnNodes(template).map(summary)).toEqual(expected);
  });

  it("links entries to their ACL (or the VPC's default ACL), rules to a VPC's default group, associations to load balancers", () => {
    const nodes = cfnNodes(`
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties: {VpcId: !Ref Vpc}
  Entry:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 1, Protocol: -1, RuleAction: deny, CidrBlock: 0.0.0.0/0}
  DefaultEntry:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !GetAtt Vpc.DefaultNetworkAcl, RuleNumber: 1, Protocol: -1, RuleAction: deny, CidrBlock: 0.0.0.0/0}
  DefaultIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !GetAtt Vpc.DefaultSecurityGroup, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16}
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: [subnet-1]}
  Association:
    Type: AWS::WAFv2::WebACLAssociation
    Properties: {ResourceArn: !GetAtt Lb.LoadBalancerArn, WebACLArn: arn:aws:wafv2:eu-west-1:1:regional/webacl/x/1}
`);
    expect(edgesOf(nodes, CLOUDFORMATION_KINDS)).toEqual(
      [
        "Acl -vpc-> Vpc",
        "Association -resource_arn-> Lb",
        "DefaultEntry -network_acl-> Vpc",
        "DefaultIngress -security_group-> Vpc",
        "Entry -network_acl-> Acl",
      ].sort(),
    );
  });
});

describe("Terraform network kinds: HCL snippet → graph nodes", () => {
  const rows: Row[] = [
    [
      "aws_default_security_group: a security group marked default, with its inline rules",
      `resource "aws_default_security_group" "default" {
  vpc_id = "vpc-1"
  ingress {
    protocol  = "-1"
    self      = true
    from_port = 0
    to_port   = 0
  }
  egress {
    protocol    = "6"
    from_port   = "443"
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}`,
      [
        { kind: "aws.ec2.security_group", address: "aws_default_security_group.default", attributes: { is_default: true, vpc: "vpc-1" } },
        {
          kind: "aws.ec2.sg_rule",
          address: "aws_default_security_group.default",
          childPath: ["ingress", 0],
          attributes: {
            direction: "ingress",
            protocol: "all",
            from_port: 0,
            to_port: 0,
            self: true,
            security_group: ref("aws_default_security_group.default"),
          },
        },
        {
          kind: "aws.ec2.sg_rule",
          address: "aws_default_security_group.default",
          childPath: ["egress", 0],
          attributes: {
            direction: "egress",
            protocol: "tcp",
            from_port: 443,
            to_port: 443,
            cidr_ipv4: ["0.0.0.0/0"],
            security_group: ref("aws_default_security_group.default"),
          },
        },
      ],
    ],
    [
      "aws_subnet: map_public_ip_on_launch and its default",
      `resource "aws_subnet" "public" {
  vpc_id                  = "vpc-1"
  cidr_block              = "10.0.0.0/24"
  map_public_ip_on_launch = "true"
}
resource "aws_subnet" "private" {
  vpc_id     = "vpc-1"
  cidr_block = "10.0.1.0/24"
}`,
      [
        { kind: "aws.ec2.subnet", address: "aws_subnet.private", attributes: { vpc: "vpc-1", cidr_ipv4: "10.0.1.0/24", map_public_ip_on_launch: false } },
        { kind: "aws.ec2.subnet", address: "aws_subnet.public", attributes: { vpc: "vpc-1", cidr_ipv4: "10.0.0.0/24", map_public_ip_on_launch: true } },
      ],
    ],
    [
      "aws_network_acl: ingress blocks and egress written as a list attribute become entries",
      `resource "aws_network_acl" "main" {
  vpc_id = "vpc-1"
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 22
    to_port    = 22
    cidr_block = "0.0.0.0/0"
  }
  egress = [
    {
      rule_no         = 200
      action          = "deny"
      protocol        = "all"
      from_port       = 0
      to_port         = 0
      ipv6_cidr_block = "::/0"
    }
  ]
}`,
      [
        { kind: "aws.ec2.network_acl", address: "aws_network_acl.main", attributes: { vpc: "vpc-1" } },
        {
          kind: "aws.ec2.network_acl_entry",
          address: "aws_network_acl.main",
          childPath: ["ingress", 0],
          attributes: {
            egress: false,
            rule_number: 100,
            action: "allow",
            protocol: "tcp",
            from_port: 22,
            to_port: 22,
            cidr_ipv4: "0.0.0.0/0",
            network_acl: ref("aws_network_acl.main"),
          },
        },
        {
          kind: "aws.ec2.network_acl_entry",
          address: "aws_network_acl.main",
          childPath: ["egress", 0],
          attributes: {
            egress: true,
            rule_number: 200,
            action: "deny",
            protocol: "all",
            cidr_ipv6: "::/0",
            network_acl: ref("aws_network_acl.main"),
          },
        },
      ],
    ],
    [
      "aws_default_network_acl and aws_network_acl_rule: rule_number, rule_action, egress default, protocol -1",
      `resource "aws_default_network_acl" "default" {
  default_network_acl_id = "acl-1"
  ingress {
    rule_no    = 10
    action     = "deny"
    protocol   = "6"
    from_port  = 0
    to_port    = 1024
    cidr_block = "0.0.0.0/0"
  }
}
resource "aws_network_acl_rule" "rdp" {
  network_acl_id = aws_default_network_acl.default.id
  rule_number    = "120"
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}`,
      [
        { kind: "aws.ec2.network_acl", address: "aws_default_network_acl.default", attributes: { is_default: true } },
        {
          kind: "aws.ec2.network_acl_entry",
          address: "aws_default_network_acl.default",
          childPath: ["ingress", 0],
          attributes: { egress: false, rule_number: 10, action: "deny", protocol: "tcp", from_port: 0, to_port: 1024, cidr_ipv4: "0.0.0.0/0" },
        },
        {
          kind: "aws.ec2.network_acl_entry",
          address: "aws_network_acl_rule.rdp",
          attributes: {
            network_acl: ref("aws_default_network_acl.default", "id"),
            egress: false,
            rule_number: 120,
            action: "allow",
            protocol: "all",
            cidr_ipv4: "0.0.0.0/0",
          },
        },
      ],
    ],
    [
      "aws_lb and aws_alb: the provider's defaults for internal and load_balancer_type, internal read as CloudFormation's scheme; a WAFv2 association",
      `resource "aws_lb" "web" { name = "web" }
resource "aws_alb" "api" {
  internal           = "true"
  load_balancer_type = "application"
}
resource "aws_lb" "tcp" { load_balancer_type = "network" }
resource "aws_wafv2_web_acl_association" "web" {
  resource_arn = aws_lb.web.arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:1:regional/webacl/x/1"
}`,
      [
        { kind: "aws.elbv2.load_balancer", address: "aws_alb.api", attributes: { type: "application", scheme: "internal" } },
        { kind: "aws.elbv2.load_balancer", address: "aws_lb.tcp", attributes: { type: "network", scheme: "internet-facing" } },
        { kind: "aws.elbv2.load_balancer", address: "aws_lb.web", attributes: { name: "web", type: "application", scheme: "internet-facing" } },
        {
          kind: "aws.wafv2.web_acl_association",
          address: "aws_wafv2_web_acl_association.web",
          attributes: { resource_arn: ref("aws_lb.web", "arn"), web_acl_arn: "arn:aws:wafv2:eu-west-1:1:regional/webacl/x/1" },
        },
      ],
    ],
  ];

  it.each(rows)("%s", async (_name, hcl, expected) => {
    const got = (await tfNodes(hcl)).map(summary);
    expect(got).toMatchObject(expected);
    expect(got).toHaveLength(expected.length);
  });

  it("links entries to their ACL, rules to a managed default group or a VPC's default group, associations to load balancers", async () => {
    const nodes = await tfNodes(`resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_network_acl" "acl" {
  vpc_id = aws_vpc.main.id
  ingress {
    rule_no    = 1
    action     = "deny"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    cidr_block = "0.0.0.0/0"
  }
}
resource "aws_network_acl_rule" "r" {
  network_acl_id = aws_network_acl.acl.id
  rule_number    = 2
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}
resource "aws_default_security_group" "default" { vpc_id = aws_vpc.main.id }
resource "aws_security_group_rule" "on_default" {
  type              = "egress"
  security_group_id = aws_default_security_group.default.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
}
resource "aws_vpc_security_group_ingress_rule" "on_vpc" {
  security_group_id = aws_vpc.main.default_security_group_id
  ip_protocol       = "-1"
}
resource "aws_lb" "web" {}
resource "aws_wafv2_web_acl_association" "web" {
  resource_arn = aws_lb.web.arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:1:regional/webacl/x/1"
}`);
    expect(edgesOf(nodes, TERRAFORM_KINDS)).toEqual(
      [
        "aws_default_security_group.default -vpc-> aws_vpc.main",
        "aws_network_acl.acl -vpc-> aws_vpc.main",
        "aws_network_acl.acl#ingress/0 -network_acl-> aws_network_acl.acl",
        "aws_network_acl_rule.r -network_acl-> aws_network_acl.acl",
        "aws_security_group_rule.on_default -security_group-> aws_default_security_group.default",
        "aws_vpc_security_group_ingress_rule.on_vpc -security_group-> aws_vpc.main",
        "aws_wafv2_web_acl_association.web -resource_arn-> aws_lb.web",
      ].sort(),
    );
  });
});
