/**
 * Units of work: the discovered inputs cut into pieces that are linted independently of each
 * other and give the same findings wherever they run (this thread, a worker, a cache hit).
 *
 * - a file: a CloudFormation template, a plan, or Terraform JSON under another name;
 * - a CDK cloud assembly, whole;
 * - a group of CloudFormation templates that may link to each other: one that exports a name and
 *   one of the same folder that imports it, a parent and the template of its nested stack;
 * - a group of Terraform folders: a folder together with the scanned folders it calls as
 *   local modules (and those that call it), since a called folder is evaluated through its
 *   callers and not as a root of its own.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Finding } from "../findings/finding.js";
import type { InputFile } from "../discovery/discover.js";
import { readSuppressionComments } from "../suppressions/comments.js";
import { SUPPRESSION_NOTICE_ID } from "../findings/suppression-notice.js";
import type { SuppressionSpec } from "../suppressions/suppression.js";
import { wasUsed } from "../suppressions/suppression.js";
import type { Rule } from "../model/rule.js";
import type { VariableOptions } from "../model/variable-options.js";
import type { Limits } from "../limits/limits.js";
import { isTerraformFile } from "../parsers/terraform/files.js";
import { byPath, isInside } from "../source/paths.js";
import { decodeText } from "../source/decode.js";
import { DisjointSets } from "./disjoint-sets.js";
import { linkedGroups } from "./template-links.js";
import { isInputText, isPlanText, lintAssembly, lintLinkedTemplates, lintStandaloneTerraform, lintTerraform, lintText, parseErrorFinding, readText, type LinkedFile, type ModuleLinks } from "./scan.js";
import { mayBeTemplate } from "../parsers/cloudformation/template.js";

export type Unit =
  | { kind: "file"; id: string; size: number; file: InputFile; parameters: Record<string, string> }
  | { kind: "assembly"; id: string; size: number; file: InputFile; parameters: Record<string, string> }
  /** CloudFormation templates that may link to each other (exports and imports, nested stacks), read together. */
  | { kind: "stacks"; id: string; size: number; files: Extract<Unit, { kind: "file" }>[] }
  | {
      kind: "terraform";
      id: string;
      size: number;
      inputs: InputFile[];
      /** Other files of the same folders (a plan beside its configuration reports on the same resources). */
      beside: Extract<Unit, { kind: "file" }>[];
      /** The named folders that hold these folders (absolute): where their local module sources may lead. */
      scanned: string[];
    };

/** What a unit needs besides itself; plain data, so that it can be sent to a worker. */
export interface UnitContext {
  cwd: string;
  rules: Rule[];
  terraform: VariableOptions;
  /** Limits on size, depth, alias expansion and time per file. */
  limits?: Partial<Limits>;
}

export interface UnitResult {
  findings: Finding[];
  /** Files linted, as users see their paths. */
  files: string[];
  notes: string[];
  /** Comment suppressions of the files linted: file → line → suppressions. */
  comments: [string, [number, SuppressionSpec[]][]][];
  /** Suppressions declared in resource Metadata, and whether a finding matched each. */
  declared: { spec: SuppressionSpec; used: boolean }[];
  /** Every file whose content the result depends on (absolute paths), for the cache. */
  dependencies: string[];
  /** Symbolic links of the Terraform module folders read: followed, or not and why. */
  links?: ModuleLinks;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Literal local module sources (`source = "./modules/web"`), read from the text without parsing it. */
const LOCAL_SOURCE = /\bsource"?\s*[=:]\s*"(\.\.?\/[^"]*)"/g;

function localSources(dir: string): string[] {
  const out: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter(isTerraformFile);
  } catch {
    return out;
  }
  for (const name of names) {
    let text = "";
    try {
      text = decodeText(readFileSync(join(dir, name))).text;
    } catch {
      continue;
    }
    for (const m of text.matchAll(LOCAL_SOURCE)) out.push(resolve(dir, m[1]!));
  }
  return out;
}

/** Groups Terraform folders that call each other as local modules (union-find over the calls). */
function terraformGroups(inputs: InputFile[]): InputFile[][] {
  const byDir = new Map<string, InputFile[]>();
  for (const f of inputs) {
    const dir = dirname(f.absolutePath);
    byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
  }
  const sets = new DisjointSets(byDir.keys());
  for (const dir of byDir.keys()) {
    for (const callee of localSources(dir)) if (sets.has(callee)) sets.union(dir, callee);
  }
  return sets.groups().map((dirs) => dirs.flatMap((d) => byDir.get(d)!));
}

/** The paths named to scan as absolute folders: a named file stands for its folder. */
export function namedFolders(paths: readonly string[], cwd: string): string[] {
  return paths.map((p) => resolve(cwd, p)).map((p) => (isFile(p) ? dirname(p) : p));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Cuts the inputs into units, in a fixed order (assemblies, files, Terraform groups, each by
 * path), so that results merge the same way however the units are run.
 */
export function planUnits(inputs: InputFile[], parametersFor: (file: string) => Record<string, string>, named: readonly string[] = []): Unit[] {
  const units: Unit[] = [];
  for (const file of inputs.filter((f) => f.assembly)) {
    units.push({ kind: "assembly", id: `assembly:${file.path}`, size: assemblySize(file.absolutePath), file, parameters: parametersFor(file.path) });
  }
  const groups = terraformGroups(inputs.filter((f) => !f.assembly && isTerraformFile(f.absolutePath)));
  const groupOf = new Map(groups.flatMap((g, i) => g.map((f) => [dirname(f.absolutePath), i] as const)));
  const beside = groups.map((): Extract<Unit, { kind: "file" }>[] => []);
  const files: Extract<Unit, { kind: "file" }>[] = [];
  for (const file of inputs.filter((f) => !f.assembly && !isTerraformFile(f.absolutePath))) {
    const unit: Unit = { kind: "file", id: `file:${file.path}`, size: sizeOf(file.absolutePath), file, parameters: parametersFor(file.path) };
    const group = groupOf.get(dirname(file.absolutePath));
    if (group === undefined) files.push(unit);
    else beside[group]!.push(unit);
  }
  units.push(...linkedTemplateUnits(files));
  const tf = groups.map((g, i): Unit => {
    const sorted = [...g].sort(byPath);
    const size = sorted.reduce((n, f) => n + sizeOf(f.absolutePath), 0) + beside[i]!.reduce((n, u) => n + u.size, 0);
    const scanned = named.filter((folder) => sorted.some((f) => isInside(folder, f.absolutePath)));
    return { kind: "terraform", id: `terraform:${sorted[0]!.path}`, size, inputs: sorted, beside: beside[i]!, scanned };
  });
  units.push(...tf.sort((a, b) => (a.id < b.id ? -1 : 1)));
  return units;
}

/** The file units, with the templates that may link to each other taken together into `stacks` units (after the rest). */
function linkedTemplateUnits(files: Extract<Unit, { kind: "file" }>[]): Unit[] {
  const unitOf = new Map(files.map((u) => [u.file.absolutePath, u]));
  const groups = linkedGroups(files.map((u) => ({ path: u.file.absolutePath, size: u.size })));
  const grouped = new Set(groups.flat());
  const stacks = groups.map((g): Unit => {
    const members = g.map((p) => unitOf.get(p)!).sort((a, b) => byPath(a.file, b.file));
    return { kind: "stacks", id: `stacks:${members[0]!.file.path}`, size: members.reduce((n, u) => n + u.size, 0), files: members };
  });
  return [...files.filter((u) => !grouped.has(u.file.absolutePath)), ...stacks.sort((a, b) => (a.id < b.id ? -1 : 1))];
}

function assemblySize(dir: string): number {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith(".json"))
      .reduce((n, name) => n + sizeOf(join(dir, name)), 0);
  } catch {
    return 0;
  }
}

/** Every regular file directly inside a folder (what a Terraform folder's result may depend on). */
function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => join(dir, d.name));
  } catch {
    return [];
  }
}

const limitsOf = (ctx: UnitContext) => (ctx.limits ? { limits: ctx.limits } : {});

/** Lints one unit. Plain data in, plain data out. */
export async function lintUnit(unit: Unit, ctx: UnitContext): Promise<UnitResult> {
  const declared: SuppressionSpec[] = [];
  const result: UnitResult = { findings: [], files: [], notes: [], comments: [], declared: [], dependencies: [] };
  const addComments = (file: string, text: string) => {
    const { lines, problems } = readSuppressionComments(text, file);
    if (lines.size > 0) result.comments.push([file, [...lines]]);
    for (const p of problems) result.findings.push(parseErrorFinding(file, { ...p, notice: SUPPRESSION_NOTICE_ID }));
  };
  const add = (out: { findings: Finding[]; files: string[]; notes?: string[] }) => {
    result.findings.push(...out.findings);
    result.files.push(...out.files);
    result.notes.push(...(out.notes ?? []));
  };
  if (unit.kind === "assembly") {
    const out = lintAssembly(unit.file, { cwd: ctx.cwd, rules: ctx.rules, parameters: unit.parameters, declared, ...limitsOf(ctx) });
    add(out);
    result.dependencies.push(...filesIn(unit.file.absolutePath), ...out.files.map((f) => resolve(ctx.cwd, f)));
  } else if (unit.kind === "file") {
    await lintFile(unit, ctx, declared, result, addComments);
  } else if (unit.kind === "stacks") {
    await lintLinkedFiles(unit, ctx, declared, result, addComments);
  } else {
    const out = await lintTerraform(unit.inputs, { cwd: ctx.cwd, rules: ctx.rules, terraform: ctx.terraform, declared, scanned: unit.scanned, ...limitsOf(ctx) }, addComments);
    add(out);
    if (out.moduleLinks.followed.length > 0 || out.moduleLinks.skipped.length > 0) result.links = out.moduleLinks;
    for (const file of unit.beside) await lintFile(file, ctx, declared, result, addComments);
    const dirs = new Set([...unit.inputs.map((f) => dirname(f.absolutePath)), ...out.dependencies.map((f) => dirname(f))]);
    const varFiles = ctx.terraform.sources.flatMap((v) => (v.kind === "file" ? [resolve(ctx.cwd, v.path)] : []));
    result.dependencies.push(...new Set([...[...dirs].flatMap(filesIn), ...out.dependencies, ...varFiles]));
  }
  result.declared = declared.map((spec) => ({ spec, used: wasUsed(spec) }));
  return result;
}

/**
 * Templates that may link to each other: read together; a file of the group that cannot be read,
 * or that is no CloudFormation template (a plan, Terraform JSON), is linted on its own.
 */
async function lintLinkedFiles(
  unit: Extract<Unit, { kind: "stacks" }>,
  ctx: UnitContext,
  declared: SuppressionSpec[],
  result: UnitResult,
  addComments: (file: string, text: string) => void,
): Promise<void> {
  const linked: LinkedFile[] = [];
  for (const member of unit.files) {
    const read = readText(member.file, ctx.limits);
    if (isInputText(read) && mayBeTemplate(read.text) && !isPlanText(member.file.path, read.text)) {
      linked.push({ file: member.file, text: read.text, parameters: member.parameters, ...(read.encodingNote ? { encodingNote: read.encodingNote } : {}) });
    } else await lintFile(member, ctx, declared, result, addComments);
  }
  if (linked.length === 0) return;
  const out = lintLinkedTemplates(linked, { rules: ctx.rules, declared, ...limitsOf(ctx) });
  result.findings.push(...out.findings);
  result.files.push(...out.files);
  result.notes.push(...out.notes);
  for (const { file, text } of linked) {
    result.dependencies.push(file.absolutePath);
    if (out.files.includes(file.path)) addComments(file.path, text);
  }
}

/** One file: a template, a plan, Terraform JSON under another name, or something skipped. */
async function lintFile(
  unit: Extract<Unit, { kind: "file" }>,
  ctx: UnitContext,
  declared: SuppressionSpec[],
  result: UnitResult,
  addComments: (file: string, text: string) => void,
): Promise<void> {
  const file = unit.file;
  result.dependencies.push(file.absolutePath);
  const read = readText(file, ctx.limits);
  if (!isInputText(read)) {
    result.findings.push(parseErrorFinding(file.path, read));
    result.files.push(file.path);
    return;
  }
  const { text, encodingNote } = read;
  const outcome = lintText(file, text, { cwd: ctx.cwd, rules: ctx.rules, parameters: unit.parameters, declared, ...limitsOf(ctx), ...(encodingNote ? { encodingNote } : {}) });
  if (outcome.terraformJson) {
    const tf = await lintStandaloneTerraform(file, text, { cwd: ctx.cwd, rules: ctx.rules, terraform: ctx.terraform, declared, ...limitsOf(ctx) });
    result.findings.push(...tf.findings);
    result.files.push(...tf.files);
    result.notes.push(...tf.notes);
    result.dependencies.push(...filesIn(dirname(file.absolutePath)));
    addComments(file.path, text);
    return;
  }
  if (outcome.linted) {
    result.files.push(file.path);
    addComments(file.path, text);
  }
  if (outcome.note) result.notes.push(outcome.note);
  result.findings.push(...outcome.findings);
}
