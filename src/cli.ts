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
import { applyConfigSuppressions, findConfig, loadConfig, parametersFor, type Config } from "./config/config.js";
import { UsageError } from "./errors.js";
import { packagePath } from "./paths.js";
import { SEVERITIES, severityRank, type Finding, type Severity } from "./findings/finding.js";
import { fileRulesUsed } from "./findings/file-rules.js";
import { readParameterFile, parseParamAssignment } from "./parsers/cloudformation/parameters.js";
import { parseVarAssignment, type VariableSource } from "./parsers/terraform/variable-options.js";
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
      --write-baseline <file>  record the fingerprints of the current findings
      --baseline <file>   report only findings that are not in this baseline
      --report-unused-suppressions  list suppressions that matched no finding
      --new-since <ref>   report only findings that the same paths did not have at this
                          git ref (the PR check: --new-since origin/main)
  -c, --config <file>     configuration file (default: the nearest .parapet.yaml in the
                          working folder or above it); command-line options win
      --fail-on <severity>  exit 1 only for failures at or above this severity
                          (critical, high, medium, low, info; default: info, every failure)
      --fail-on-undecided findings to review fail the run too
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

Exit codes: 0 no failing findings at or above the threshold, 1 failing findings or unreadable
files, 2 usage error.`;

interface CliOptions {
  paths: string[];
  format: string;
  output?: string;
  parameters: Record<string, string>;
  variables: VariableSource[];
  presets: string[];
  only: string[];
  skip: string[];
  ruleDirs: string[];
  failOn: Severity;
  failOnUndecided: boolean;
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
      options: {
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
      },
    });
  } catch (e) {
    // Node's messages are precise but long: keep the first sentence.
    const message = (e as Error).message.split(/\.\s/)[0]!.replace(/^Unknown option/, "unknown option");
    throw new UsageError(`${message} (see parapet --help)`);
  }
  const v = parsed.values;
  const format = v.format ?? "text";
  const command = parsed.positionals[0];
  const listing = command === "rules" && format === "json";
  if (!listing && !getReporter(format)) throw new UsageError(`unknown format "${format}" (choose one of ${FORMATS.join(", ")})`);
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
    paths: parsed.positionals,
    format,
    ...(v.output !== undefined ? { output: v.output } : {}),
    parameters,
    variables,
    presets: list(v.preset),
    only: list(v.only),
    skip: list(v.skip),
    ruleDirs: (v.rules ?? []).map((d) => d),
    failOn: severityOption(v["fail-on"]),
    failOnUndecided: v["fail-on-undecided"] ?? false,
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
  if (options.config !== undefined) {
    const path = resolve(cwd, options.config);
    if (!existsSync(path)) throw new UsageError(`--config: file not found: ${options.config}`);
    return loadConfig(path, options.config);
  }
  const found = findConfig(cwd);
  return found ? loadConfig(found, relative(cwd, found) || found) : undefined;
}

/** Fills in what the command line left open from the configuration file. */
function withConfig(options: CliOptions, config: Config | undefined): void {
  const s = config?.settings;
  if (!s || !config) return;
  if (options.presets.length === 0 && s.preset !== undefined) options.presets = [s.preset].flat();
  if (options.only.length === 0 && s.only) options.only = s.only;
  if (options.skip.length === 0 && s.skip) options.skip = s.skip;
  options.ruleDirs = [...(s.rules ?? []).map((d) => resolve(config.dir, d)), ...options.ruleDirs];
  if (!options.given.failOn && s["fail-on"]) options.failOn = s["fail-on"];
  if (s["fail-on-undecided"]) options.failOnUndecided = true;
  if (!options.given.format && s.format) {
    if (!getReporter(s.format)) throw new UsageError(`${config.file}: unknown format "${s.format}" (choose one of ${FORMATS.join(", ")})`);
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

/** Built-in rules plus the folders given with --rules, narrowed by preset, --only and --skip. */
function activeRules(options: CliOptions, cwd: string): { all: Rule[]; active: Rule[] } {
  const user = options.ruleDirs.flatMap((d) => loadRuleDir(resolve(cwd, d), d));
  const all = mergeRules(builtinRules(), user);
  return { all, active: selectRules(all, { presets: options.presets, only: options.only, skip: options.skip }) };
}

/** `parapet rules`, `parapet explain <id>`, `parapet test [dirs]`. */
async function runCommand(command: string, options: CliOptions, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = options.paths.slice(1);
  if (command === "rules") {
    const { active } = activeRules(options, cwd);
    return { code: 0, stdout: renderRuleList(active, options.format === "json" ? "json" : "text"), stderr: "" };
  }
  if (command === "explain") {
    if (args.length !== 1) throw new UsageError("explain takes one rule id (see parapet rules)");
    const { all } = activeRules(options, cwd);
    const rule = all.find((r) => r.id === args[0]);
    if (!rule) throw new UsageError(`no rule "${args[0]}" (see parapet rules)`);
    return { code: 0, stdout: renderExplanation(rule), stderr: "" };
  }
  if (command === "diff") {
    const rules = activeRules(options, cwd).active;
    const { runDiff } = await import("./diff/diff-command.js");
    const result = await runDiff(args, {
      cwd,
      format: options.format === "markdown" ? "markdown" : "text",
      lintAt: (at, paths) => lint({ paths, cwd: at, rules, parameters: options.parameters, terraform: { sources: options.variables, env: process.env } }),
    });
    return { ...result, stderr: "" };
  }
  // test
  const rules = args.length > 0 ? args.flatMap((d) => loadRuleDir(resolve(cwd, d), d)) : builtinRules();
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

const COMMANDS = new Set(["rules", "explain", "test", "diff"]);

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
  const threshold = severityRank(options.failOn);
  const fails = findings.some((f) => {
    if (f.suppressions && f.suppressions.length > 0) return false;
    if (f.ruleId === "parse-error") return true;
    if (f.kind === "review" && !options.failOnUndecided) return false;
    return severityRank(f.severity) >= threshold;
  });
  return fails ? 1 : 0;
}

/** The links a walk did not follow: counted in one note, or one note each with --verbose. */
function linkNotes(links: readonly { path: string; target: string; why: string }[], verbose: boolean): string[] {
  if (links.length === 0) return [];
  if (verbose) return links.map((l) => `symbolic link ${l.path} -> ${l.target} not followed: ${l.why}`);
  return [`${links.length === 1 ? "1 symbolic link was" : `${links.length} symbolic links were`} not followed (walks do not follow links; --verbose lists them)`];
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
    const command = options.paths[0];
    if (command !== undefined && COMMANDS.has(command)) return await runCommand(command, options, cwd);
    const rules = withSeverities(activeRules(options, cwd).active, config);
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
    if (options.writeBaseline !== undefined) writeBaseline(resolve(cwd, options.writeBaseline), options.writeBaseline, findings);
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
      const chunks = getChunkedReporter(options.format)?.(result, reportOptions) ?? [getReporter(options.format)!(result, reportOptions)];
      try {
        writeChunks(resolve(cwd, options.output), chunks);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (!code) throw e;
        throw new UsageError(`cannot write ${options.output}: ${code}`);
      }
    } else {
      stdout = getReporter(options.format)!(result, reportOptions);
    }
    if (options.format !== "text") for (const note of outcome.notes) stderr += `parapet: ${note}\n`;
    return { code: exitCode(outcome.findings, options), stdout, stderr };
  } catch (e) {
    if (e instanceof UsageError) return { code: 2, stdout: "", stderr: `parapet: ${e.message}\n` };
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
