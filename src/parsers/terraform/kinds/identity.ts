/**
 * Terraform resource types of the identity rules → canonical kinds (see ec2.ts for the shape).
 */
import type { KindSpec } from "../../../graph/mapping.js";

export const IDENTITY_KINDS: Record<string, KindSpec> = {};
