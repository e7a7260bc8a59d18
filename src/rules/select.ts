/**
 * Which rules run: a preset (`recommended`, the default; `strict` adds the low-severity
 * rules that `recommended` leaves out; `account` adds the deployment-wide checks; several may be combined), narrowed or
 * widened by `--only` and trimmed by `--skip` (rule ids or categories).
 */
import { UsageError } from "../errors.js";
import { didYouMean } from "../names.js";
import { CATEGORIES, type Rule } from "../model/rule.js";

export const PRESETS = ["recommended", "strict", "account"] as const;
export type Preset = (typeof PRESETS)[number];

export interface Selection {
  presets?: readonly string[];
  only?: readonly string[];
  skip?: readonly string[];
}

export function presetOf(rule: Rule): Preset {
  return rule.preset ?? "recommended";
}

function checkNames(names: readonly string[], rules: readonly Rule[], flag: string): void {
  const known = new Set<string>([...rules.map((r) => r.id), ...CATEGORIES]);
  for (const name of names) {
    if (!known.has(name)) throw new UsageError(`${flag}: no rule or category "${name}"${didYouMean(name, known)} (see parapet rules)`);
  }
}

export function selectRules(rules: readonly Rule[], selection: Selection = {}): Rule[] {
  const presets = new Set<string>(["recommended", ...(selection.presets ?? [])]);
  for (const p of presets) {
    if (!(PRESETS as readonly string[]).includes(p)) throw new UsageError(`--preset: unknown preset "${p}"${didYouMean(p, PRESETS)} (choose from ${PRESETS.join(", ")})`);
  }
  const only = selection.only ?? [];
  const skip = selection.skip ?? [];
  checkNames(only, rules, "--only");
  checkNames(skip, rules, "--skip");
  const named = (rule: Rule, names: readonly string[]) => names.includes(rule.id) || names.includes(rule.category);
  const chosen = only.length > 0 ? rules.filter((r) => named(r, only)) : rules.filter((r) => presets.has(presetOf(r)));
  return chosen.filter((r) => !named(r, skip));
}

/** Built-in and user rules together; an id may be defined once. */
export function mergeRules(builtin: readonly Rule[], user: readonly Rule[]): Rule[] {
  const seen = new Map(builtin.map((r) => [r.id, r]));
  for (const r of user) {
    const before = seen.get(r.id);
    if (before) throw new UsageError(`${r.source ?? r.id}: rule id "${r.id}" is already defined by ${before.source ?? "parapet"}`);
    seen.set(r.id, r);
  }
  return [...seen.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
