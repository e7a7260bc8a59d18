/** The output formats, by the name `--format` takes. */
import { formatCompact } from "./compact.js";
import { formatGithub } from "./github.js";
import { formatJson, jsonReportChunks } from "./json.js";
import { formatJunit } from "./junit.js";
import { formatMarkdown } from "./markdown.js";
import type { ChunkedReporter, Reporter } from "./report.js";
import { formatSarif, sarifChunks } from "./sarif.js";
import { formatText } from "./text.js";

const REPORTERS = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  compact: formatCompact,
  github: formatGithub,
  junit: formatJunit,
  markdown: formatMarkdown,
} satisfies Record<string, Reporter>;

export type FormatName = keyof typeof REPORTERS;

/** Format names in the order help text lists them; `text` is the default. */
export const FORMATS = Object.keys(REPORTERS) as FormatName[];

/** Formats whose reports can be written in pieces; the others are written whole. */
const CHUNKED: Partial<Record<FormatName, ChunkedReporter>> = { sarif: sarifChunks, json: jsonReportChunks };

export function getChunkedReporter(format: string): ChunkedReporter | undefined {
  return Object.hasOwn(CHUNKED, format) ? CHUNKED[format as FormatName] : undefined;
}

export function getReporter(format: string): Reporter | undefined {
  return Object.hasOwn(REPORTERS, format) ? REPORTERS[format as FormatName] : undefined;
}
