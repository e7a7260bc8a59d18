/**
 * Running a rule's examples: the templates of an example are linted with that rule alone,
 * and the findings are compared with what the example expects. The test suite runs every
 * built-in example this way.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Finding } from "../findings/finding.js";
import { lint, lintText } from "../pipeline/lint.js";
import type { Rule, RuleExample } from "./rule.js";

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

function summarise(findings: Finding[], rule: Rule): ExampleRun {
  return {
    findings: findings
      .filter((f) => f.ruleId === rule.id)
      .map((f) => ({ kind: f.kind, address: f.address, file: f.file, line: f.position.line })),
    parseErrors: findings.filter((f) => f.ruleId === "parse-error"),
  };
}

/** Lints an example: in memory for a single template, in a temporary folder otherwise. */
export async function runExample(rule: Rule, example: RuleExample): Promise<ExampleRun> {
  if (example.format === "cloudformation" && !example.files) {
    const file = { path: example.file, absolutePath: `/example/${example.file}`, explicit: true };
    return summarise(lintText(file, example.template, { rules: [rule] }).findings, rule);
  }
  const dir = mkdtempSync(join(tmpdir(), "parapet-example-"));
  try {
    for (const [path, text] of Object.entries({ [example.file]: example.template, ...(example.files ?? {}) })) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const outcome = await lint({ paths: ["."], cwd: dir, rules: [rule], terraform: { sources: [], env: {} } });
    return summarise(outcome.findings, rule);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the example expects, in the shape {@link runExample} reports. */
export function expectedFindings(example: RuleExample): ExampleFinding[] {
  const kind = example.expect === "review" ? "review" : "fail";
  return (example.findings ?? []).map((f) => ({ kind, address: f.address, file: f.file ?? example.file, line: f.line }));
}
