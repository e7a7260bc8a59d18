/**
 * `parapet test`: runs every example of a set of rules and says which ones do not behave as
 * written, so a team can test its own policies in CI the way it tests code.
 */
import { expectedFindings, runExample, type ExampleFinding } from "./examples.js";
import type { Rule, RuleExample } from "./rule.js";

export interface ExampleVerdict {
  rule: string;
  example: string;
  format: string;
  ok: boolean;
  /** Why the example failed: what was expected and what came out. */
  problem?: string;
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
