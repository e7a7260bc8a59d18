/**
 * Cloudformation resource types of the network rules → canonical kinds (see ec2.ts for the shape).
 */
import type { KindSpec } from "../../../graph/mapping.js";

export const NETWORK_KINDS: Record<string, KindSpec> = {};
