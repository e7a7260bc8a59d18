/**
 * Loads rule files (YAML, one rule per file, named by its id) and validates them against
 * the rule schema. Errors name the file, the line and the offending key.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import type { ValidateFunction } from "ajv";
import { compileSchema, readCheckedYaml } from "../source/yaml-schema.js";
import { UsageError } from "../errors.js";
import { PACKAGE_ROOT, packagePath } from "../paths.js";
import type { Rule } from "../model/rule.js";
import { regexRisk } from "../source/regex-safety.js";
import { isRecord } from "../values/value.js";

export const BUILTIN_RULES_DIR = join(PACKAGE_ROOT, "src", "rules", "builtin");
export const RULE_SCHEMA_PATH = join(PACKAGE_ROOT, "schemas", "rule.schema.json");

let validator: ValidateFunction | undefined;

/** Parses and validates one rule file. Throws a UsageError naming file, line and key. */
export function loadRuleFile(path: string, display = path): Rule {
  validator ??= compileSchema(RULE_SCHEMA_PATH);
  const parsed = readCheckedYaml(path, display, validator, "rule");
  const rule = parsed.data as Rule;
  const expected = basename(path, extname(path));
  if (rule.id !== expected) {
    const pos = parsed.file.locate(["id"]);
    throw new UsageError(`${display}:${pos?.line ?? 1}:${pos?.column ?? 1}: rule id "${rule.id}" must match the file name "${expected}"`);
  }
  for (const { path: at, pattern } of patternsIn(parsed.data)) {
    const risk = regexRisk(pattern, "u");
    if (!risk) continue;
    const pos = parsed.file.locate(at);
    throw new UsageError(`${display}:${pos?.line ?? 1}:${pos?.column ?? 1}: invalid rule: ${at.join(".")}: the pattern ${JSON.stringify(pattern)} could stall the scan: ${risk}`);
  }
  return { ...rule, source: display };
}

/** Every `matches` pattern of a rule, with its path in the file. */
function patternsIn(data: unknown, path: (string | number)[] = [], out: { path: (string | number)[]; pattern: string }[] = []) {
  if (Array.isArray(data)) data.forEach((item, i) => patternsIn(item, [...path, i], out));
  else if (isRecord(data)) {
    for (const [key, value] of Object.entries(data)) {
      if (key === "matches" && typeof value === "string") out.push({ path: [...path, key], pattern: value });
      else patternsIn(value, [...path, key], out);
    }
  }
  return out;
}

/** Loads every `*.yaml`/`*.yml` rule in a folder, sorted by id. */
export function loadRuleDir(dir: string, display = dir): Rule[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${display}: not a folder of rule files`);
    names = readdirSync(dir);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${display}: cannot read rule folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return names
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort()
    .map((n) => loadRuleFile(join(dir, n), `${display.replace(/\/$/, "")}/${n}`));
}

let builtin: Rule[] | undefined;

/**
 * The built-in rules, validated and bundled into one JSON file by the build
 * (`scripts/bundle-rules.mjs`), so that a run does not parse thirty YAML files and compile
 * the schema before it starts. Without the bundle (tests run the sources) the YAML files
 * are read and validated.
 */
export const BUILTIN_BUNDLE = packagePath("dist", "rules", "builtin-rules.json");

/** The rules that ship with parapet. */
export function builtinRules(): Rule[] {
  if (!builtin) {
    try {
      builtin = JSON.parse(readFileSync(BUILTIN_BUNDLE, "utf8")) as Rule[];
    } catch {
      builtin = loadRuleDir(BUILTIN_RULES_DIR, "builtin");
    }
  }
  return builtin;
}
