/**
 * Terraform resource types of the identity and key rules → canonical kinds (see ec2.ts for the
 * shape). Policies are JSON strings in Terraform (`jsonencode`, heredocs, a policy document's
 * `json`): the `json` shape parses them into the same data CloudFormation writes.
 */
import type { KindSpec } from "../../../graph/mapping.js";

const ROLE_BY_NAME = { attr: "roles.0", kind: "aws.iam.role", by: "name" };

export const IDENTITY_KINDS: Record<string, KindSpec> = {
  aws_iam_policy: {
    kind: "aws.iam.policy",
    attributes: { name: { from: "name" }, document: { from: "policy", as: "json" } },
  },
  aws_iam_role_policy: {
    kind: "aws.iam.policy",
    attributes: { name: { from: "name" }, document: { from: "policy", as: "json" }, roles: { from: "role", as: "item" } },
    links: [ROLE_BY_NAME],
  },
  aws_iam_role_policy_attachment: {
    kind: "aws.iam.policy_attachment",
    attributes: { roles: { from: "role", as: "item" }, policy_arn: { from: "policy_arn" } },
    links: [ROLE_BY_NAME],
  },
  aws_iam_policy_attachment: {
    kind: "aws.iam.policy_attachment",
    attributes: {
      roles: { from: "roles", as: "list" },
      users: { from: "users", as: "list" },
      groups: { from: "groups", as: "list" },
      policy_arn: { from: "policy_arn" },
    },
    links: [ROLE_BY_NAME],
  },
  aws_iam_access_key: {
    kind: "aws.iam.access_key",
    attributes: { user: { from: "user" }, status: { from: "status", default: "Active" } },
  },
  aws_iam_account_password_policy: {
    kind: "aws.iam.password_policy",
    attributes: {
      minimum_length: { from: "minimum_password_length", default: 6, as: "number" },
      reuse_prevention: { from: "password_reuse_prevention", as: "number" },
      require_uppercase: { from: "require_uppercase_characters", default: false, as: "boolean" },
      require_lowercase: { from: "require_lowercase_characters", default: false, as: "boolean" },
      require_numbers: { from: "require_numbers", default: false, as: "boolean" },
      require_symbols: { from: "require_symbols", default: false, as: "boolean" },
      max_age_days: { from: "max_password_age", as: "number" },
      allow_users_to_change: { from: "allow_users_to_change_password", default: true, as: "boolean" },
      hard_expiry: { from: "hard_expiry", default: false, as: "boolean" },
    },
  },
  aws_kms_key: {
    kind: "aws.kms.key",
    attributes: {
      enabled: { from: "is_enabled", default: true, as: "boolean" },
      key_rotation_enabled: { from: "enable_key_rotation", default: false, as: "boolean" },
      key_spec: { from: "customer_master_key_spec", default: "SYMMETRIC_DEFAULT" },
      key_usage: { from: "key_usage", default: "ENCRYPT_DECRYPT" },
      origin: { value: "AWS_KMS" },
      custom_key_store: { from: "custom_key_store_id" },
      multi_region: { from: "multi_region", default: false, as: "boolean" },
      pending_window_days: { from: "deletion_window_in_days", as: "number" },
    },
  },
  aws_kms_external_key: {
    kind: "aws.kms.key",
    attributes: {
      enabled: { from: "enabled", as: "boolean" },
      key_spec: { value: "SYMMETRIC_DEFAULT" },
      key_usage: { from: "key_usage", default: "ENCRYPT_DECRYPT" },
      origin: { value: "EXTERNAL" },
      multi_region: { from: "multi_region", default: false, as: "boolean" },
      pending_window_days: { from: "deletion_window_in_days", as: "number" },
    },
  },
  aws_ebs_default_kms_key: {
    kind: "aws.ebs.default_kms_key",
    attributes: { key_arn: { from: "key_arn" } },
    fact: { name: "ebs_default_kms_key", attr: "key_arn" },
  },
};
