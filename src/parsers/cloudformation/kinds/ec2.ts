/**
 * CloudFormation resource types → canonical kinds. Paths are relative to `Properties`;
 * defaults are CloudFormation's own for properties a template leaves out.
 */
import type { AttributeSpec, ChildSpec, ImpliedItem, KindSpec } from "../../../graph/mapping.js";
import { ROOT_DEVICES } from "../../aws-root-devices.js";

const FROM_SNAPSHOT = "the volume is created from snapshot {value} and is encrypted if that snapshot is";

/**
 * The root volume an instance (or the instances of a launch template or configuration) gets
 * from its image when no mapping is for a root device (the device names of common images; see
 * `settleImpliedRoots` for launch templates).
 */
const ROOT_VOLUME: ImpliedItem = { item: { Ebs: {} }, rootDevices: ROOT_DEVICES, deviceName: "DeviceName" };

const blockDevice = (list: string, implied?: ImpliedItem): ChildSpec => ({
  kind: "aws.ebs.volume",
  list,
  ...(implied ? { implied } : {}),
  when: "Ebs",
  ownerAttribute: "owner",
  fixed: { attachment: "block_device" },
  attributes: {
    device_name: { from: "DeviceName" },
    encrypted: { from: "Ebs.Encrypted", default: false, as: "boolean", unknownIfSet: { from: "Ebs.SnapshotId", reason: FROM_SNAPSHOT } },
    kms_key_id: { from: "Ebs.KmsKeyId" },
    snapshot_id: { from: "Ebs.SnapshotId" },
    volume_type: { from: "Ebs.VolumeType" },
  },
});

const ingressFields: Record<string, AttributeSpec> = {
  protocol: { from: "IpProtocol", as: "protocol" },
  from_port: { from: "FromPort", as: "number" },
  to_port: { from: "ToPort", as: "number" },
  cidr_ipv4: { from: "CidrIp", as: "item" },
  cidr_ipv6: { from: "CidrIpv6", as: "item" },
  peer_security_group: { from: ["SourceSecurityGroupId", "SourceSecurityGroupName"] },
  prefix_list: { from: "SourcePrefixListId" },
  description: { from: "Description" },
};

const egressFields: Record<string, AttributeSpec> = {
  protocol: { from: "IpProtocol", as: "protocol" },
  from_port: { from: "FromPort", as: "number" },
  to_port: { from: "ToPort", as: "number" },
  cidr_ipv4: { from: "CidrIp", as: "item" },
  cidr_ipv6: { from: "CidrIpv6", as: "item" },
  peer_security_group: { from: "DestinationSecurityGroupId" },
  prefix_list: { from: "DestinationPrefixListId" },
  description: { from: "Description" },
};

export const EC2_KINDS: Record<string, KindSpec> = {
  "AWS::EC2::Instance": {
    kind: "aws.ec2.instance",
    attributes: {
      iam_instance_profile: { from: "IamInstanceProfile" },
      "launch_template.id": { from: "LaunchTemplate.LaunchTemplateId" },
      "launch_template.name": { from: "LaunchTemplate.LaunchTemplateName" },
      "launch_template.version": { from: "LaunchTemplate.Version" },
      monitoring: { from: "Monitoring", as: "boolean" },
      "metadata_options.http_tokens": { from: "MetadataOptions.HttpTokens" },
      "metadata_options.http_endpoint": { from: "MetadataOptions.HttpEndpoint" },
      // CloudFormation takes user data as base64: the canonical value is the decoded text.
      user_data: { from: "UserData", as: "base64" },
      subnet: { from: "SubnetId" },
      security_groups: { from: ["SecurityGroupIds", "SecurityGroups"] },
      network_interfaces: { from: "NetworkInterfaces" },
      ebs_optimized: { from: "EbsOptimized", as: "boolean" },
    },
    children: [blockDevice("BlockDeviceMappings", ROOT_VOLUME)],
    links: [
      { attr: "launch_template.name", kind: "aws.ec2.launch_template", by: "name" },
      { attr: "iam_instance_profile", kind: "aws.iam.instance_profile", by: "name" },
    ],
  },
  "AWS::EC2::LaunchTemplate": {
    kind: "aws.ec2.launch_template",
    attributes: {
      name: { from: "LaunchTemplateName" },
      "iam_instance_profile.arn": { from: "LaunchTemplateData.IamInstanceProfile.Arn" },
      "iam_instance_profile.name": { from: "LaunchTemplateData.IamInstanceProfile.Name" },
      "metadata_options.http_tokens": { from: "LaunchTemplateData.MetadataOptions.HttpTokens" },
      "metadata_options.http_endpoint": { from: "LaunchTemplateData.MetadataOptions.HttpEndpoint" },
      monitoring: { from: "LaunchTemplateData.Monitoring.Enabled", as: "boolean" },
      user_data: { from: "LaunchTemplateData.UserData", as: "base64" },
      network_interfaces: { from: "LaunchTemplateData.NetworkInterfaces" },
    },
    children: [blockDevice("LaunchTemplateData.BlockDeviceMappings", ROOT_VOLUME)],
    links: [{ attr: "iam_instance_profile.name", kind: "aws.iam.instance_profile", by: "name" }],
  },
  // A managed node group launches its nodes from the launch template it names; EKS gives them
  // an instance profile for the node role (the template must not name one).
  "AWS::EKS::Nodegroup": {
    kind: "aws.eks.node_group",
    attributes: {
      "launch_template.id": { from: "LaunchTemplate.Id" },
      "launch_template.name": { from: "LaunchTemplate.Name" },
      "launch_template.version": { from: "LaunchTemplate.Version" },
      node_role: { from: "NodeRole" },
    },
    links: [{ attr: "launch_template.name", kind: "aws.ec2.launch_template", by: "name" }],
  },
  "AWS::AutoScaling::LaunchConfiguration": {
    kind: "aws.autoscaling.launch_configuration",
    attributes: {
      iam_instance_profile: { from: "IamInstanceProfile" },
      "metadata_options.http_tokens": { from: "MetadataOptions.HttpTokens" },
      "metadata_options.http_endpoint": { from: "MetadataOptions.HttpEndpoint" },
      monitoring: { from: "InstanceMonitoring", default: true, as: "boolean" },
      user_data: { from: "UserData", as: "base64" },
      associate_public_ip: { from: "AssociatePublicIpAddress", as: "boolean" },
    },
    children: [blockDevice("BlockDeviceMappings", ROOT_VOLUME)],
    links: [{ attr: "iam_instance_profile", kind: "aws.iam.instance_profile", by: "name" }],
  },
  "AWS::EC2::SecurityGroup": {
    kind: "aws.ec2.security_group",
    attributes: {
      name: { from: "GroupName" },
      description: { from: "GroupDescription" },
      vpc: { from: "VpcId" },
    },
    children: [
      { kind: "aws.ec2.sg_rule", list: "SecurityGroupIngress", ownerAttribute: "security_group", fixed: { direction: "ingress" }, attributes: ingressFields },
      { kind: "aws.ec2.sg_rule", list: "SecurityGroupEgress", ownerAttribute: "security_group", fixed: { direction: "egress" }, attributes: egressFields },
    ],
  },
  "AWS::EC2::SecurityGroupIngress": {
    kind: "aws.ec2.sg_rule",
    attributes: { direction: { value: "ingress" }, security_group: { from: ["GroupId", "GroupName"] }, ...ingressFields },
    links: [{ attr: "security_group", kind: "aws.ec2.security_group", by: "name" }],
  },
  "AWS::EC2::SecurityGroupEgress": {
    kind: "aws.ec2.sg_rule",
    attributes: { direction: { value: "egress" }, security_group: { from: "GroupId" }, ...egressFields },
  },
  "AWS::EC2::Volume": {
    kind: "aws.ebs.volume",
    attributes: {
      attachment: { value: "volume" },
      encrypted: { from: "Encrypted", default: false, as: "boolean", unknownIfSet: { from: "SnapshotId", reason: FROM_SNAPSHOT } },
      kms_key_id: { from: "KmsKeyId" },
      snapshot_id: { from: "SnapshotId" },
      volume_type: { from: "VolumeType" },
    },
  },
  "AWS::IAM::InstanceProfile": {
    kind: "aws.iam.instance_profile",
    attributes: { name: { from: "InstanceProfileName" }, roles: { from: "Roles" } },
    links: [{ attr: "roles.0", kind: "aws.iam.role", by: "name" }],
  },
  "AWS::IAM::Role": {
    kind: "aws.iam.role",
    attributes: {
      name: { from: "RoleName" },
      assume_role_policy: { from: "AssumeRolePolicyDocument", as: "json" },
      managed_policy_arns: { from: "ManagedPolicyArns" },
      inline_policies: { from: "Policies" },
    },
    // Inline policies and managed policy ARNs become the same nodes as separate policies and attachments.
    children: [
      {
        kind: "aws.iam.policy",
        list: "Policies",
        ownerAttribute: "roles",
        attributes: { name: { from: "PolicyName" }, document: { from: "PolicyDocument", as: "json" } },
      },
      { kind: "aws.iam.policy_attachment", list: "ManagedPolicyArns", ownerAttribute: "roles", attributes: { policy_arn: { from: "." } } },
    ],
  },
  "AWS::CloudTrail::Trail": {
    kind: "aws.cloudtrail.trail",
    attributes: {
      name: { from: "TrailName" },
      is_logging: { from: "IsLogging", as: "boolean" },
      is_multi_region: { from: "IsMultiRegionTrail", default: false, as: "boolean" },
      log_file_validation: { from: "EnableLogFileValidation", default: false, as: "boolean" },
      kms_key_id: { from: "KMSKeyId" },
      cloudwatch_logs_log_group_arn: { from: "CloudWatchLogsLogGroupArn" },
      cloudwatch_logs_role_arn: { from: "CloudWatchLogsRoleArn" },
      s3_bucket: { from: "S3BucketName" },
    },
  },
};
