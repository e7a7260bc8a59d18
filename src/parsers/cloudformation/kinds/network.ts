/**
 * Cloudformation resource types of the network rules → canonical kinds (see ec2.ts for the shape).
 * Paths are relative to `Properties`; defaults are CloudFormation's own.
 *
 * CloudFormation has no resource for a VPC's default security group or default network ACL:
 * rules and entries are added to them through `Fn::GetAtt <Vpc>.DefaultSecurityGroup` and
 * `Fn::GetAtt <Vpc>.DefaultNetworkAcl`, which make edges to the `AWS::EC2::VPC` node.
 */
import type { KindSpec } from "../../../graph/mapping.js";

export const NETWORK_KINDS: Record<string, KindSpec> = {
  "AWS::EC2::Subnet": {
    kind: "aws.ec2.subnet",
    attributes: {
      vpc: { from: "VpcId" },
      cidr_ipv4: { from: "CidrBlock" },
      map_public_ip_on_launch: { from: "MapPublicIpOnLaunch", default: false, as: "boolean" },
    },
  },
  "AWS::EC2::NetworkAcl": {
    kind: "aws.ec2.network_acl",
    attributes: { vpc: { from: "VpcId" } },
  },
  "AWS::EC2::NetworkAclEntry": {
    kind: "aws.ec2.network_acl_entry",
    attributes: {
      network_acl: { from: "NetworkAclId" },
      rule_number: { from: "RuleNumber", as: "number" },
      egress: { from: "Egress", default: false, as: "boolean" },
      action: { from: "RuleAction" },
      protocol: { from: "Protocol", as: "protocol" },
      from_port: { from: "PortRange.From", as: "number" },
      to_port: { from: "PortRange.To", as: "number" },
      cidr_ipv4: { from: "CidrBlock" },
      cidr_ipv6: { from: "Ipv6CidrBlock" },
    },
  },
  "AWS::ElasticLoadBalancingV2::LoadBalancer": {
    kind: "aws.elbv2.load_balancer",
    attributes: {
      name: { from: "Name" },
      type: { from: "Type", default: "application" },
      // `internal` or `internet-facing` (default); Terraform's `internal` is translated to it.
      scheme: { from: "Scheme", default: "internet-facing" },
    },
  },
  "AWS::WAFv2::WebACLAssociation": {
    kind: "aws.wafv2.web_acl_association",
    attributes: {
      resource_arn: { from: "ResourceArn" },
      web_acl_arn: { from: "WebACLArn" },
    },
  },
};
