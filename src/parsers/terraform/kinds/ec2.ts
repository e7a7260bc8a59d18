/**
 * Terraform resource types → canonical kinds. Paths are relative to the resource block;
 * nested blocks are lists (`root_block_device.0.encrypted`). Defaults are the AWS
 * provider's own for arguments a configuration leaves out.
 */
import type { AttributeSpec, ChildSpec, ImpliedItem, KindSpec } from "../../../graph/mapping.js";
import { ROOT_DEVICES } from "../../aws-root-devices.js";

const FROM_SNAPSHOT = "the volume is created from snapshot {value} and is encrypted if that snapshot is";

/**
 * The root volume an instance (or the instances of a launch configuration or template) gets
 * from its image when no block describes it (see `settleImpliedRoots` for launch templates).
 */
const ROOT_VOLUME: ImpliedItem = { item: {} };
/** The root volume a launch template gives when none of its mappings is for a root device. */
const TEMPLATE_ROOT_VOLUME: ImpliedItem = { item: { ebs: [{}] }, rootDevices: ROOT_DEVICES, deviceName: "device_name" };

const volume = (list: string, prefix = "", implied?: ImpliedItem): ChildSpec => ({
  kind: "aws.ebs.volume",
  list,
  ...(implied ? { implied } : {}),
  ...(prefix ? { when: prefix.replace(/\.0\.$/, "") } : {}),
  ownerAttribute: "owner",
  fixed: { attachment: "block_device" },
  attributes: {
    device_name: { from: "device_name" },
    encrypted: {
      from: `${prefix}encrypted`,
      default: false,
      as: "boolean",
      unknownIfSet: { from: `${prefix}snapshot_id`, reason: FROM_SNAPSHOT },
    },
    kms_key_id: { from: `${prefix}kms_key_id` },
    snapshot_id: { from: `${prefix}snapshot_id` },
    volume_type: { from: `${prefix}volume_type` },
  },
});

/** The arguments of a security group's `ingress` / `egress` block and of `aws_security_group_rule`. */
export const ruleFields: Record<string, AttributeSpec> = {
  protocol: { from: "protocol", as: "protocol" },
  from_port: { from: "from_port", as: "number" },
  to_port: { from: "to_port", as: "number" },
  cidr_ipv4: { from: "cidr_blocks", as: "list" },
  cidr_ipv6: { from: "ipv6_cidr_blocks", as: "list" },
  peer_security_group: { from: ["security_groups", "source_security_group_id"] },
  prefix_list: { from: "prefix_list_ids" },
  self: { from: "self", as: "boolean" },
  description: { from: "description" },
};

const vpcRuleFields = (direction: "ingress" | "egress"): Record<string, AttributeSpec> => ({
  direction: { value: direction },
  security_group: { from: "security_group_id" },
  protocol: { from: "ip_protocol", as: "protocol" },
  from_port: { from: "from_port", as: "number" },
  to_port: { from: "to_port", as: "number" },
  cidr_ipv4: { from: "cidr_ipv4", as: "item" },
  cidr_ipv6: { from: "cidr_ipv6", as: "item" },
  peer_security_group: { from: "referenced_security_group_id" },
  prefix_list: { from: "prefix_list_id" },
  description: { from: "description" },
});

/** The inline `ingress` and `egress` blocks of a security group, as rule nodes of their own. */
export const inlineRules: ChildSpec[] = [
  { kind: "aws.ec2.sg_rule", list: "ingress", ownerAttribute: "security_group", fixed: { direction: "ingress" }, attributes: ruleFields },
  { kind: "aws.ec2.sg_rule", list: "egress", ownerAttribute: "security_group", fixed: { direction: "egress" }, attributes: ruleFields },
];

/**
 * An instance, and a spot instance request, which launches one instance from the same
 * arguments (the provider documents it as taking every argument of `aws_instance`).
 */
const instance: KindSpec = {
  kind: "aws.ec2.instance",
  attributes: {
    iam_instance_profile: { from: "iam_instance_profile" },
    "launch_template.id": { from: "launch_template.0.id" },
    "launch_template.name": { from: "launch_template.0.name" },
    "launch_template.version": { from: "launch_template.0.version" },
    monitoring: { from: "monitoring", default: false, as: "boolean" },
    // The provider passes base64 in user_data through as it is and encodes anything else:
    // the canonical value is the decoded text, whichever argument holds it.
    user_data: { from: ["user_data", "user_data_base64"], as: "base64" },
    subnet: { from: "subnet_id" },
    security_groups: { from: ["vpc_security_group_ids", "security_groups"] },
    associate_public_ip: { from: "associate_public_ip_address", as: "boolean" },
    "metadata_options.http_tokens": { from: "metadata_options.0.http_tokens" },
    "metadata_options.http_endpoint": { from: "metadata_options.0.http_endpoint" },
    ebs_optimized: { from: "ebs_optimized", as: "boolean" },
  },
  children: [volume("root_block_device", "", ROOT_VOLUME), volume("ebs_block_device")],
  links: [
    { attr: "launch_template.name", kind: "aws.ec2.launch_template", by: "name" },
    { attr: "iam_instance_profile", kind: "aws.iam.instance_profile", by: "name" },
  ],
};

export const EC2_KINDS: Record<string, KindSpec> = {
  aws_instance: instance,
  aws_spot_instance_request: instance,
  aws_launch_template: {
    kind: "aws.ec2.launch_template",
    attributes: {
      name: { from: "name" },
      "iam_instance_profile.arn": { from: "iam_instance_profile.0.arn" },
      "iam_instance_profile.name": { from: "iam_instance_profile.0.name" },
      "metadata_options.http_tokens": { from: "metadata_options.0.http_tokens" },
      "metadata_options.http_endpoint": { from: "metadata_options.0.http_endpoint" },
      monitoring: { from: "monitoring.0.enabled", as: "boolean" },
      user_data: { from: "user_data", as: "base64" },
      network_interfaces: { from: "network_interfaces" },
    },
    children: [volume("block_device_mappings", "ebs.0.", TEMPLATE_ROOT_VOLUME)],
    links: [{ attr: "iam_instance_profile.name", kind: "aws.iam.instance_profile", by: "name" }],
  },
  // A managed node group launches its nodes from the launch template it names; EKS gives them
  // an instance profile for the node role (the template must not name one).
  aws_eks_node_group: {
    kind: "aws.eks.node_group",
    attributes: {
      "launch_template.id": { from: "launch_template.0.id" },
      "launch_template.name": { from: "launch_template.0.name" },
      "launch_template.version": { from: "launch_template.0.version" },
      node_role: { from: "node_role_arn" },
    },
    links: [{ attr: "launch_template.name", kind: "aws.ec2.launch_template", by: "name" }],
  },
  aws_launch_configuration: {
    kind: "aws.autoscaling.launch_configuration",
    attributes: {
      name: { from: "name" },
      iam_instance_profile: { from: "iam_instance_profile" },
      "metadata_options.http_tokens": { from: "metadata_options.0.http_tokens" },
      "metadata_options.http_endpoint": { from: "metadata_options.0.http_endpoint" },
      monitoring: { from: "enable_monitoring", default: true, as: "boolean" },
      user_data: { from: ["user_data", "user_data_base64"], as: "base64" },
      associate_public_ip: { from: "associate_public_ip_address", as: "boolean" },
    },
    children: [volume("root_block_device", "", ROOT_VOLUME), volume("ebs_block_device")],
    links: [{ attr: "iam_instance_profile", kind: "aws.iam.instance_profile", by: "name" }],
  },
  aws_ebs_volume: {
    kind: "aws.ebs.volume",
    attributes: {
      attachment: { value: "volume" },
      encrypted: { from: "encrypted", default: false, as: "boolean", unknownIfSet: { from: "snapshot_id", reason: FROM_SNAPSHOT } },
      kms_key_id: { from: "kms_key_id" },
      snapshot_id: { from: "snapshot_id" },
      volume_type: { from: "type" },
    },
  },
  aws_ebs_encryption_by_default: {
    kind: "aws.ebs.encryption_by_default",
    attributes: { enabled: { from: "enabled", default: true, as: "boolean" } },
    fact: { name: "ebs_encryption_by_default", attr: "enabled" },
  },
  aws_security_group: {
    kind: "aws.ec2.security_group",
    attributes: {
      name: { from: "name" },
      description: { from: "description" },
      vpc: { from: "vpc_id" },
    },
    children: inlineRules,
  },
  aws_security_group_rule: {
    kind: "aws.ec2.sg_rule",
    attributes: { direction: { from: "type" }, security_group: { from: "security_group_id" }, ...ruleFields },
  },
  aws_vpc_security_group_ingress_rule: { kind: "aws.ec2.sg_rule", attributes: vpcRuleFields("ingress") },
  aws_vpc_security_group_egress_rule: { kind: "aws.ec2.sg_rule", attributes: vpcRuleFields("egress") },
  aws_iam_instance_profile: {
    kind: "aws.iam.instance_profile",
    attributes: { name: { from: "name" }, roles: { from: "role", as: "item" } },
    links: [{ attr: "roles.0", kind: "aws.iam.role", by: "name" }],
  },
  aws_iam_role: {
    kind: "aws.iam.role",
    attributes: {
      name: { from: "name" },
      // A JSON string (jsonencode, a heredoc, a policy document's json): parsed into data.
      assume_role_policy: { from: "assume_role_policy", as: "json" },
      managed_policy_arns: { from: "managed_policy_arns" },
      inline_policies: { from: "inline_policy" },
    },
    children: [
      {
        kind: "aws.iam.policy",
        list: "inline_policy",
        ownerAttribute: "roles",
        attributes: { name: { from: "name" }, document: { from: "policy", as: "json" } },
      },
      { kind: "aws.iam.policy_attachment", list: "managed_policy_arns", ownerAttribute: "roles", attributes: { policy_arn: { from: "." } } },
    ],
  },
  aws_cloudtrail: {
    kind: "aws.cloudtrail.trail",
    attributes: {
      name: { from: "name" },
      is_logging: { from: "enable_logging", default: true, as: "boolean" },
      is_multi_region: { from: "is_multi_region_trail", default: false, as: "boolean" },
      log_file_validation: { from: "enable_log_file_validation", default: false, as: "boolean" },
      kms_key_id: { from: "kms_key_id" },
      cloudwatch_logs_log_group_arn: { from: "cloud_watch_logs_group_arn" },
      cloudwatch_logs_role_arn: { from: "cloud_watch_logs_role_arn" },
      s3_bucket: { from: "s3_bucket_name" },
    },
  },
};
