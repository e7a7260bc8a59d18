/**
 * `parapet diff <base> [head]`: the security-relevant changes between two versions of
 * CloudFormation / CDK templates (IAM statements and managed policies, security-group rules,
 * permissions broadened), as `@aws-cdk/cloudformation-diff` reports them, next to the
 * findings the change introduces. `base` is a git ref, a folder or a file; `head` a folder or
 * a file (default: the working folder).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { decodeText } from "../source/decode.js";
import { Writable } from "node:stream";
import { relative, resolve, sep } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { discover } from "../discovery/discover.js";
import type { Finding } from "../findings/finding.js";
import { isTemplateData, readTemplateSource } from "../parsers/cloudformation/template.js";
import fg from "fast-glob";
import { newFindings } from "../baseline/baseline.js";
import { checkoutBase, type BaseTree } from "./base-tree.js";
import { UsageError } from "../errors.js";
import type { Config } from "../config/config.js";
import { lint } from "../pipeline/lint.js";
import type { CliOptions, CommandResult } from "./options.js";
import { activeRules } from "./settings.js";

export interface DiffOptions {
  cwd: string;
  format: "text" | "markdown";
  /** Lints `paths` seen from `cwd` (the same rules and options as a normal run). */
  lintAt(cwd: string, paths: string[]): Promise<{ findings: Finding[] }>;
}

interface Side {
  /** Folder that the relative paths are taken from. */
  root: string;
  /** What to lint / compare, relative to root. */
  paths: string[];
  /** One file compared with another. */
  single?: boolean;
}

/** Templates under a side, by path relative to its root: plain templates and those of cloud assemblies. */
async function templatesOf(side: Side): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  let inputs;
  try {
    inputs = await discover(side.paths, side.root);
  } catch {
    return out; // the path did not exist on that side
  }
  const files: string[] = [];
  for (const input of inputs) {
    if (input.assembly) {
      for (const f of await fg("**/*.template.json", { cwd: input.absolutePath, absolute: true })) files.push(f);
    } else if (!/\.(tf|tf\.json)$/.test(input.absolutePath)) files.push(input.absolutePath);
  }
  for (const abs of files.sort()) {
    let text: string;
    try {
      text = decodeText(readFileSync(abs)).text;
    } catch {
      continue;
    }
    const rel = relative(side.root, abs).split(sep).join("/");
    const data = readTemplateSource(rel, abs, text).data;
    if (isTemplateData(data)) out.set(rel, data);
  }
  return out;
}

function collector(): { stream: Writable & { columns: number }; text(): string } {
  let buffer = "";
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      buffer += chunk.toString();
      done();
    },
  }) as Writable & { columns: number };
  stream.columns = 120;
  return { stream, text: () => stripVTControlCharacters(buffer) };
}

function resolveSides(args: string[], cwd: string): { base: Side; head: Side; tree?: BaseTree } {
  const [baseArg, headArg = "."] = args;
  if (!baseArg) throw new UsageError("diff: needs a base: a git ref, a folder or a file (parapet diff <base> [head])");
  if (args.length > 2) throw new UsageError(`diff: takes a base and a head at most (got also "${args[2]}")`);
  if (!existsSync(resolve(cwd, headArg))) throw new UsageError(`diff: head "${headArg}" is not a file or folder`);
  const head: Side = { root: cwd, paths: [headArg] };
  const basePath = resolve(cwd, baseArg);
  if (existsSync(basePath)) {
    // Two folders or two files: compare them under one common relative name.
    if (statSync(basePath).isDirectory()) return { base: { root: basePath, paths: ["."] }, head: { root: resolve(cwd, headArg), paths: ["."] } };
    return {
      base: { root: resolve(basePath, ".."), paths: [basePath], single: true },
      head: { root: resolve(resolve(cwd, headArg), ".."), paths: [resolve(cwd, headArg)] },
    };
  }
  const tree = checkoutBase(baseArg, cwd, { label: "diff", orPath: true });
  return { base: { root: tree.cwd, paths: [headArg] }, head, tree };
}

/** Diffs with the active rules and the parameters, variables and limits of the options. */
export async function diffCommand(options: CliOptions, cwd: string, config: Config | undefined): Promise<CommandResult> {
  const rules = activeRules(options, cwd, config).active;
  const result = await runDiff(options.paths.slice(1), {
    cwd,
    format: options.format === "markdown" ? "markdown" : "text",
    lintAt: (at, paths) => lint({ paths, cwd: at, rules, parameters: options.parameters, terraform: { sources: options.variables, env: process.env }, limits: options.limits }),
  });
  return { ...result, stderr: "" };
}

export async function runDiff(args: string[], options: DiffOptions): Promise<{ code: number; stdout: string }> {
  const { fullDiff, formatSecurityChanges } = await import("@aws-cdk/cloudformation-diff");
  const { base, head, tree } = resolveSides(args, options.cwd);
  try {
    const [before, after] = await Promise.all([templatesOf(base), templatesOf(head)]);
    // Two files compare with each other whatever their names.
    if (base.single && before.size === 1 && after.size === 1) {
      const [[, data]] = [...before];
      before.clear();
      before.set([...after.keys()][0]!, data);
    }
    const names = [...new Set([...before.keys(), ...after.keys()])].sort();
    const sections: { name: string; changes: string }[] = [];
    for (const name of names) {
      const diff = fullDiff((before.get(name) ?? {}) as never, (after.get(name) ?? {}) as never);
      if (!diff.permissionsAnyChanges && diff.securityGroupChanges.hasChanges === false) continue;
      const out = collector();
      formatSecurityChanges(out.stream, diff);
      const broadened = diff.permissionsBroadened ? "permissions broadened" : "permissions changed";
      sections.push({ name: before.has(name) ? name : `${name} (new)`, changes: `${broadened}\n${out.text().trim()}` });
    }
    const oldFindings = await options.lintAt(base.root, base.paths).catch(() => ({ findings: [] as Finding[] }));
    const headFindings = (await options.lintAt(head.root, head.paths)).findings;
    const introduced = newFindings(headFindings, new Set(oldFindings.findings.map((f) => f.fingerprint))).filter((f) => !f.suppressions?.length);
    const code = introduced.some((f) => f.kind === "fail") ? 1 : 0;
    return { code, stdout: options.format === "markdown" ? markdown(sections, introduced) : text(sections, introduced) };
  } finally {
    tree?.dispose();
  }
}

function findingLine(f: Finding): string {
  return `${f.file}:${f.position.line}:${f.position.column}: ${f.kind === "review" ? "review" : f.severity}: ${f.message} [${f.ruleId}]`;
}

function text(sections: { name: string; changes: string }[], introduced: Finding[]): string {
  const out: string[] = [];
  if (sections.length === 0) out.push("No security-relevant template changes.");
  for (const s of sections) out.push(`== ${s.name}: ${s.changes}`, "");
  out.push(introduced.length === 0 ? "The change introduces no findings." : `The change introduces ${introduced.length} finding${introduced.length === 1 ? "" : "s"}:`);
  for (const f of introduced) out.push(`  ${findingLine(f)}`);
  return out.join("\n") + "\n";
}

function markdown(sections: { name: string; changes: string }[], introduced: Finding[]): string {
  const out: string[] = ["## parapet: security changes", ""];
  if (sections.length === 0) out.push("No security-relevant template changes.", "");
  for (const s of sections) out.push(`### \`${s.name}\``, "", "```text", s.changes, "```", "");
  out.push("## Findings this change introduces", "");
  if (introduced.length === 0) out.push("None.");
  for (const f of introduced) out.push(`- \`${f.file}:${f.position.line}\` **${f.kind === "review" ? "review" : f.severity}** ${f.message.replace(/[<>`]/g, "")} (\`${f.ruleId}\`)`);
  return out.join("\n") + "\n";
}
