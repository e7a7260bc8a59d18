/** Types of scripts/findings-snapshot.mjs, for the tests written in TypeScript. */
export declare const SNAPSHOT: string;
export declare const ROWS_UP_TO: number;
export interface Normaliser {
  text(s: string): string;
  value<T>(v: T): T;
}
export declare function normaliser(scratch: string): Normaliser;
export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  text?: boolean;
}
export type CorpusRecord = Record<string, unknown> & { sha256: string; exit: number | null };
export declare function recordOfRun(run: Run, norm: Normaliser, where?: { command?: string; cwd?: string }): CorpusRecord;
export declare function withoutCurrent(rec: CorpusRecord): CorpusRecord;
export declare function explain(id: string, want: CorpusRecord | undefined, have: CorpusRecord): string[];
