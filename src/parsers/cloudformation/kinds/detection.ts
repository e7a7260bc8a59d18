/**
 * Cloudformation resource types of the detection rules → canonical kinds (see ec2.ts for the shape).
 * The trail (`aws.cloudtrail.trail`) lives in ec2.ts.
 */
import type { KindSpec } from "../../../graph/mapping.js";

export const DETECTION_KINDS: Record<string, KindSpec> = {
  "AWS::EC2::FlowLog": {
    kind: "aws.ec2.flow_log",
    attributes: {
      // The VPC, subnet, network interface or transit gateway whose traffic is logged. A
      // reference to a resource of the deployment makes an edge (`resource`) to it.
      resource: { from: "ResourceId" },
      traffic_type: { from: "TrafficType" },
      log_destination_type: { from: "LogDestinationType", default: "cloud-watch-logs" },
      log_destination: { from: ["LogDestination", "LogGroupName"] },
    },
  },
  "AWS::GuardDuty::Detector": {
    kind: "aws.guardduty.detector",
    attributes: {
      // `Enable` is required: CloudFormation has no default for it.
      enabled: { from: "Enable", as: "boolean" },
      finding_publishing_frequency: { from: "FindingPublishingFrequency" },
    },
  },
};
