/**
 * Command line: arguments → options → the command (src/commands/) → output and exit code.
 *
 * Exit codes: 0 nothing failing, 1 failing findings or a file that could not be read,
 * 2 the invocation is wrong (one line on stderr, no stack trace).
 */
import { parseArgs } from "node:util";
import type { Config } from "./config/config.js";
import { UsageError } from "./errors.js";
import { readLimitSettings } from "./limits/limits.js";
import { parseShard } from "./pipeline/shard.js";
import { explainCommand } from "./commands/explain.js";
import { HELP, VERSION } from "./commands/help.js";
import { lintCommand } from "./commands/lint.js";
import {
  checkCommandOptions,
  COMMANDS,
  jobsOption,
  list,
  optionHint,
  OPTIONS,
  parametersOf,
  severityOption,
  variablesOf,
  type CliOptions,
  type Command,
  type CommandResult,
} from "./commands/options.js";
import { writeReport } from "./commands/output.js";
import { rulesCommand } from "./commands/rules.js";
import { configure } from "./commands/settings.js";
import { testCommand } from "./commands/test.js";

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
  const parameters = parametersOf(v, cwd);
  const variables = variablesOf(parsed.tokens ?? [], cwd);
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

/** The sub-commands; `diff` (and the CloudFormation diff library it needs) loads only when it runs. */
const SUB_COMMANDS: Record<Command, (options: CliOptions, cwd: string, config: Config | undefined) => CommandResult | Promise<CommandResult>> = {
  rules: rulesCommand,
  explain: explainCommand,
  test: testCommand,
  diff: async (options, cwd, config) => (await import("./commands/diff.js")).diffCommand(options, cwd, config),
};

/** Runs parapet; resolves to the exit code. */
export async function run(argv: string[], cwd = process.cwd()): Promise<CommandResult> {
  try {
    const options = parseCli(argv, cwd);
    if (options.help) return { code: 0, stdout: HELP + "\n", stderr: "" };
    if (options.version) return { code: 0, stdout: VERSION + "\n", stderr: "" };
    const config = configure(options, cwd);
    if (options.command === undefined) return await lintCommand(options, cwd, config);
    const out = await SUB_COMMANDS[options.command](options, cwd, config);
    if (options.output === undefined) return out;
    writeReport(options.output, [out.stdout], cwd);
    return { ...out, stdout: "" };
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
