/**
 * Terraform resource types of the detection rules → canonical kinds (see ec2.ts for the shape).
 * The trail (`aws.cloudtrail.trail`) lives in ec2.ts.
 */
import type { KindSpec } from "../../../graph/mapping.js";

export const DETECTION_KINDS: Record<string, KindSpec> = {
  aws_flow_log: {
    kind: "aws.ec2.flow_log",
    attributes: {
      // Terraform names the logged resource by one argument per type; exactly one is set.
      resource: {
        from: ["vpc_id", "subnet_id", "eni_id", "transit_gateway_id", "transit_gateway_attachment_id", "regional_nat_gateway_id"],
      },
      traffic_type: { from: "traffic_type" },
      log_destination_type: { from: "log_destination_type", default: "cloud-watch-logs" },
      log_destination: { from: ["log_destination", "log_group_name"] },
    },
  },
  aws_guardduty_detector: {
    kind: "aws.guardduty.detector",
    attributes: {
      enabled: { from: "enable", default: true, as: "boolean" },
      finding_publishing_frequency: { from: "finding_publishing_frequency" },
    },
  },
};
