/**
 * Terraform inputs → graph nodes: finds the root modules among the folders that hold `.tf`
 * files, evaluates each root with the modules it calls, and adapts its resources.
 */
import { resolve } from "node:path";
import type { GraphNode } from "../../graph/graph.js";
import { mapResource } from "../../graph/mapping.js";
import { displayPath, isInside } from "../../source/paths.js";
import { TERRAFORM_KINDS } from "./adapters.js";
import { ExpressionCache } from "./expressions.js";
import type { TerraformFile } from "./files.js";
import { loadDefinition, ModuleInstance, type ModuleDefinition, type TerraformContext } from "./module.js";
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
 * Evaluates the Terraform folders of a scan. A folder that another scanned folder calls as a
 * local module is evaluated through that call, not as a root of its own.
 */
export async function scanTerraform(dirs: string[], cwd: string, variables: VariableOptions, limits?: Partial<Limits>): Promise<TerraformScan> {
  const closeScan = openBudget(limits, 0);
  try {
    return await scanWithinLimits(dirs, cwd, variables, limits);
  } finally {
    closeScan();
  }
}

async function scanWithinLimits(dirs: string[], cwd: string, variables: VariableOptions, limits: Partial<Limits> | undefined): Promise<TerraformScan> {
  const ctx: TerraformContext = { cwd, boundary: cwd, cache: new ExpressionCache(), notes: [], loaded: new Map() };
  const defs = new Map<string, ModuleDefinition>();
  for (const dir of dirs) defs.set(dir, await loadDefinition(dir, ctx));
  const called = new Set<string>();
  for (const def of defs.values()) for (const callee of localCallees(def)) if (callee !== def.dir) called.add(callee);
  const roots: TerraformRoot[] = [];
  for (const [dir, def] of defs) {
    if (called.has(dir)) continue;
    ctx.boundary = isInside(cwd, dir) ? cwd : dir;
    const scope = displayPath(cwd, dir);
    const vars = await rootVariables(dir, def.variables.keys(), variables, ctx.cache);
    for (const problem of vars.problems) ctx.notes.push(`${scope}/${problem}`);
    const root = new ModuleInstance(def, "", vars.values, scope, ctx, dir);
    // A root module's time budget is one file's per file of its own.
    const close = openBudget(limits, Math.max(1, def.files.length));
    try {
      await root.loadChildren();
      const nodes: GraphNode[] = [];
      for (const resource of root.resources()) nodes.push(...mapResource(resource, TERRAFORM_KINDS[resource.nativeType]));
      const files = [...new Set(root.definitions())].flatMap((d) => d.files);
      roots.push({ dir, nodes, files });
    } catch (e) {
      if (!(e instanceof LimitExceeded) || def.files.length === 0) throw e;
      // The module is not checked: say so at its first file, where its findings would be.
      def.files[0]!.diagnostics.push({ message: e.message, line: e.line, column: e.column });
      roots.push({ dir, nodes: [], files: def.files });
    } finally {
      close();
    }
  }
  return { roots, notes: ctx.notes };
}
