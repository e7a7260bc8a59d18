/**
 * What a rule's example expects, in the shape a run of the example reports (`parapet test`,
 * in src/commands/test.ts, runs the examples and compares the two).
 */
import type { Finding } from "../findings/finding.js";
import type { RuleExample } from "../model/rule.js";

export interface ExampleFinding {
  kind: Finding["kind"];
  address: string;
  file: string;
  line: number;
}

export interface ExampleRun {
  /** Findings of the rule (fail and review). */
  findings: ExampleFinding[];
  /** Parse errors of the example's files. */
  parseErrors: Finding[];
}

/** What the example expects, in the shape a run of it reports. */
export function expectedFindings(example: RuleExample): ExampleFinding[] {
  const kind = example.expect === "review" ? "review" : "fail";
  return (example.findings ?? []).map((f) => ({ kind, address: f.address, file: f.file ?? example.file, line: f.line }));
}
