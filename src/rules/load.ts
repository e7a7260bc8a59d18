/**
 * Loads rule files (YAML, one rule per file, named by its id) and validates them against
 * the rule schema. Errors name the file, the line and the offending key.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { UsageError } from "../errors.js";
import { readYamlSource } from "../parsers/cloudformation/source.js";
import type { Rule } from "./rule.js";

const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BUILTIN_RULES_DIR = join(PACKAGE_ROOT, "src", "rules", "builtin");
export const RULE_SCHEMA_PATH = join(PACKAGE_ROOT, "schemas", "rule.schema.json");

let validator: ValidateFunction | undefined;

function validate(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    ajv.addFormat("regex", (s: string) => {
      try {
        new RegExp(s, "u");
        return true;
      } catch {
        return false;
      }
    });
    validator = ajv.compile(JSON.parse(readFileSync(RULE_SCHEMA_PATH, "utf8")));
  }
  return validator;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function describeError(e: ErrorObject): string {
  const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "the rule";
  if (e.keyword === "additionalProperties") return `${at}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === "required") return `${at}: missing key "${(e.params as { missingProperty: string }).missingProperty}"`;
  if (e.keyword === "enum") return `${at}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
  if (e.keyword === "oneOf" || e.keyword === "minProperties" || e.keyword === "maxProperties") {
    return `${at}: not a valid condition (use all, any, not, attr with one test, fact, ports/covers, related or referrers)`;
  }
  return `${at}: ${e.message ?? "is invalid"}`;
}

/**
 * Picks the error a person should see. Conditions are a `oneOf` of shapes told apart by
 * their key (`all`, `attr`, `related`, ...): branches that miss their own key are not the
 * shape the author meant, so their errors are dropped.
 */
function mostSpecificError(errors: ErrorObject[]): ErrorObject {
  const deepest = Math.max(...errors.map((e) => e.instancePath.length));
  const atDeepest = errors.filter((e) => e.instancePath.length === deepest && e.keyword !== "oneOf" && e.keyword !== "if");
  const branchOf = (e: ErrorObject) => /.*\/oneOf\/(\d+)\//.exec(e.schemaPath)?.[1] ?? "";
  const wrongShape = new Set(atDeepest.filter((e) => e.keyword === "required").map(branchOf).filter((b) => b !== ""));
  const candidates = atDeepest.filter((e) => !wrongShape.has(branchOf(e)));
  const pool = candidates.length > 0 ? candidates : atDeepest.length > 0 ? atDeepest : errors;
  return pool.find((e) => e.keyword === "additionalProperties") ?? pool[0]!;
}

/** Parses and validates one rule file. Throws a UsageError naming file, line and key. */
export function loadRuleFile(path: string, display = path): Rule {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`${display}: cannot read rule file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const parsed = readYamlSource(display, path, text);
  const problem = parsed.diagnostics[0];
  if (problem || parsed.data === undefined) {
    throw new UsageError(`${display}:${problem?.line ?? 1}:${problem?.column ?? 1}: invalid rule file: ${problem?.message ?? "empty"}`);
  }
  const check = validate();
  if (!check(parsed.data)) {
    const e = mostSpecificError(check.errors ?? []);
    const path = pointerToPath(e.instancePath);
    if (e.keyword === "additionalProperties") path.push((e.params as { additionalProperty: string }).additionalProperty);
    const pos = parsed.file.locate(path);
    throw new UsageError(`${display}:${pos?.line ?? 1}:${pos?.column ?? 1}: invalid rule: ${describeError(e)}`);
  }
  const rule = parsed.data as Rule;
  const expected = basename(path, extname(path));
  if (rule.id !== expected) {
    const pos = parsed.file.locate(["id"]);
    throw new UsageError(`${display}:${pos?.line ?? 1}:${pos?.column ?? 1}: rule id "${rule.id}" must match the file name "${expected}"`);
  }
  return { ...rule, source: display };
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
export const BUILTIN_BUNDLE = fileURLToPath(new URL("./builtin-rules.json", import.meta.url));

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
