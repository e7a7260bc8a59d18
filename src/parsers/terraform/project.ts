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
import { readTerraformFile, type TerraformFile } from "./files.js";
import { defineModule, loadDefinition, ModuleInstance, type ModuleDefinition, type TerraformContext } from "./module.js";
import type { VariableOptions } from "./variable-options.js";
import { rootVariables } from "./variables.js";
import { openBudget } from "../../limits/budget.js";
import { LimitExceeded, type Limits } from "../../limits/limits.js";

export interface TerraformRoot {
  dir: string;
  /** The nodes of the root and of every module it calls. */
  nodes: GraphNode[];
  /** Every file read for this root (its own and its modules'). */
  files: TerraformFile[];
}

export interface TerraformScan {
  roots: TerraformRoot[];
  notes: string[];
}

/** Local module folders that a module definition calls (literal `./` or `../` sources). */
function localCallees(def: ModuleDefinition): string[] {
  const out: string[] = [];
  for (const call of def.modules.values()) {
    const source = call.body["source"];
    if (typeof source === "string" && (source.startsWith("./") || source.startsWith("../"))) out.push(resolve(def.dir, source));
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
): Promise<TerraformScan> {
  const closeScan = openBudget(limits, 0);
  try {
    return await scanWithinLimits(dirs, cwd, variables, standalone, limits);
  } finally {
    closeScan();
  }
}

async function scanWithinLimits(
  dirs: string[],
  cwd: string,
  variables: VariableOptions,
  standalone: readonly StandaloneTerraformJson[],
  limits: Partial<Limits> | undefined,
): Promise<TerraformScan> {
  const ctx: TerraformContext = { cwd, boundary: cwd, cache: new ExpressionCache(), notes: [], loaded: new Map() };
  const defs = new Map<string, ModuleDefinition>();
  for (const dir of dirs) defs.set(dir, await loadDefinition(dir, ctx));
  const called = new Set<string>();
  for (const def of defs.values()) for (const callee of localCallees(def)) if (callee !== def.dir) called.add(callee);
  // A standalone file is keyed by its own path, so it never stands in for its folder's module.
  for (const file of standalone) {
    const read = await readTerraformFile(file.path, file.absolutePath, file.text);
    if (read.json) await ctx.cache.prepare(read.json);
    defs.set(file.absolutePath, defineModule(dirname(file.absolutePath), [read]));
  }
  const roots: TerraformRoot[] = [];
  for (const [key, def] of defs) {
    const dir = def.dir;
    if (called.has(key)) continue;
    ctx.boundary = isInside(cwd, dir) ? cwd : dir;
    const scope = displayPath(cwd, dir);
    const vars = await rootVariables(dir, def.variables.keys(), variables, ctx.cache);
    for (const problem of vars.problems) ctx.notes.push(`${scope}/${problem}`);
    const root = new ModuleInstance(def, "", new Map([...vars.undeclared, ...vars.values]), scope, ctx, dir);
    // A root module's time budget is one file's per file of its own.
    const close = openBudget(limits, Math.max(1, def.files.length));
    try {
      await root.loadChildren();
      const nodes: GraphNode[] = [];
      for (const resource of root.resources()) nodes.push(...mapResource(resource, TERRAFORM_KINDS[resource.nativeType]));
      const files = [...new Set(root.definitions())].flatMap((d) => d.files);
      roots.push({ dir: key, nodes, files });
    } catch (e) {
      if (!(e instanceof LimitExceeded) || def.files.length === 0) throw e;
      // The module is not checked: say so at its first file, where its findings would be.
      def.files[0]!.diagnostics.push({ message: e.message, line: e.line, column: e.column });
      roots.push({ dir: key, nodes: [], files: def.files });
    } finally {
      close();
    }
  }
  return { roots, notes: ctx.notes };
}
