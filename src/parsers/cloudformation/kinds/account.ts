/**
 * CloudFormation resource types of the deployment-wide (account preset) checks → canonical kinds.
 */
import type { KindSpec } from "../../../graph/mapping.js";

export const ACCOUNT_KINDS: Record<string, KindSpec> = {
  "AWS::Config::ConfigurationRecorder": {
    kind: "aws.config.recorder",
    attributes: {
      name: { from: "Name" },
      all_supported: { from: "RecordingGroup.AllSupported", default: true, as: "boolean" },
      include_global_resource_types: { from: "RecordingGroup.IncludeGlobalResourceTypes", default: false, as: "boolean" },
    },
  },
  "AWS::Logs::MetricFilter": {
    kind: "aws.logs.metric_filter",
    attributes: {
      pattern: { from: "FilterPattern" },
      log_group: { from: "LogGroupName" },
      metric_name: { from: "MetricTransformations.0.MetricName" },
      metric_namespace: { from: "MetricTransformations.0.MetricNamespace" },
    },
  },
  "AWS::CloudWatch::Alarm": {
    kind: "aws.cloudwatch.alarm",
    attributes: {
      metric_name: { from: "MetricName" },
      namespace: { from: "Namespace" },
      actions: { from: "AlarmActions" },
    },
    links: [{ attr: "metric_name", kind: "aws.logs.metric_filter", by: "metric_name" }],
  },
  "AWS::Events::Rule": {
    kind: "aws.events.rule",
    attributes: {
      name: { from: "Name" },
      event_pattern: { from: "EventPattern", as: "text" },
      state: { from: "State", default: "ENABLED" },
      targets: { from: "Targets" },
    },
  },
};
