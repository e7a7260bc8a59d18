/**
 * CloudFormation resource types → canonical kinds: one table, assembled from one file per
 * area of the baseline. Paths are relative to `Properties`; defaults are CloudFormation's own.
 */
import type { KindSpec } from "../../graph/mapping.js";
import { lookupTable } from "../../values/value.js";
import { DETECTION_KINDS } from "./kinds/detection.js";
import { EC2_KINDS } from "./kinds/ec2.js";
import { IDENTITY_KINDS } from "./kinds/identity.js";
import { NETWORK_KINDS } from "./kinds/network.js";
import { ACCOUNT_KINDS } from "./kinds/account.js";

export const CLOUDFORMATION_KINDS: Record<string, KindSpec> = lookupTable({ ...EC2_KINDS, ...DETECTION_KINDS, ...NETWORK_KINDS, ...IDENTITY_KINDS, ...ACCOUNT_KINDS });
