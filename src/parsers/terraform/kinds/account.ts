/**
 * Terraform resource types of the deployment-wide (account preset) checks → canonical kinds.
 */
import type { KindSpec } from "../../../graph/mapping.js";

export const ACCOUNT_KINDS: Record<string, KindSpec> = {
  aws_config_configuration_recorder: {
    kind: "aws.config.recorder",
    attributes: {
      name: { from: "name" },
      all_supported: { from: "recording_group.0.all_supported", default: true, as: "boolean" },
      include_global_resource_types: { from: "recording_group.0.include_global_resource_types", default: false, as: "boolean" },
    },
  },
  aws_cloudwatch_log_metric_filter: {
    kind: "aws.logs.metric_filter",
    attributes: {
      pattern: { from: "pattern" },
      log_group: { from: "log_group_name" },
      metric_name: { from: "metric_transformation.0.name" },
      metric_namespace: { from: "metric_transformation.0.namespace" },
    },
  },
  aws_cloudwatch_metric_alarm: {
    kind: "aws.cloudwatch.alarm",
    attributes: {
      metric_name: { from: "metric_name" },
      namespace: { from: "namespace" },
      actions: { from: "alarm_actions" },
    },
    links: [{ attr: "metric_name", kind: "aws.logs.metric_filter", by: "metric_name" }],
  },
  aws_cloudwatch_event_rule: {
    kind: "aws.events.rule",
    attributes: {
      name: { from: "name" },
      event_pattern: { from: "event_pattern", as: "text" },
      state: { from: "state", default: "ENABLED" },
    },
  },
  aws_cloudwatch_event_target: {
    kind: "aws.events.target",
    attributes: { rule: { from: "rule" }, arn: { from: "arn" } },
    links: [{ attr: "rule", kind: "aws.events.rule", by: "name" }],
  },
};
