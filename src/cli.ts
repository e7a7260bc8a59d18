/**
 * Command line: arguments → options → pipeline → reporter → exit code.
 *
 * Exit codes: 0 nothing failing, 1 failing findings or a file that could not be read,
 * 2 the invocation is wrong (one line on stderr, no stack trace).
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import { relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { decodeText } from "./source/decode.js";
import { parseArgs } from "node:util";
import { newFindings, readBaseline, writeBaseline } from "./baseline/baseline.js";
import { createProgress } from "./reporters/progress.js";
import { wasUsed } from "./suppressions/suppression.js";
import { applyConfigSuppressions, findConfig, inFileOrder, InvalidConfig, loadConfig, parametersFor, unknownRuleNames, type Config } from "./config/config.js";
import { UsageError } from "./errors.js";
import { didYouMean } from "./names.js";
import { packagePath } from "./paths.js";
import { SEVERITIES, severityRank, type Finding, type Severity } from "./findings/finding.js";
import { fileRulesUsed } from "./findings/file-rules.js";
import { readParameterFile, parseParamAssignment } from "./parsers/cloudformation/parameters.js";
import { checkVarFiles, parseVarAssignment, type VariableSource } from "./parsers/terraform/variable-options.js";
import { lint, type LintOptions } from "./pipeline/lint.js";
import { parseShard, type Shard } from "./pipeline/shard.js";
import { FORMATS, getChunkedReporter, getReporter } from "./reporters/index.js";
import type { LintResult, ReportOptions } from "./reporters/report.js";
import { renderExplanation, renderRuleList } from "./rules/catalogue.js";
import { builtinRules, loadRuleDir } from "./rules/load.js";
import type { Rule } from "./rules/rule.js";
import { mergeRules, selectRules } from "./rules/select.js";
import { checkRules, renderVerdicts } from "./rules/self-test.js";
import { LIMIT_FLAGS } from "./limits/flags.js";
import { readLimitSettings, type Limits } from "./limits/limits.js";

export const VERSION: string = (
  JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string }
).version;

/**
 * The names other linters give to what parapet has under another name, so that their users
 * are pointed to it (in --help and when they type them).
 */
const PEER_NAMES: Record<string, string> = {
  "list-checks": "parapet rules",
  list: "parapet rules",
  check: "--only",
  "skip-check": "--skip",
  compact: "-f compact",
  "create-baseline": "--write-baseline",
  "external-checks-dir": "--rules",
  "exit-zero": "--soft-fail",
};

const HELP = `Usage: parapet [options] [paths...]
       parapet rules [--format text|json] [rule options]
       parapet explain <rule-id>
       parapet test [rule folders...]
       parapet diff <base-ref|dir|file> [head]

Lints CloudFormation templates (YAML, JSON, SAM), CDK cloud assemblies (cdk.out),
Terraform modules (.tf, .tf.json) and Terraform plans (terraform show -json) in the given
files and folders (default: the current folder) against parapet's EC2 security baseline.
A .tf file named on its own is evaluated with its whole folder.

Options:
  -f, --format <name>     output format: ${FORMATS.join(", ")} (default: text)
  -o, --output <file>     write the report to a file instead of standard output
  -p, --param <K=V>       value for a CloudFormation template parameter (repeatable)
      --param-file <file> CloudFormation parameter file: [{"ParameterKey","ParameterValue"}]
                          or {"Parameters": {...}} (repeatable; --param wins)
      --var <name=value>  value for a Terraform root module variable (repeatable)
      --var-file <file>   Terraform variables file (.tfvars or .tfvars.json; repeatable;
                          --var and --var-file apply in the order given, after
                          TF_VAR_name, terraform.tfvars and *.auto.tfvars)
      --preset <name>     rule preset: recommended (default), strict (adds low-severity
                          rules), account (adds deployment-wide checks); repeatable
      --only <ids>        run only these rules or categories (comma-separated, repeatable)
      --skip <ids>        do not run these rules or categories (comma-separated, repeatable)
      --rules <dir>       also load the rule files in this folder (repeatable)
      --write-baseline <file>  record the fingerprints of the current findings (set-up:
                          exits 0 unless the file cannot be written)
      --baseline <file>   report only findings that are not in this baseline
      --report-unused-suppressions  list suppressions that matched no finding
      --new-since <ref>   report only findings that the same paths did not have at this
                          git ref (the PR check: --new-since origin/main)
  -c, --config <file>     configuration file (default: the nearest .parapet.yaml in the
                          working folder or above it); command-line options win
      --fail-on <severity>  exit 1 only for failures at or above this severity
                          (critical, high, medium, low, info; default: info, every failure)
      --fail-on-undecided findings to review fail the run too
      --soft-fail         exit 0 whatever the findings (the report is unchanged; a wrong
                          invocation still exits 2)
  -q, --quiet             text and compact output show only the findings that fail the run,
                          and the summary (no findings to review, no notes)
  -j, --jobs <n>          worker threads (default: chosen from the amount of work and
                          the cores; 1 lints in one thread)
      --cache             reuse the findings of inputs that have not changed since the
                          last run with the same rules, configuration and parapet version
      --cache-dir <dir>   where --cache keeps them (default: .parapet-cache)
      --shard <i/n>       lint only part i of n of the inputs (for a CI matrix; files,
                          assemblies and Terraform roots are never split)
      --max-file-size <size>  skip larger files with a finding (default 10MB)
      --max-depth <n>     deepest nesting of maps and lists read (default 200, at most 500)
      --max-alias-expansion <n>  most nodes YAML aliases may expand to (default 10000)
      --file-timeout <seconds>  time budget of one file (default 30)
      --max-instances <n>  most instances of a Terraform count / for_each evaluated
                          one by one (default 64)
      --color / --no-color  force colours on or off (default: on for a terminal)
      --verbose           list each symbolic link the walk did not follow
  -v, --version           print parapet's version
  -h, --help              print this help

Commands:
  rules                   list the rules (with --format json, their metadata)
  explain <rule-id>       print a rule's rationale, remediation, mappings and examples
  diff <base> [head]      security-relevant changes (IAM, security groups) between two
                          versions of CloudFormation/CDK templates and the findings the
                          change introduces; base is a git ref, a folder or a file;
                          --format markdown for a PR comment
  test [dirs...]          run the examples of the rules in these folders (default: the
                          built-in rules) as tests; exit 1 when one misbehaves

Coming from another linter (its option: parapet's):
${Object.entries(PEER_NAMES)
  .map(([name, ours]) => `  --${name.padEnd(22)}${ours}`)
  .join("\n")}

Exit codes: 0 no failing findings at or above the threshold, 1 failing findings or unreadable
files (0 with --soft-fail or --write-baseline), 2 usage error.`;

interface CliOptions {
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

type Command = "rules" | "explain" | "test" | "diff";
const COMMANDS: ReadonlySet<string> = new Set<Command>(["rules", "explain", "test", "diff"]);

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
function optionHint(typed: string): string {
  const name = typed.replace(/^-+/, "").replace(/=.*$/, "");
  if (Object.hasOwn(PEER_NAMES, name)) return ` (parapet's equivalent: ${PEER_NAMES[name]})`;
  return typed.startsWith("--") ? didYouMean(name, Object.keys(OPTIONS), (n) => `--${n}`) : "";
}

/** A sub-command given an option it does not use, or a format it cannot write, is a usage error, not ignored. */
function checkCommandOptions(command: Command | undefined, tokens: readonly { kind: string; name?: string }[], format: string, positionals: string[]): void {
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
const OPTIONS = {
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

function jobsOption(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1) throw new UsageError(`--jobs: expected a whole number of at least 1, got "${text}"`);
  return n;
}

export function parseCli(argv: string[], cwd = process.cwd()): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: OPTIONS,
    });
  } catch (e) {
    const unknown = (e as NodeJS.ErrnoException).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? /'([^']+)'/.exec((e as Error).message)?.[1] : undefined;
    if (unknown !== undefined) throw new UsageError(`unknown option '${unknown}'${optionHint(unknown)} (see parapet --help)`);
    // Node's messages are precise but long: keep the first sentence.
    throw new UsageError(`${(e as Error).message.split(/\.\s/)[0]!} (see parapet --help)`);
  }
  const v = parsed.values;
  const format = v.format ?? "text";
  const command = COMMANDS.has(parsed.positionals[0] ?? "") ? (parsed.positionals[0] as Command) : undefined;
  checkCommandOptions(command, parsed.tokens ?? [], format, parsed.positionals);
  const parameters: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const file of v["param-file"] ?? []) Object.assign(parameters, readParameterFile(resolve(cwd, file), file));
  for (const assignment of v.param ?? []) {
    const [key, value] = parseParamAssignment(assignment);
    parameters[key] = value;
  }
  // Terraform applies --var and --var-file in the order given.
  const variables: VariableSource[] = [];
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== "option" || token.value === undefined) continue;
    if (token.name === "var") variables.push(parseVarAssignment(token.value));
    if (token.name === "var-file") variables.push({ kind: "file", path: resolve(cwd, token.value), shown: token.value });
  }
  const color = v["no-color"] ? false : v.color ? true : undefined;
  return {
    ...(command !== undefined ? { command } : {}),
    paths: parsed.positionals,
    format,
    ...(v.output !== undefined ? { output: v.output } : {}),
    parameters,
    variables,
    presets: list(v.preset),
    only: list(v.only),
    skip: list(v.skip),
    ruleDirs: (v.rules ?? []).map((dir) => ({ dir, from: "--rules" })),
    failOn: severityOption(v["fail-on"]),
    failOnUndecided: v["fail-on-undecided"] ?? false,
    softFail: v["soft-fail"] ?? false,
    quiet: v.quiet ?? false,
    given: { format: v.format !== undefined, failOn: v["fail-on"] !== undefined },
    ...(v.config !== undefined ? { config: v.config } : {}),
    ...(v.baseline !== undefined ? { baseline: v.baseline } : {}),
    ...(v["new-since"] !== undefined ? { newSince: v["new-since"] } : {}),
    reportUnused: v["report-unused-suppressions"] ?? false,
    ...(v.jobs !== undefined ? { jobs: jobsOption(v.jobs) } : {}),
    cache: v.cache ?? v["cache-dir"] !== undefined,
    ...(v["cache-dir"] !== undefined ? { cacheDir: v["cache-dir"] } : {}),
    ...(v.shard !== undefined ? { shard: parseShard(v.shard) } : {}),
    limits: readLimitSettings(v, (name) => `--${name}`),
    ...(v["write-baseline"] !== undefined ? { writeBaseline: v["write-baseline"] } : {}),
    ...(color !== undefined ? { color } : {}),
    verbose: v.verbose ?? false,
    help: v.help ?? false,
    version: v.version ?? false,
  };
}

function severityOption(value: string | undefined): Severity {
  if (value === undefined) return "info";
  if (!(SEVERITIES as readonly string[]).includes(value)) throw new UsageError(`--fail-on: unknown severity "${value}" (choose one of ${SEVERITIES.join(", ")})`);
  return value as Severity;
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
function withSeverities(rules: Rule[], config: Config | undefined): Rule[] {
  const overrides = config?.settings.severity ?? {};
  return rules.map((r) => (Object.hasOwn(overrides, r.id) ? { ...r, severity: overrides[r.id]! } : r));
}

/** `--only a,b --only c` → [a, b, c]. */
function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
}

/** The rules of a folder; a folder that cannot be read is named with the option or key that gave it. */
function loadRulesFrom(dir: string, shown: string, from: string): Rule[] {
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
function activeRules(options: CliOptions, cwd: string, config?: Config): { all: Rule[]; active: Rule[] } {
  const user = options.ruleDirs.flatMap((d) => loadRulesFrom(resolve(cwd, d.dir), d.dir, d.from));
  const all = mergeRules(builtinRules(), user);
  const misspelt = config ? unknownRuleNames(config, all) : [];
  if (misspelt.length > 0) throw new UsageError(misspelt.join("\n"));
  return { all, active: selectRules(all, { presets: options.presets, only: options.only, skip: options.skip }) };
}

/** `parapet rules`, `parapet explain <id>`, `parapet test [dirs]`. */
async function runCommand(command: Command, options: CliOptions, cwd: string, config: Config | undefined): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = options.paths.slice(1);
  if (command === "rules") {
    const { active } = activeRules(options, cwd, config);
    return { code: 0, stdout: renderRuleList(active, options.format === "json" ? "json" : "text"), stderr: "" };
  }
  if (command === "explain") {
    if (args.length !== 1) throw new UsageError(`explain: takes one rule id (see parapet rules)${args.length > 1 ? `, got ${args.length}` : ""}`);
    const { all } = activeRules(options, cwd, config);
    const rule = all.find((r) => r.id === args[0]);
    if (!rule) throw new UsageError(`explain: no rule "${args[0]}"${didYouMean(args[0]!, all.map((r) => r.id))} (see parapet rules)`);
    return { code: 0, stdout: renderExplanation(rule), stderr: "" };
  }
  if (command === "diff") {
    const rules = activeRules(options, cwd, config).active;
    const { runDiff } = await import("./diff/diff-command.js");
    const result = await runDiff(args, {
      cwd,
      format: options.format === "markdown" ? "markdown" : "text",
      lintAt: (at, paths) => lint({ paths, cwd: at, rules, parameters: options.parameters, terraform: { sources: options.variables, env: process.env }, limits: options.limits }),
    });
    return { ...result, stderr: "" };
  }
  // test
  const rules = args.length > 0 ? args.flatMap((d) => loadRulesFrom(resolve(cwd, d), d, "test")) : builtinRules();
  const verdicts = await checkRules(rules);
  return { code: verdicts.every((v) => v.ok) ? 0 : 1, stdout: renderVerdicts(verdicts), stderr: "" };
}

/**
 * What the findings of an unchanged input depend on besides its content: parapet's version,
 * the rules as loaded, the configuration's settings, parameters, Terraform variables and limits.
 */
function cacheKey(options: CliOptions, rules: readonly Rule[], config: Config | undefined): string {
  const tfEnv = Object.entries(process.env).filter(([k]) => k.startsWith("TF_VAR_")).sort();
  return JSON.stringify([VERSION, rules, config?.settings ?? null, options.parameters, options.variables, tfEnv, options.limits]);
}

function writeChunks(path: string, chunks: Iterable<string>): void {
  const fd = openSync(path, "w");
  try {
    for (const chunk of chunks) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/** `--output FILE`: the report, written in pieces; a file that cannot be written is a usage error naming it. */
function writeReport(output: string, chunks: Iterable<string>, cwd: string): void {
  try {
    writeChunks(resolve(cwd, output), chunks);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!code) throw e;
    throw new UsageError(`--output ${output}: cannot write (${code})`);
  }
}


/**
 * `--new-since REF`: lints the same paths as they were at REF (read with git into a
 * temporary folder) and keeps only the findings whose fingerprints are new. The whole graph
 * is evaluated both times, so a change that opens a port on an old resource is new.
 */
async function newSince(
  ref: string,
  findings: Finding[],
  cwd: string,
  lintAt: (cwd: string) => Promise<{ findings: Finding[] }>,
): Promise<Finding[]> {
  const { checkoutBase } = await import("./diff/base-tree.js");
  const base = checkoutBase(ref, cwd);
  try {
    let before: { findings: Finding[] };
    try {
      before = await lintAt(base.cwd);
    } catch (e) {
      // A path that did not exist at the base has no old findings.
      if (e instanceof UsageError && e.message.startsWith("path not found")) before = { findings: [] };
      else throw e;
    }
    return newFindings(findings, new Set(before.findings.map((f) => f.fingerprint)));
  } finally {
    base.dispose();
  }
}

/**
 * 1 when an unsuppressed failing finding is at or above the threshold (`--fail-on`, default
 * every severity), or when a file could not be read; findings to review count only with
 * `--fail-on-undecided`.
 */
export function exitCode(findings: readonly Finding[], options: Pick<CliOptions, "failOn" | "failOnUndecided">): number {
  return findings.some((f) => failsRun(f, options)) ? 1 : 0;
}

/** Whether this finding alone makes the run exit 1 (what `--quiet` still shows). */
export function failsRun(f: Finding, options: Pick<CliOptions, "failOn" | "failOnUndecided">): boolean {
  if (f.suppressions && f.suppressions.length > 0) return false;
  if (f.ruleId === "parse-error") return true;
  if (f.kind === "review" && !options.failOnUndecided) return false;
  return severityRank(f.severity) >= severityRank(options.failOn);
}

/** The links a walk did not follow: counted in one note, or one note each with --verbose. */
function linkNotes(links: readonly { path: string; target: string; why: string }[], verbose: boolean): string[] {
  if (links.length === 0) return [];
  if (verbose) return links.map((l) => `symbolic link ${l.path} -> ${l.target} not followed: ${l.why}`);
  return [`${links.length === 1 ? "1 symbolic link was" : `${links.length} symbolic links were`} not followed (--verbose lists each with why)`];
}

/** Runs parapet; resolves to the exit code. */
export async function run(argv: string[], cwd = process.cwd()): Promise<{ code: number; stdout: string; stderr: string }> {
  let stderr = "";
  try {
    const options = parseCli(argv, cwd);
    if (options.help) return { code: 0, stdout: HELP + "\n", stderr };
    if (options.version) return { code: 0, stdout: VERSION + "\n", stderr };
    const config = readConfig(options, cwd);
    withConfig(options, config);
    checkVarFiles(options.variables);
    if (options.command !== undefined) {
      const out = await runCommand(options.command, options, cwd, config);
      if (options.output === undefined) return out;
      writeReport(options.output, [out.stdout], cwd);
      return { ...out, stdout: "" };
    }
    const rules = withSeverities(activeRules(options, cwd, config).active, config);
    const lintAt = (at: string, progress?: LintOptions["progress"]) =>
      lint({
        ...(progress ? { progress } : {}),
        paths: options.paths,
        cwd: at,
        rules,
        parameters: options.parameters,
        parametersFor: (file) => ({ ...parametersFor(config, file, at), ...options.parameters }),
        terraform: { sources: options.variables, env: process.env },
        ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
        ...(options.shard ? { shard: options.shard } : {}),
        ...(options.cache && at === cwd ? { cache: { dir: resolve(cwd, options.cacheDir ?? ".parapet-cache"), key: cacheKey(options, rules, config) } } : {}),
        limits: options.limits,
      });
    // The progress line follows the main run only (not the base of --new-since).
    const progress = { line: undefined as ReturnType<typeof createProgress>, started: false };
    const linted = await lintAt(cwd, (done, total, found) => {
      if (!progress.started) progress.line = createProgress(process.stderr, process.env, total);
      progress.started = true;
      progress.line?.update(done, found);
    });
    progress.line?.end();
    let findings = applyConfigSuppressions(linted.findings, config, cwd);
    if (options.newSince !== undefined) findings = await newSince(options.newSince, findings, cwd, lintAt);
    if (options.writeBaseline !== undefined) {
      writeBaseline(resolve(cwd, options.writeBaseline), options.writeBaseline, findings);
      linted.notes.push(`--write-baseline: recorded the findings in ${options.writeBaseline}; a run that writes a baseline exits 0`);
    }
    if (options.baseline !== undefined) findings = newFindings(findings, readBaseline(resolve(cwd, options.baseline), options.baseline));
    const notes = [...linted.notes, ...linkNotes(linted.links ?? [], options.verbose)];
    if (options.reportUnused) {
      const declared = [...(linted.suppressions ?? []), ...(config?.settings.suppressions ?? [])];
      for (const s of declared) if (!wasUsed(s)) notes.push(`unused suppression of ${s.rule} at ${s.origin ?? "an unknown place"}: it matched no finding`);
    }
    const outcome = { ...linted, findings, notes };
    const result: LintResult = {
      findings: outcome.findings,
      rules: [...rules, ...fileRulesUsed(rules, outcome.findings)],
      files: outcome.files,
      notes: outcome.notes,
      ...(linted.links ? { links: linted.links } : {}),
      version: VERSION,
    };
    const toTerminal = !options.output && process.stdout.isTTY === true;
    const reportOptions: ReportOptions = {
      ...(options.quiet ? { onlyFailing: (f: Finding) => failsRun(f, options) } : {}),
      color: options.color ?? (toTerminal && !process.env["NO_COLOR"]),
      baseUri: pathToFileURL(cwd).href.replace(/\/?$/, "/"),
      readSource: (file) => {
        try {
          return decodeText(readFileSync(resolve(cwd, file))).text;
        } catch {
          return undefined;
        }
      },
    };
    let stdout = "";
    if (options.output) {
      // A large report goes to the file in pieces, never whole in memory.
      writeReport(options.output, getChunkedReporter(options.format)?.(result, reportOptions) ?? [getReporter(options.format)!(result, reportOptions)], cwd);
    } else {
      stdout = getReporter(options.format)!(result, reportOptions);
    }
    if (options.format !== "text" && !options.quiet) for (const note of outcome.notes) stderr += `parapet: ${note}\n`;
    // Writing a baseline is set-up, and --soft-fail reports without failing: both exit 0.
    const setUp = options.writeBaseline !== undefined || options.softFail;
    return { code: setUp ? 0 : exitCode(outcome.findings, options), stdout, stderr };
  } catch (e) {
    // One line per problem (a configuration file may have several).
    if (e instanceof UsageError) return { code: 2, stdout: "", stderr: e.message.split("\n").map((line) => `parapet: ${line}\n`).join("") };
    const message = e instanceof Error ? e.message : String(e);
    const detail = process.env["PARAPET_DEBUG"] && e instanceof Error ? `\n${e.stack}` : "";
    return { code: 2, stdout: "", stderr: `parapet: internal error: ${message} (please report it)${detail}\n` };
  }
}

/** Entry point of the `parapet` binary: prints, then exits once the output is flushed. */
export async function main(argv: string[]): Promise<void> {
  const { code, stdout, stderr } = await run(argv);
  if (stderr) process.stderr.write(stderr);
  if (stdout) process.stdout.write(stdout, () => process.exit(code));
  else process.exit(code);
}
