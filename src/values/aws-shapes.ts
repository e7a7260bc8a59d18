/**
 * The documented forms of names and ids that AWS assigns (regions, account ids, ARNs, EC2
 * ids), shared by the CloudFormation and Terraform shapes. Each pattern admits every value
 * AWS documents (it may admit more, never less).
 */
import type { Shape } from "./value.js";

export const REGION = "[a-z]{2}(?:-[a-z]+)+-\\d{1,2}";
export const ZONE = `${REGION}[a-z]`;
export const ACCOUNT = "\\d{12}";
export const NUMBER = "[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?";
export const IPV4 = "\\d{1,3}(?:\\.\\d{1,3}){3}";
export const PARTITION = "aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?";
/** An ARN of any service: partition, service, region and account as AWS writes them, then the resource. */
export const ARN = "arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?:\\d{12}|aws)?:[\\x21-\\x7e]+";
export const KMS_KEY_ID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}";
export const ec2Id = (prefix: string): string => `${prefix}-[0-9a-f]{8,17}`;

/** Names and ids AWS assigns or validates: never a credential. */
export const idShape = (pattern: string, what: string): Shape => ({ type: "string", pattern, secretFree: true, what });
