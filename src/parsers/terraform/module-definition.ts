/**
 * A Terraform module as its files declare it: the blocks of one folder, merged across its
 * files, where its module calls lead, and in which order they are evaluated.
 */
import { type ConfigurationFile, ExpressionCache } from "./expressions.js";
import { type ModuleLink, type TerraformFile, type TerraformSource, readModuleFolder } from "./files.js";
import { type PropertyPath } from "../../source/location.js";
import { Unknown, isRecord } from "../../values/value.js";
import { join, resolve } from "node:path";
import { readSourceText } from "../../source/read.js";
import { statSync } from "node:fs";

export interface BlockRef {
  file: TerraformFile;
  body: Record<string, unknown>;
  /** Path of the body in its file's hcl2json JSON. */
  path: PropertyPath;
}

/** The blocks of one module folder, merged across its files. */
export interface ModuleDefinition {
  dir: string;
  files: TerraformFile[];
  variables: Map<string, BlockRef>;
  locals: Map<string, { file: TerraformFile; value: unknown }>;
  resources: { type: string; name: string; block: BlockRef }[];
  /** Data blocks by `TYPE.NAME`. */
  data: Map<string, BlockRef>;
  modules: Map<string, BlockRef>;
  outputs: Map<string, BlockRef>;
}

function blocks(json: Record<string, unknown>, type: string): [string, Record<string, unknown>, number][] {
  const section = json[type];
  if (!isRecord(section)) return [];
  const out: [string, Record<string, unknown>, number][] = [];
  for (const [name, bodies] of Object.entries(section as Record<string, unknown>)) {
    (Array.isArray(bodies) ? bodies : [bodies]).forEach((body, i) => {
      if (isRecord(body)) out.push([name, body as Record<string, unknown>, i]);
    });
  }
  return out;
}

/** Terraform rejects a module whose files declare the same name twice; the first one is kept. */
function declare(kind: string, map: Map<string, BlockRef>, name: string, block: BlockRef): void {
  const first = map.get(name);
  if (!first) {
    map.set(name, block);
    return;
  }
  const at = block.file.source.locate(block.path);
  block.file.diagnostics.push({
    message: `invalid Terraform: ${kind} "${name}" is declared twice (first in ${first.file.source.path})`,
    line: at?.line ?? 1,
    column: at?.column ?? 1,
  });
}

export function defineModule(dir: string, files: TerraformFile[]): ModuleDefinition {
  const def: ModuleDefinition = { dir, files, variables: new Map(), locals: new Map(), resources: [], data: new Map(), modules: new Map(), outputs: new Map() };
  const resourceBlocks = new Map<string, BlockRef>();
  for (const file of files) {
    const json = file.json;
    if (!json) continue;
    for (const [name, body, i] of blocks(json, "variable")) declare("variable", def.variables, name, { file, body, path: ["variable", name, i] });
    for (const [name, body, i] of blocks(json, "module")) declare("module", def.modules, name, { file, body, path: ["module", name, i] });
    for (const [name, body, i] of blocks(json, "output")) declare("output", def.outputs, name, { file, body, path: ["output", name, i] });
    const locals = json["locals"];
    for (const body of Array.isArray(locals) ? locals : []) {
      if (isRecord(body)) for (const [k, v] of Object.entries(body as Record<string, unknown>)) def.locals.set(k, { file, value: v });
    }
    const data = json["data"];
    if (isRecord(data)) {
      for (const type of Object.keys(data as object)) {
        for (const [name, body, i] of blocks(data as Record<string, unknown>, type)) declare("data", def.data, `${type}.${name}`, { file, body, path: ["data", type, name, i] });
      }
    }
    const resources = json["resource"];
    if (isRecord(resources)) {
      for (const type of Object.keys(resources as object)) {
        for (const [name, body, i] of blocks(resources as Record<string, unknown>, type)) {
          const block = { file, body, path: ["resource", type, name, i] };
          const before = resourceBlocks.size;
          declare("resource", resourceBlocks, `${type}.${name}`, block);
          if (resourceBlocks.size > before) def.resources.push({ type, name, block });
        }
      }
    }
  }
  return def;
}

/** Everything a run shares: where it may read, the expression cache, notes for the user. */
export interface TerraformContext {
  cwd: string;
  /** Module sources outside this folder are not read. */
  boundary: string;
  cache: ExpressionCache;
  notes: string[];
  /** Module folders already read, by absolute path. */
  loaded: Map<string, ModuleDefinition>;
  /** Files read by file() and templatefile(), by absolute path. */
  files?: Map<string, ConfigurationFile | Unknown>;
  /** Symbolic links with Terraform file names in the module folders read, by absolute path. */
  links?: Map<string, ModuleLink>;
  /** The modules `terraform init` installed for each root read, by the root's absolute path. */
  installed?: Map<string, Map<string, string>>;
}

export async function loadDefinition(dir: string, ctx: TerraformContext): Promise<ModuleDefinition> {
  const known = ctx.loaded.get(dir);
  if (known) return known;
  const folder = await readModuleFolder(dir, ctx.cwd, ctx.boundary);
  for (const link of folder.links) (ctx.links ??= new Map()).set(link.absolutePath, link);
  const def = defineModule(dir, folder.files);
  ctx.loaded.set(dir, def);
  for (const file of def.files) if (file.json) await ctx.cache.prepare(file.json);
  return def;
}

/** True when `path` is an existing folder (a module source without ./ that names one is a mistake). */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `.terraform/modules/modules.json`: where `terraform init` put the modules of a root, read once a run. */
export function installedModules(rootDir: string, ctx: TerraformContext): Map<string, string> {
  const known = ctx.installed?.get(rootDir);
  if (known) return known;
  const out = new Map<string, string>();
  (ctx.installed ??= new Map()).set(rootDir, out);
  try {
    const manifest = JSON.parse(readSourceText(join(rootDir, ".terraform", "modules", "modules.json"))) as {
      Modules?: { Key?: string; Dir?: string }[];
    };
    for (const m of manifest.Modules ?? []) if (m.Key && m.Dir !== undefined) out.set(m.Key, resolve(rootDir, m.Dir));
  } catch {
    // No manifest: the root has not been initialised.
  }
  return out;
}

/**
 * A model's resources are reported at the `module` block that calls it: the model's own
 * files belong to parapet, not to the user.
 */
export function atCallSite(def: ModuleDefinition, call: BlockRef): ModuleDefinition {
  const at = call.file.source;
  const files = def.files.map((f) => ({
    ...f,
    source: { ...at, alias() {}, locate: () => at.locate(call.path) } satisfies TerraformSource,
  }));
  const fileFor = (f: TerraformFile) => files[def.files.indexOf(f)] ?? f;
  return {
    ...def,
    files,
    resources: def.resources.map((r) => ({ ...r, block: { ...r.block, file: fileFor(r.block.file) } })),
  };
}

/** `module.NAME` in a module call's arguments. */
const MODULE_REFERENCE = /\bmodule\.([A-Za-z_][A-Za-z0-9_-]*)/g;

/**
 * The module calls of a module, each after the calls its arguments refer to
 * (`cidr = module.vpc.vpc_cidr_block` after `module "vpc"`), so that a call's inputs see the
 * outputs of the calls it uses, whatever the order of the blocks in the files. Terraform
 * rejects a cycle; in one, the calls keep their order.
 */
export function callsInDependencyOrder(calls: Map<string, BlockRef>): [string, BlockRef][] {
  const ordered: [string, BlockRef][] = [];
  const visited = new Set<string>();
  const visit = (name: string, call: BlockRef): void => {
    if (visited.has(name)) return;
    visited.add(name);
    for (const [, used] of JSON.stringify(call.body).matchAll(MODULE_REFERENCE)) {
      const dependency = calls.get(used!);
      if (dependency) visit(used!, dependency);
    }
    ordered.push([name, call]);
  };
  for (const [name, call] of calls) visit(name, call);
  return ordered;
}
