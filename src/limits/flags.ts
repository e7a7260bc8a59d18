/** The command-line flags of the limits (`--max-file-size 20MB`), for `util.parseArgs`. */
import { LIMIT_NAMES } from "./limits.js";

export const LIMIT_FLAGS = Object.fromEntries(Object.values(LIMIT_NAMES).map((name) => [name, { type: "string" as const }])) as Record<
  (typeof LIMIT_NAMES)[keyof typeof LIMIT_NAMES],
  { type: "string" }
>;
