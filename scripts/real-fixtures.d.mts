/** Types of scripts/real-fixtures.mjs, for the tests written in TypeScript. */
export interface RecordedFinding {
  at: string;
  rule: string;
  kind: "fail" | "review" | "suppressed";
  address: string;
  path?: string;
  message?: string;
}
export interface CorpusRecord {
  findings: RecordedFinding[];
  notes: string[];
}
export interface CorpusReport {
  files: string[];
  findings: unknown[];
  notes?: string[];
}
export declare const CORPUS: string;
export declare const EXPECTED: string;
export declare const PARSE_ERRORS: string;
export declare const LINTED: string[];
export declare const LINT_ARGS: string[];
export declare const REGENERATE: string;
export declare function lintCorpus(cli?: string): CorpusReport;
export declare function recordOf(report: CorpusReport): CorpusRecord;
export declare function formatRecord(record: CorpusRecord): string;
export declare function readExpected(): CorpusRecord;
export declare function diffRecords(expected: CorpusRecord, actual: CorpusRecord): string[];
export declare function countsOf(record: CorpusRecord): Record<string, { fail: number; review: number; suppressed: number }>;
export declare function unexpectedParseErrors(
  record: CorpusRecord,
  allowed: Record<string, unknown>,
): { unlisted: string[]; stale: string[] };
