/** The output formats, by the name `--format` takes. */
import { formatJson } from "./json.js";
import type { Reporter } from "./report.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";

const REPORTERS = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
} satisfies Record<string, Reporter>;

export type FormatName = keyof typeof REPORTERS;

/** Format names in the order help text lists them; `text` is the default. */
export const FORMATS = Object.keys(REPORTERS) as FormatName[];

export function getReporter(format: string): Reporter | undefined {
  return Object.hasOwn(REPORTERS, format) ? REPORTERS[format as FormatName] : undefined;
}
