/**
 * Terraform resource types of the network rules → canonical kinds (see ec2.ts for the shape).
 * Paths are relative to the resource block; defaults are the AWS provider's own.
 */
import type { AttributeSpec, ChildSpec, KindSpec } from "../../../graph/mapping.js";
import { inlineRules } from "./ec2.js";

/** The arguments of an `ingress` / `egress` block of a network ACL. */
const aclEntryFields: Record<string, AttributeSpec> = {
  rule_number: { from: "rule_no", as: "number" },
  action: { from: "action" },
  protocol: { from: "protocol", as: "protocol" },
  from_port: { from: "from_port", as: "number" },
  to_port: { from: "to_port", as: "number" },
  cidr_ipv4: { from: "cidr_block" },
  cidr_ipv6: { from: "ipv6_cidr_block" },
};

const aclEntries = (list: "ingress" | "egress"): ChildSpec => ({
  kind: "aws.ec2.network_acl_entry",
  list,
  ownerAttribute: "network_acl",
  fixed: { egress: list === "egress" },
  attributes: aclEntryFields,
});

const loadBalancer: KindSpec = {
  kind: "aws.elbv2.load_balancer",
  attributes: {
    name: { from: "name" },
    type: { from: "load_balancer_type", default: "application" },
    // Terraform says `internal = true` (default false) for CloudFormation's `Scheme: internal`.
    scheme: { from: "internal", default: false, as: "boolean", translate: { true: "internal", false: "internet-facing" } },
  },
};

export const NETWORK_KINDS: Record<string, KindSpec> = {
  aws_default_security_group: {
    kind: "aws.ec2.security_group",
    attributes: {
      is_default: { value: true },
      vpc: { from: "vpc_id" },
    },
    children: inlineRules,
  },
  aws_subnet: {
    kind: "aws.ec2.subnet",
    attributes: {
      vpc: { from: "vpc_id" },
      cidr_ipv4: { from: "cidr_block" },
      map_public_ip_on_launch: { from: "map_public_ip_on_launch", default: false, as: "boolean" },
    },
  },
  aws_network_acl: {
    kind: "aws.ec2.network_acl",
    attributes: { vpc: { from: "vpc_id" } },
    children: [aclEntries("ingress"), aclEntries("egress")],
  },
  aws_default_network_acl: {
    kind: "aws.ec2.network_acl",
    attributes: { is_default: { value: true } },
    children: [aclEntries("ingress"), aclEntries("egress")],
  },
  aws_network_acl_rule: {
    kind: "aws.ec2.network_acl_entry",
    attributes: {
      network_acl: { from: "network_acl_id" },
      egress: { from: "egress", default: false, as: "boolean" },
      ...aclEntryFields,
      rule_number: { from: "rule_number", as: "number" },
      action: { from: "rule_action" },
    },
  },
  aws_lb: loadBalancer,
  aws_alb: loadBalancer,
  aws_wafv2_web_acl_association: {
    kind: "aws.wafv2.web_acl_association",
    attributes: {
      resource_arn: { from: "resource_arn" },
      web_acl_arn: { from: "web_acl_arn" },
    },
  },
};
