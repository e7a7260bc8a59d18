import type { Finding } from "../findings/finding.js";
import type { Rule } from "../model/rule.js";

/** Everything a reporter needs: reporters are pure functions of this. */
export interface LintResult {
  /** All findings, suppressed ones included, in {@link compareFindings} order. */
  findings: Finding[];
  /** Metadata of the rules that ran. */
  rules: Rule[];
  /** Files that were linted (relative, `/`-separated). */
  files: string[];
  /** Notes for the user that are not findings (skipped files and the like). */
  notes: string[];
  /** Symbolic links the walks met and did not follow. */
  links?: { path: string; target: string; why: string }[];
  /** parapet's version. */
  version: string;
}

export interface ReportOptions {
  /** Colour the text output (only when writing to a terminal). */
  color: boolean;
  /** Returns the text of a linted file, for code frames. */
  readSource?: (file: string) => string | undefined;
  /**
   * Absolute `file:` URI of the directory that finding paths are relative to, ending in `/`
   * (the CLI passes the working directory). SARIF writes it as `originalUriBaseIds.%SRCROOT%`;
   * without it that entry is left out, which keeps reporters independent of the process.
   */
  baseUri?: string;
  /**
   * `--quiet`: the findings that fail the run. When set, the text and compact reports show
   * only these, and the text report leaves out its notes; its summary still counts every finding.
   */
  onlyFailing?: (finding: Finding) => boolean;
}

export type Reporter = (result: LintResult, options: ReportOptions) => string;

/** A reporter that can also hand its output over in pieces (for large reports written to a file). */
export type ChunkedReporter = (result: LintResult, options: ReportOptions) => Iterable<string>;
