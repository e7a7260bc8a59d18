/**
 * What every command runs with besides its arguments: the configuration file filling in what
 * the command line left open, and the rules (built-in, from folders, narrowed and re-rated).
 */
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { findConfig, inFileOrder, InvalidConfig, loadConfig, unknownRuleNames, type Config } from "../config/config.js";
import { UsageError } from "../errors.js";
import { readLimitSettings } from "../limits/limits.js";
import { didYouMean } from "../names.js";
import type { VariableSource } from "../model/variable-options.js";
import { FORMATS, getReporter } from "../reporters/index.js";
import { builtinRules, loadRuleDir } from "../rules/load.js";
import type { Rule } from "../model/rule.js";
import { mergeRules, selectRules } from "../rules/select.js";
import type { CliOptions } from "./options.js";

/**
 * Reads the configuration file, fills the options in from it and checks the variables files
 * they name; returns the configuration (none when there is no file).
 */
export function configure(options: CliOptions, cwd: string): Config | undefined {
  const config = readConfig(options, cwd);
  withConfig(options, config);
  checkVarFiles(options.variables);
  return config;
}

/** The configuration file: `--config FILE`, else the nearest `.parapet.yaml` above the working directory. */
function readConfig(options: CliOptions, cwd: string): Config | undefined {
  let path: string;
  let display: string;
  if (options.config !== undefined) {
    path = resolve(cwd, options.config);
    display = options.config;
    if (!existsSync(path)) throw new UsageError(`--config: file not found: ${options.config}`);
  } else {
    const found = findConfig(cwd);
    if (!found) return undefined;
    path = found;
    display = relative(cwd, found) || found;
  }
  try {
    return loadConfig(path, display);
  } catch (e) {
    if (!(e instanceof InvalidConfig)) throw e;
    // Every problem at once: the rule ids it misspells too, when its rule folders can be read.
    let all: Rule[] | undefined;
    try {
      const dirs = Array.isArray(e.config.settings.rules) ? e.config.settings.rules.filter((d) => typeof d === "string").map((d) => resolve(e.config.dir, d)) : [];
      all = mergeRules(builtinRules(), [...dirs, ...options.ruleDirs.map((d) => resolve(cwd, d.dir))].flatMap((d) => loadRuleDir(d, d)));
    } catch {
      all = undefined;
    }
    throw new UsageError(inFileOrder([...e.problems, ...(all ? unknownRuleNames(e.config, all) : [])]).join("\n"));
  }
}

/** Fills in what the command line left open from the configuration file. */
function withConfig(options: CliOptions, config: Config | undefined): void {
  const s = config?.settings;
  if (!s || !config) return;
  if (options.presets.length === 0 && s.preset !== undefined) options.presets = [s.preset].flat();
  if (options.only.length === 0 && s.only) options.only = s.only;
  if (options.skip.length === 0 && s.skip) options.skip = s.skip;
  options.ruleDirs = [...(s.rules ?? []).map((d, i) => ({ dir: resolve(config.dir, d), from: `${config.at(["rules", i])}: rules[${i}]` })), ...options.ruleDirs];
  if (!options.given.failOn && s["fail-on"]) options.failOn = s["fail-on"];
  if (s["fail-on-undecided"]) options.failOnUndecided = true;
  // The configuration's format is the lint run's; sub-commands keep their own default.
  if (!options.given.format && s.format && options.command === undefined) {
    if (!getReporter(s.format)) throw new UsageError(`${config.file}: format: unknown format "${s.format}"${didYouMean(s.format, FORMATS)} (choose one of ${FORMATS.join(", ")})`);
    options.format = s.format;
  }
  const varFiles = (s["var-files"] ?? []).map((f) => ({ kind: "file" as const, path: resolve(config.dir, f), shown: `${f} (from ${config.file})` }));
  options.variables = [...varFiles, ...options.variables];
  options.limits = { ...readLimitSettings(s.limits ?? {}, (name) => `${config.file}: limits.${name}`), ...options.limits };
}

/** Severity overrides of the configuration file. */
export function withSeverities(rules: Rule[], config: Config | undefined): Rule[] {
  const overrides = config?.settings.severity ?? {};
  return rules.map((r) => (Object.hasOwn(overrides, r.id) ? { ...r, severity: overrides[r.id]! } : r));
}

/** The rules of a folder; a folder that cannot be read is named with the option or key that gave it. */
export function loadRulesFrom(dir: string, shown: string, from: string): Rule[] {
  try {
    return loadRuleDir(dir, shown);
  } catch (e) {
    if (e instanceof UsageError && e.message.startsWith(`${shown}: `)) throw new UsageError(`${from} ${e.message}`);
    throw e;
  }
}

/**
 * Built-in rules plus the folders given with --rules, narrowed by preset, --only and --skip.
 * Rule ids the configuration misspells are reported at their lines in it.
 */
export function activeRules(options: CliOptions, cwd: string, config?: Config): { all: Rule[]; active: Rule[] } {
  const user = options.ruleDirs.flatMap((d) => loadRulesFrom(resolve(cwd, d.dir), d.dir, d.from));
  const all = mergeRules(builtinRules(), user);
  const misspelt = config ? unknownRuleNames(config, all) : [];
  if (misspelt.length > 0) throw new UsageError(misspelt.join("\n"));
  return { all, active: selectRules(all, { presets: options.presets, only: options.only, skip: options.skip }) };
}

/**
 * Every `--var-file` (and `var-files:` of the configuration) must be a file parapet can open,
 * whether or not the run meets a Terraform root: a misspelt name is a wrong invocation, never
 * an option that silently does nothing. Its content is read (and its errors reported) when a
 * Terraform root is evaluated.
 */
function checkVarFiles(sources: readonly VariableSource[]): void {
  for (const source of sources) {
    if (source.kind !== "file") continue;
    const shown = `--var-file ${source.shown ?? source.path}`;
    let stat;
    try {
      stat = statSync(source.path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`${shown}: ${code === "ENOENT" ? "file not found" : (code ?? (e as Error).message)}`);
    }
    if (!stat.isFile()) throw new UsageError(`${shown}: not a file`);
    try {
      accessSync(source.path, constants.R_OK);
    } catch (e) {
      throw new UsageError(`${shown}: ${(e as NodeJS.ErrnoException).code ?? "cannot be read"}`);
    }
  }
}
