/**
 * The options of the command line: the table `util.parseArgs` reads, the options and formats
 * each sub-command takes, and the checks that make a wrong invocation a usage error.
 */
import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import { SEVERITIES, type Severity } from "../findings/finding.js";
import { LIMIT_FLAGS } from "../limits/flags.js";
import type { Limits } from "../limits/limits.js";
import { didYouMean } from "../names.js";
import { parseParamAssignment, readParameterFile } from "../parsers/cloudformation/parameters.js";
import { parseVarAssignment, type VariableSource } from "../model/variable-options.js";
import type { Shard } from "../pipeline/shard.js";
import { FORMATS, getReporter } from "../reporters/index.js";
import { PEER_NAMES } from "./help.js";

/** What a command prints and the exit code it ends with. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The sub-command (`rules`, `diff`, ...), when one is given; otherwise a lint run. */
  command?: Command;
  paths: string[];
  format: string;
  output?: string;
  parameters: Record<string, string>;
  variables: VariableSource[];
  presets: string[];
  only: string[];
  skip: string[];
  /** Rule folders: as given (relative to the working folder, or absolute), and the option or key that named them. */
  ruleDirs: { dir: string; from: string }[];
  failOn: Severity;
  failOnUndecided: boolean;
  /** `--soft-fail`: exit 0 whatever the findings (the report is unchanged). */
  softFail: boolean;
  /** `--quiet`: the text and compact reports show only the findings that fail the run, and the summary. */
  quiet: boolean;
  /** Which of these the command line set (the configuration file fills in the others). */
  given: { format: boolean; failOn: boolean };
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  newSince?: string;
  reportUnused: boolean;
  jobs?: number;
  cache: boolean;
  cacheDir?: string;
  shard?: Shard;
  /** Limits given as flags (the configuration file fills in the others). */
  limits: Partial<Limits>;
  color?: boolean;
  /** List each symbolic link a walk did not follow (else they are counted in one note). */
  verbose: boolean;
  help: boolean;
  version: boolean;
}

export type Command = "rules" | "explain" | "test" | "diff";
export const COMMANDS: ReadonlySet<string> = new Set<Command>(["rules", "explain", "test", "diff"]);

const RULE_OPTIONS = ["preset", "only", "skip", "rules", "config"];
/** The options and formats each sub-command takes; a plain run takes every option and format. */
const COMMAND_SPECS: Record<Command, { options: readonly string[]; formats: readonly string[] }> = {
  rules: { options: ["format", "output", ...RULE_OPTIONS], formats: ["text", "json"] },
  explain: { options: ["format", "output", "rules", "config"], formats: ["text"] },
  test: { options: ["format", "output"], formats: ["text"] },
  diff: {
    options: ["format", "output", "param", "param-file", "var", "var-file", ...RULE_OPTIONS, ...Object.keys(LIMIT_FLAGS)],
    formats: ["text", "markdown"],
  },
};

/** ` (did you mean --format?)` for `--formt`; ` (parapet's equivalent: ...)` for another linter's option. */
export function optionHint(typed: string): string {
  const name = typed.replace(/^-+/, "").replace(/=.*$/, "");
  if (Object.hasOwn(PEER_NAMES, name)) return ` (parapet's equivalent: ${PEER_NAMES[name]})`;
  return typed.startsWith("--") ? didYouMean(name, Object.keys(OPTIONS), (n) => `--${n}`) : "";
}

/** A sub-command given an option it does not use, or a format it cannot write, is a usage error, not ignored. */
export function checkCommandOptions(command: Command | undefined, tokens: readonly { kind: string; name?: string }[], format: string, positionals: string[]): void {
  if (command === undefined) {
    if (!getReporter(format)) throw new UsageError(`--format: unknown format "${format}"${didYouMean(format, FORMATS)} (choose one of ${FORMATS.join(", ")})`);
    return;
  }
  const spec = COMMAND_SPECS[command];
  for (const token of tokens) {
    if (token.kind !== "option" || token.name === undefined || token.name === "help" || token.name === "version") continue;
    if (!spec.options.includes(token.name)) {
      throw new UsageError(`${command}: --${token.name} is not an option of this command (it takes ${spec.options.map((o) => `--${o}`).join(", ")})`);
    }
  }
  if (!spec.formats.includes(format)) {
    throw new UsageError(`${command}: --format ${format} is not supported (${command} writes ${spec.formats.join(" or ")})`);
  }
  if (command === "rules" && positionals.length > 1) throw new UsageError(`rules: takes no arguments (got "${positionals[1]}"); narrow the list with --only, --skip or --preset`);
}

/** The options of `parapet` (`util.parseArgs`); the limits' flags come from their table. */
export const OPTIONS = {
  format: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  param: { type: "string", short: "p", multiple: true },
  "param-file": { type: "string", multiple: true },
  var: { type: "string", multiple: true },
  preset: { type: "string", multiple: true },
  only: { type: "string", multiple: true },
  skip: { type: "string", multiple: true },
  rules: { type: "string", multiple: true },
  "fail-on": { type: "string" },
  "fail-on-undecided": { type: "boolean" },
  "soft-fail": { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  config: { type: "string", short: "c" },
  baseline: { type: "string" },
  "new-since": { type: "string" },
  "report-unused-suppressions": { type: "boolean" },
  "write-baseline": { type: "string" },
  "var-file": { type: "string", multiple: true },
  jobs: { type: "string", short: "j" },
  cache: { type: "boolean" },
  "cache-dir": { type: "string" },
  shard: { type: "string" },
  color: { type: "boolean" },
  "no-color": { type: "boolean" },
  verbose: { type: "boolean" },
  ...LIMIT_FLAGS,
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

export function jobsOption(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1) throw new UsageError(`--jobs: expected a whole number of at least 1, got "${text}"`);
  return n;
}

export function severityOption(value: string | undefined): Severity {
  if (value === undefined) return "info";
  if (!(SEVERITIES as readonly string[]).includes(value)) throw new UsageError(`--fail-on: unknown severity "${value}" (choose one of ${SEVERITIES.join(", ")})`);
  return value as Severity;
}

/** `--only a,b --only c` → [a, b, c]. */
export function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
}

/** `--param-file` then `--param` (the later wins): CloudFormation parameter values. */
export function parametersOf(values: { param?: string[]; "param-file"?: string[] }, cwd: string): Record<string, string> {
  const parameters: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const file of values["param-file"] ?? []) Object.assign(parameters, readParameterFile(resolve(cwd, file), file));
  for (const assignment of values.param ?? []) {
    const [key, value] = parseParamAssignment(assignment);
    parameters[key] = value;
  }
  return parameters;
}

/** `--var` and `--var-file`: Terraform applies them in the order given. */
export function variablesOf(tokens: readonly { kind: string; name?: string; value?: string | undefined }[], cwd: string): VariableSource[] {
  const variables: VariableSource[] = [];
  for (const token of tokens) {
    if (token.kind !== "option" || token.value === undefined) continue;
    if (token.name === "var") variables.push(parseVarAssignment(token.value));
    if (token.name === "var-file") variables.push({ kind: "file", path: resolve(cwd, token.value), shown: token.value });
  }
  return variables;
}
