/** Counts shared by the text and JSON reporters. */
import { compareFindings, SEVERITIES, type Finding, type Severity } from "../findings/finding.js";
import { PARSE_ERROR_RULE_ID } from "../findings/parse-error.js";

export interface Summary {
  /** Files that were linted. */
  files: number;
  /** Every finding, suppressed ones included. */
  findings: number;
  /** Unsuppressed findings of kind `fail` (parse errors included). */
  failures: number;
  /** Unsuppressed failures by severity; every severity is present. */
  failuresBySeverity: Record<Severity, number>;
  /** Unsuppressed findings of kind `review`. */
  reviews: number;
  /** Findings of either kind that carry a suppression. */
  suppressed: number;
  /** Files that could not be parsed (distinct files with an unsuppressed parse-error finding). */
  unreadableFiles: number;
}

export function isSuppressed(finding: Finding): boolean {
  return (finding.suppressions?.length ?? 0) > 0;
}

/** The findings a text or compact report lists, in report order: the unsuppressed ones, with `--quiet` only those that fail the run. */
export function listedFindings(findings: readonly Finding[], onlyFailing?: (finding: Finding) => boolean): Finding[] {
  return findings.filter((f) => !isSuppressed(f) && (!onlyFailing || onlyFailing(f))).sort(compareFindings);
}

export function summarize(findings: readonly Finding[], fileCount: number): Summary {
  const failuresBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const unreadable = new Set<string>();
  let failures = 0;
  let reviews = 0;
  let suppressed = 0;
  for (const finding of findings) {
    if (isSuppressed(finding)) suppressed++;
    else if (finding.kind === "review") reviews++;
    else {
      failures++;
      failuresBySeverity[finding.severity]++;
      // A limit finding on one resource (it has an address) is about a file that was read.
      if (finding.ruleId === PARSE_ERROR_RULE_ID && finding.address === "") unreadable.add(finding.file);
    }
  }
  return {
    files: fileCount,
    findings: findings.length,
    failures,
    failuresBySeverity,
    reviews,
    suppressed,
    unreadableFiles: unreadable.size,
  };
}
