/**
 * Terraform inputs → graph nodes: finds the root modules among the folders that hold `.tf`
 * files, evaluates each root with the modules it calls, and adapts its resources.
 */
import { dirname, resolve } from "node:path";
import type { GraphNode } from "../../graph/graph.js";
import { mapResource } from "../../graph/mapping.js";
import { displayPath, isInside } from "../../source/paths.js";
import { TERRAFORM_KINDS } from "./adapters.js";
import { ExpressionCache } from "./expressions.js";
import { readTerraformFile, type ModuleLink, type TerraformFile } from "./files.js";
import { ModuleInstance } from "./module.js";
import { defineModule, loadDefinition, type ModuleDefinition, type TerraformContext } from "./module-definition.js";
import type { VariableOptions } from "../../model/variable-options.js";
import { rootVariables } from "./variables.js";
import { reportCycles } from "./cycles.js";
import { openBudget } from "../../limits/budget.js";
import { LimitExceeded, type Limits } from "../../limits/limits.js";

/** Where a root module writes a module call (`module "vpc" {`). */
export interface ModuleCallSite {
  file: string;
  line: number;
  column: number;
}

export interface TerraformRoot {
  /** The root's key: its folder, or the file of a standalone Terraform JSON configuration. */
  dir: string;
  /** The root's folder as users see it (relative to the working directory; `.` for it). */
  scope: string;
  /** The root's own module calls by name. */
  calls: Map<string, ModuleCallSite>;
  /** The nodes of the root and of every module it calls. */
  nodes: GraphNode[];
  /** Every file read for this root (its own and its modules'). */
  files: TerraformFile[];
}

export interface TerraformScan {
  roots: TerraformRoot[];
  notes: string[];
  /** The symbolic links with Terraform file names in the module folders read: followed or not, and why. */
  links: ModuleLink[];
}

/** Local module folders that a module definition calls (literal `./` or `../` sources), with the calls' names. */
function localCallees(def: ModuleDefinition): { name: string; dir: string }[] {
  const out: { name: string; dir: string }[] = [];
  for (const [name, call] of def.modules) {
    const source = call.body["source"];
    if (typeof source === "string" && (source.startsWith("./") || source.startsWith("../"))) out.push({ name, dir: resolve(def.dir, source) });
  }
  return out;
}

/**
 * A Terraform JSON configuration in a file that Terraform would not read (named `.json`, not
 * `.tf.json`), read as a root module of its own. Its text is already in memory.
 */
export interface StandaloneTerraformJson {
  path: string;
  absolutePath: string;
  text: string;
}

/**
 * Evaluates the Terraform folders of a scan. A folder that another scanned folder calls as a
 * local module is evaluated through that call, not as a root of its own.
 */
export async function scanTerraform(
  dirs: string[],
  cwd: string,
  variables: VariableOptions,
  standalone: readonly StandaloneTerraformJson[] = [],
  limits?: Partial<Limits>,
  scanned: readonly string[] = [],
): Promise<TerraformScan> {
  const closeScan = openBudget(limits, 0);
  try {
    return await scanWithinLimits(dirs, { cwd, scanned }, variables, standalone, limits);
  } finally {
    closeScan();
  }
}

/** The working directory and the folders named to scan (a named file stands for its folder), absolute. */
interface ScanPlace {
  cwd: string;
  scanned: readonly string[];
}

async function scanWithinLimits(
  dirs: string[],
  { cwd, scanned }: ScanPlace,
  variables: VariableOptions,
  standalone: readonly StandaloneTerraformJson[],
  limits: Partial<Limits> | undefined,
): Promise<TerraformScan> {
  const ctx: TerraformContext = { cwd, boundary: cwd, cache: new ExpressionCache(), notes: [], loaded: new Map() };
  const defs = new Map<string, ModuleDefinition>();
  for (const dir of dirs) {
    // A root's linked files are read when they lead inside the folder its module sources may come from.
    ctx.boundary = readableFolder(dir, { cwd, scanned });
    defs.set(dir, await loadDefinition(dir, ctx));
  }
  const callers = callersOf(defs);
  // A standalone file is keyed by its own path, so it never stands in for its folder's module.
  for (const file of standalone) {
    const read = await readTerraformFile(file.path, file.absolutePath, file.text);
    if (read.json) await ctx.cache.prepare(read.json);
    defs.set(file.absolutePath, defineModule(dirname(file.absolutePath), [read]));
  }
  const roots: TerraformRoot[] = [];
  const reached = new Set<string>();
  const evaluate = async (key: string, def: ModuleDefinition) => {
    const root = await evaluateRoot(key, def, { cwd, scanned, variables, limits, ctx });
    for (const d of root.reached) reached.add(d);
    roots.push(root);
  };
  for (const [key, def] of defs) if (!callers.has(key)) await evaluate(key, def);
  for (let next = unreachedModules(callers, reached); next.length > 0; next = unreachedModules(callers, reached)) {
    for (const key of next) {
      ctx.notes.push(notEvaluatedThroughCalls(cwd, key, callers.get(key)!));
      await evaluate(key, defs.get(key)!);
    }
  }
  return { roots, notes: ctx.notes, links: [...(ctx.links?.values() ?? [])] };
}

/** For each scanned folder that another scanned folder calls as a local module: its callers and the names they call it by. */
function callersOf(defs: Map<string, ModuleDefinition>): Map<string, { dir: string; name: string }[]> {
  const out = new Map<string, { dir: string; name: string }[]>();
  for (const def of defs.values()) {
    for (const { name, dir } of localCallees(def)) {
      if (dir === def.dir || !defs.has(dir)) continue;
      out.set(dir, [...(out.get(dir) ?? []), { dir: def.dir, name }]);
    }
  }
  return out;
}

/**
 * Called folders that no evaluated root created an instance of (every call has count 0 or an
 * empty for_each, or its caller was not evaluated either). Only the topmost are returned: one
 * that another unreached folder calls is reached through it once that one is evaluated. In a
 * cycle of such folders, the first by path.
 */
function unreachedModules(callers: Map<string, { dir: string }[]>, reached: Set<string>): string[] {
  const unreached = [...callers.keys()].filter((dir) => !reached.has(dir)).sort();
  const topmost = unreached.filter((dir) => !callers.get(dir)!.some((c) => c.dir !== dir && unreached.includes(c.dir)));
  return topmost.length > 0 ? topmost : unreached.slice(0, 1);
}

function notEvaluatedThroughCalls(cwd: string, dir: string, callers: { dir: string; name: string }[]): string {
  const calls = callers.map((c) => `module.${c.name} in ${displayPath(cwd, c.dir)}`).join(", ");
  return `${displayPath(cwd, dir)}: no call of this module creates an instance (${calls}: count 0, an empty for_each, or a caller that is not created either); checked as a root module of its own, with its variables' defaults`;
}

interface RootOptions extends ScanPlace {
  variables: VariableOptions;
  limits: Partial<Limits> | undefined;
  ctx: TerraformContext;
}

/** Evaluates one root module with the modules it calls; `reached` lists the folders it created instances of. */
async function evaluateRoot(key: string, def: ModuleDefinition, { cwd, scanned, variables, limits, ctx }: RootOptions): Promise<TerraformRoot & { reached: string[] }> {
  const dir = def.dir;
  ctx.boundary = readableFolder(dir, { cwd, scanned });
  const scope = displayPath(cwd, dir);
  const calls = callSites(def);
  const vars = await rootVariables(dir, def.variables.keys(), variables, ctx.cache, ctx.boundary);
  for (const problem of vars.problems) ctx.notes.push(`${scope}/${problem}`);
  const root = new ModuleInstance(def, "", new Map([...vars.undeclared, ...vars.values]), scope, ctx, dir);
  // A root module's time budget is one file's per file of its own.
  const close = openBudget(limits, Math.max(1, def.files.length));
  try {
    await root.loadChildren();
    reportCycles(root, ctx.cache);
    const nodes: GraphNode[] = [];
    for (const resource of root.resources()) nodes.push(...mapResource(resource, TERRAFORM_KINDS[resource.nativeType]));
    const definitions = [...new Set(root.definitions())];
    return { dir: key, scope, calls, nodes, files: definitions.flatMap((d) => d.files), reached: definitions.map((d) => d.dir) };
  } catch (e) {
    if (!(e instanceof LimitExceeded) || def.files.length === 0) throw e;
    // The module is not checked: say so at its first file, where its findings would be.
    def.files[0]!.diagnostics.push({ message: e.message, line: e.line, column: e.column });
    return { dir: key, scope, calls, nodes: [], files: def.files, reached: [dir] };
  } finally {
    close();
  }
}

/**
 * The folder a root may read module sources and files from: the widest of the named paths
 * and the working directory that hold the root (they all hold it, so one holds the others);
 * the root's own folder when none does. Where parapet runs from only counts when it holds
 * the root, so naming a folder by its absolute path reads the same as scanning it from inside.
 */
function readableFolder(dir: string, { cwd, scanned }: ScanPlace): string {
  return [cwd, ...scanned].filter((p) => isInside(p, dir)).reduce((widest, p) => (isInside(p, widest) ? p : widest), dir);
}

/** Where the root module writes each of its module calls. */
function callSites(def: ModuleDefinition): Map<string, ModuleCallSite> {
  const out = new Map<string, ModuleCallSite>();
  for (const [name, call] of def.modules) {
    const at = call.file.source.locate(call.path);
    if (at) out.set(name, { file: call.file.source.path, line: at.line, column: at.column });
  }
  return out;
}
