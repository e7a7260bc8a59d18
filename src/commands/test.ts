/**
 * `parapet test [rule folders...]`: runs every example of a set of rules and says which ones
 * do not behave as written, so a team can test its own policies in CI the way it tests code.
 * The templates of an example are linted with that rule alone, and the findings are compared
 * with what the example expects. The test suite runs every built-in example this way.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Finding } from "../findings/finding.js";
import { lint, lintText } from "../pipeline/lint.js";
import { expectedFindings, type ExampleFinding, type ExampleRun } from "../rules/examples.js";
import { builtinRules } from "../rules/load.js";
import type { Rule, RuleExample } from "../model/rule.js";
import type { CliOptions, CommandResult } from "./options.js";
import { loadRulesFrom } from "./settings.js";

export interface ExampleVerdict {
  rule: string;
  example: string;
  format: string;
  ok: boolean;
  /** Why the example failed: what was expected and what came out. */
  problem?: string;
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

const show = (f: ExampleFinding) => `${f.kind} ${f.address || "(file)"} at ${f.file}:${f.line}`;
const key = (f: ExampleFinding) => `${f.kind}\u0000${f.address}\u0000${f.file}\u0000${f.line}`;

export async function checkExample(rule: Rule, example: RuleExample): Promise<ExampleVerdict> {
  const base = { rule: rule.id, example: example.name, format: example.format };
  let run;
  try {
    run = await runExample(rule, example);
  } catch (e) {
    return { ...base, ok: false, problem: `the example could not be run: ${(e as Error).message}` };
  }
  if (run.parseErrors.length > 0) {
    const p = run.parseErrors[0]!;
    return { ...base, ok: false, problem: `its template does not parse: ${p.file}:${p.position.line}: ${p.message}` };
  }
  const want = expectedFindings(example);
  const got = run.findings;
  const missing = want.filter((w) => !got.some((g) => key(g) === key(w)));
  const extra = got.filter((g) => !want.some((w) => key(w) === key(g)));
  if (missing.length === 0 && extra.length === 0) return { ...base, ok: true };
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`expected ${missing.map(show).join(", ")}`);
  if (extra.length > 0) parts.push(`got ${extra.map(show).join(", ")}`);
  if (missing.length > 0 && extra.length === 0 && got.length === 0) parts.push("got no finding");
  return { ...base, ok: false, problem: parts.join("; ") };
}

export async function checkRules(rules: readonly Rule[]): Promise<ExampleVerdict[]> {
  const verdicts: ExampleVerdict[] = [];
  for (const rule of rules) for (const example of rule.examples) verdicts.push(await checkExample(rule, example));
  return verdicts;
}

export function renderVerdicts(verdicts: readonly ExampleVerdict[]): string {
  const lines = verdicts.map((v) => `${v.ok ? "ok  " : "FAIL"} ${v.rule} > ${v.format}: ${v.example}${v.problem ? `\n     ${v.problem}` : ""}`);
  const passed = verdicts.filter((v) => v.ok).length;
  lines.push("", `${passed} passed, ${verdicts.length - passed} failed`);
  return lines.join("\n") + "\n";
}

/** Runs the examples of the rules in the folders given (default: the built-in rules); exit 1 when one misbehaves. */
export async function testCommand(options: CliOptions, cwd: string): Promise<CommandResult> {
  const args = options.paths.slice(1);
  const rules = args.length > 0 ? args.flatMap((d) => loadRulesFrom(resolve(cwd, d), d, "test")) : builtinRules();
  const verdicts = await checkRules(rules);
  return { code: verdicts.every((v) => v.ok) ? 0 : 1, stdout: renderVerdicts(verdicts), stderr: "" };
}
