/**
 * CloudFormation resource types of the identity and key rules → canonical kinds (see ec2.ts for
 * the shape). Policies written as separate resources become `aws.iam.policy` nodes, like the
 * inline policies of a role; `roles` holds the roles a policy is attached to.
 */
import type { KindSpec } from "../../../graph/mapping.js";

const ROLE_BY_NAME = { attr: "roles.0", kind: "aws.iam.role", by: "name" };

/** A policy written as a resource of its own, attached to the roles, users and groups it lists. */
function standalonePolicy(nameProperty: string): KindSpec {
  return {
    kind: "aws.iam.policy",
    attributes: {
      name: { from: nameProperty },
      document: { from: "PolicyDocument", as: "json" },
      roles: { from: "Roles", as: "list" },
      users: { from: "Users", as: "list" },
      groups: { from: "Groups", as: "list" },
    },
    links: [ROLE_BY_NAME],
  };
}

export const IDENTITY_KINDS: Record<string, KindSpec> = {
  "AWS::IAM::Policy": standalonePolicy("PolicyName"),
  "AWS::IAM::ManagedPolicy": standalonePolicy("ManagedPolicyName"),
  "AWS::IAM::RolePolicy": {
    kind: "aws.iam.policy",
    attributes: {
      name: { from: "PolicyName" },
      document: { from: "PolicyDocument", as: "json" },
      roles: { from: "RoleName", as: "item" },
    },
    links: [ROLE_BY_NAME],
  },
  "AWS::IAM::AccessKey": {
    kind: "aws.iam.access_key",
    attributes: { user: { from: "UserName" }, status: { from: "Status", default: "Active" } },
  },
  "AWS::KMS::Key": {
    kind: "aws.kms.key",
    attributes: {
      enabled: { from: "Enabled", default: true, as: "boolean" },
      key_rotation_enabled: { from: "EnableKeyRotation", default: false, as: "boolean" },
      key_spec: { from: "KeySpec", default: "SYMMETRIC_DEFAULT" },
      key_usage: { from: "KeyUsage", default: "ENCRYPT_DECRYPT" },
      origin: { from: "Origin", default: "AWS_KMS" },
      multi_region: { from: "MultiRegion", default: false, as: "boolean" },
      pending_window_days: { from: "PendingWindowInDays", as: "number" },
    },
  },
};
