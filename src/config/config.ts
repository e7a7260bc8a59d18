/**
 * `.parapet.yaml`: a repository's settings, found by walking up from the working directory
 * (or named with `--config`), validated against `schemas/config.schema.json`. Options given
 * on the command line take precedence over it. Paths in it are relative to its folder.
 */
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv";
import type { Finding, Severity } from "../findings/finding.js";
import { applySuppressions, type SuppressionSpec } from "../suppressions/suppression.js";
import { compileSchema, readCheckedYaml } from "./yaml-schema.js";
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

/** Reads and validates a configuration file; a bad one is a UsageError with file:line. */
export function loadConfig(path: string, display = path): Config {
  validator ??= compileSchema(CONFIG_SCHEMA_PATH);
  const parsed = readCheckedYaml(path, display, validator, "configuration");
  const settings = parsed.data as ConfigFile;
  settings.suppressions?.forEach((s, i) => (s.origin = `${display}: suppressions[${i}]`));
  return { file: display, dir: dirname(resolve(path)), settings };
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
