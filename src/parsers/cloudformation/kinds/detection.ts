/**
 * Cloudformation resource types of the detection rules → canonical kinds (see ec2.ts for the shape).
 */
import type { KindSpec } from "../../../graph/mapping.js";

export const DETECTION_KINDS: Record<string, KindSpec> = {};
