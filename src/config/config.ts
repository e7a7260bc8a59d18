/**
 * `.parapet.yaml`: a repository's settings, found by walking up from the working directory
 * (or named with `--config`), validated against `schemas/config.schema.json`. Options given
 * on the command line take precedence over it. Paths in it are relative to its folder.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv";
import type { Finding, Severity } from "../findings/finding.js";
import { applySuppressions, untilProblem, type SuppressionSpec } from "../suppressions/suppression.js";
import { compileSchema, readCheckedYaml, SchemaErrors } from "../source/yaml-schema.js";
import { UsageError } from "../errors.js";
import { didYouMean } from "../names.js";
import type { ParsedSource } from "../source/document.js";
import { CATEGORIES, type Rule } from "../model/rule.js";
import { formatPath, type PropertyPath } from "../source/location.js";
import { packagePath } from "../paths.js";
import type { LimitSettings } from "../limits/limits.js";

export const CONFIG_FILE = ".parapet.yaml";
/** picomatch, loaded the first time a configuration uses a glob. */
function glob(patterns: string | string[]): (path: string) => boolean {
  const picomatch = createRequire(import.meta.url)("picomatch") as typeof import("picomatch");
  return picomatch(patterns, { dot: true });
}

/** `module.a["x"].aws_instance.web[0]` → `module.a.aws_instance.web`: a pattern for a block covers its instances. */
function withoutInstanceKeys(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]/g, "");
}

export const CONFIG_SCHEMA_PATH = packagePath("schemas", "config.schema.json");

interface ConfigSuppression extends SuppressionSpec {
  paths?: string[];
  addresses?: string[];
}

export interface ConfigFile {
  preset?: string | string[];
  only?: string[];
  skip?: string[];
  severity?: Record<string, Severity>;
  rules?: string[];
  "fail-on"?: Severity;
  "fail-on-undecided"?: boolean;
  format?: string;
  parameters?: { files?: string; values: Record<string, string | number | boolean> }[];
  "var-files"?: string[];
  suppressions?: ConfigSuppression[];
  "require-reason"?: boolean;
  unsuppressible?: string[];
  limits?: LimitSettings;
}

export interface Config {
  /** The file, as shown to users. */
  file: string;
  /** Its folder: paths in the file are relative to it. */
  dir: string;
  settings: ConfigFile;
  /** `file:line:column` of a key or item of the file. */
  at(path: PropertyPath): string;
}

/** The nearest `.parapet.yaml` in the working directory or a folder above it. */
export function findConfig(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

let validator: ValidateFunction | undefined;

/**
 * Reads and validates a configuration file. A bad one is an {@link InvalidConfig} that lists
 * every problem with file:line:column.
 */
export function loadConfig(path: string, display = path): Config {
  validator ??= compileSchema(CONFIG_SCHEMA_PATH);
  const config = (parsed: ParsedSource): Config => {
    const at = (p: PropertyPath) => {
      const pos = parsed.file.locate(p);
      return `${display}:${pos?.line ?? 1}:${pos?.column ?? 1}`;
    };
    return { file: display, dir: dirname(resolve(path)), settings: parsed.data as ConfigFile, at };
  };
  let parsed: ParsedSource;
  try {
    parsed = readCheckedYaml(path, display, validator, "configuration", { all: true, schema: () => JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, "utf8")) });
  } catch (e) {
    if (e instanceof SchemaErrors) throw new InvalidConfig(e.problems, config(e.parsed));
    throw e;
  }
  const settings = parsed.data as ConfigFile;
  settings.suppressions?.forEach((s, i) => (s.origin = `${display}: suppressions[${i}]`));
  const read = config(parsed);
  // The schema checks the shape of a day; the calendar is checked here (2027-02-30 is no day).
  const badDays = (settings.suppressions ?? []).flatMap((s, i) =>
    s.until !== undefined && untilProblem(s.until) ? [`${read.at(["suppressions", i, "until"])}: invalid configuration: suppressions.${i}.${untilProblem(s.until)}`] : [],
  );
  if (badDays.length > 0) throw new InvalidConfig(badDays, read);
  return read;
}

/** A configuration file with problems: every one, and the file as read (other checks may add theirs). */
export class InvalidConfig extends UsageError {
  constructor(
    readonly problems: string[],
    readonly config: Config,
  ) {
    super(problems.join("\n"));
  }
}

/** Problems of one file (`file:line:column: ...` lines) in the order of the file. */
export function inFileOrder(problems: string[]): string[] {
  const place = (p: string) => /:(\d+):(\d+): /.exec(p)?.slice(1).map(Number) ?? [0, 0];
  return [...problems].sort((a, b) => place(a)[0]! - place(b)[0]! || place(a)[1]! - place(b)[1]!);
}

/**
 * The rule ids and categories the configuration names (`only`, `skip`, `severity`,
 * `unsuppressible`, `suppressions[].rule`) that none of `rules` has: one line each, at its
 * place in the file, with the nearest known name.
 */
export function unknownRuleNames(config: Config, rules: readonly Rule[]): string[] {
  const ids = new Set(rules.map((r) => r.id));
  const withCategories = new Set<string>([...ids, ...CATEGORIES]);
  const s = config.settings;
  const problems: string[] = [];
  const check = (name: unknown, path: PropertyPath, known: ReadonlySet<string>, what: string) => {
    if (typeof name !== "string" || known.has(name)) return;
    problems.push(`${config.at(path)}: invalid configuration: ${formatPath(path)}: no ${what} "${name}"${didYouMean(name, known)} (see parapet rules)`);
  };
  for (const key of ["only", "skip"] as const) {
    const names = s[key];
    if (Array.isArray(names)) names.forEach((n, i) => check(n, [key, i], withCategories, "rule or category"));
  }
  if (s.severity && typeof s.severity === "object") for (const id of Object.keys(s.severity)) check(id, ["severity", id], ids, "rule");
  if (Array.isArray(s.unsuppressible)) s.unsuppressible.forEach((id, i) => check(id, ["unsuppressible", i], ids, "rule"));
  if (Array.isArray(s.suppressions)) {
    s.suppressions.forEach((entry, i) => {
      if (entry && typeof entry === "object" && entry.rule !== "*") check(entry.rule, ["suppressions", i, "rule"], ids, "rule");
    });
  }
  return inFileOrder(problems);
}

function relativeTo(dir: string, file: string, cwd: string): string {
  return relative(dir, resolve(cwd, file)).split(sep).join("/");
}

/** The parameter values the configuration gives a template (by its path from the working directory). */
export function parametersFor(config: Config | undefined, file: string, cwd: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const set of config?.settings.parameters ?? []) {
    if (set.files && !glob(set.files)(relativeTo(config!.dir, file, cwd))) continue;
    for (const [k, v] of Object.entries(set.values)) out[k] = String(v);
  }
  return out;
}

/**
 * Applies the configuration's suppressions to the findings no in-source suppression covers,
 * then takes every suppression away from the rules the configuration marks unsuppressible.
 */
export function applyConfigSuppressions(findings: Finding[], config: Config | undefined, cwd: string, today = new Date()): Finding[] {
  const specs = (config?.settings.suppressions ?? []).map((s) => ({
    spec: s,
    path: s.paths?.length ? glob(s.paths) : undefined,
    address: s.addresses?.length ? glob(s.addresses) : undefined,
  }));
  const requireReason = config?.settings["require-reason"] ?? true;
  let out = findings;
  if (specs.length > 0) {
    const pending = out.filter((f) => !f.suppressions?.length);
    const decided = applySuppressions(
      pending,
      (f) =>
        specs
          .filter(({ path, address }) => (!path || path(relativeTo(config!.dir, f.file, cwd))) && (!address || address(f.address) || address(withoutInstanceKeys(f.address))))
          .map(({ spec }) => spec),
      today,
      { kind: "external", requireReason },
    );
    const byFinding = new Map(pending.map((f, i) => [f, decided[i]!]));
    out = out.map((f) => byFinding.get(f) ?? f);
  }
  const fixed = new Set(config?.settings.unsuppressible ?? []);
  if (fixed.size === 0) return out;
  return out.map((f) =>
    fixed.has(f.ruleId) && f.suppressions?.length
      ? { ...f, suppressions: [], message: `${f.message} (its suppression is ignored: the configuration makes ${f.ruleId} unsuppressible)` }
      : f,
  );
}
