/**
 * Reading the files of one Terraform module folder: `.tf` through hcl2json, `.tf.json` as
 * JSON in the same shape, each with a locator for positions.
 */
import { readdirSync, readlinkSync, statSync } from "node:fs";
import { readFailure, readProblem, readSourceText, TERRAFORM_UTF8 } from "../../source/read.js";
import { activeLimits } from "../../limits/budget.js";
import { findTooDeep } from "../../limits/depth.js";
import { limitMessage } from "../../limits/limits.js";
import { join } from "node:path";
import { displayPath, isInsideResolved } from "../../source/paths.js";
import type { Diagnostic } from "../../source/document.js";
import { readJsonSource } from "../../source/document.js";
import { offsetToPosition, type Position, type PropertyPath, type SourceFile } from "../../source/location.js";
import { emptyMap, isRecord } from "../../values/value.js";
import { hcl2json } from "./hcl.js";
import { createLocator } from "./locator.js";

export interface TerraformFile {
  source: TerraformSource;
  /** hcl2json's JSON of the file (blocks as lists of bodies); undefined when it could not be parsed. */
  json: Record<string, unknown> | undefined;
  diagnostics: Diagnostic[];
}

/**
 * A source file whose `locate` also knows the blocks that parapet generated (dynamic blocks
 * expanded, count instances): their paths are aliases of the path they were written at.
 */
export interface TerraformSource extends SourceFile {
  alias(generated: PropertyPath, written: PropertyPath): void;
}

const key = (p: PropertyPath) => p.join("\u0000");

export function terraformSource(path: string, absolutePath: string, text: string, base: (p: PropertyPath) => Position | undefined): TerraformSource {
  const aliases = new Map<string, PropertyPath>();
  return {
    path,
    absolutePath,
    text,
    alias(generated, written) {
      if (!aliases.has(key(generated))) aliases.set(key(generated), written);
    },
    locate(p) {
      for (let n = p.length; n > 0; n--) {
        const written = aliases.get(key(p.slice(0, n)));
        if (written) return this.locate([...written, ...p.slice(n)]) ?? this.locate(written);
      }
      return base(p);
    },
  };
}

/** hcl2json reports `file:line,col-...: Summary; Detail` inside `parse config: [...]`. */
export function hclDiagnostic(message: string): Diagnostic {
  const m = /:(\d+),(\d+)(?:-[\d,]+)?: ([^;\]]+)(?:; ([^\]]*))?/.exec(message);
  if (!m) return { message: `invalid HCL: ${message.replace(/^parse config: /, "")}`, line: 1, column: 1 };
  const detail = m[4] ? `: ${m[4].trim()}` : "";
  return { message: `invalid HCL: ${m[3]!.trim()}${detail}`, line: Number(m[1]), column: Number(m[2]) };
}

/** Terraform JSON syntax writes a block as an object or a list of objects; hcl2json always as a list. */
function normaliseJsonSyntax(json: unknown): Record<string, unknown> {
  const out = emptyMap<unknown>();
  if (!isRecord(json)) return out;
  const asList = (v: unknown) => (Array.isArray(v) ? v : [v]);
  for (const [blockType, content] of Object.entries(json as Record<string, unknown>)) {
    if (!isRecord(content)) {
      out[blockType] = content;
      continue;
    }
    const c = content as Record<string, unknown>;
    if (blockType === "resource" || blockType === "data") {
      const types = emptyMap<unknown>();
      for (const [type, byName] of Object.entries(c)) {
        const names = emptyMap<unknown>();
        for (const [name, body] of Object.entries((byName ?? {}) as Record<string, unknown>)) names[name] = asList(body);
        types[type] = names;
      }
      out[blockType] = types;
    } else if (blockType === "locals" || blockType === "terraform" || blockType === "provider") {
      out[blockType] = asList(content);
    } else {
      const named = emptyMap<unknown>();
      for (const [name, body] of Object.entries(c)) named[name] = asList(body);
      out[blockType] = named;
    }
  }
  return out;
}

/**
 * The path of a value as written in a Terraform JSON file. The blocks parapet reads are lists
 * of bodies (`resource.T.N[0]`), while JSON syntax may write a single block as an object: an
 * index 0 that meets an object is dropped.
 */
function writtenPath(data: unknown, path: PropertyPath): PropertyPath {
  const out: (string | number)[] = [];
  let cur: unknown = data;
  for (const step of path) {
    if (typeof step === "number" && !Array.isArray(cur)) {
      if (step === 0) continue;
      return out;
    }
    out.push(step);
    cur = isRecord(cur) || Array.isArray(cur) ? (cur as Record<string | number, unknown>)[step] : undefined;
  }
  return out;
}

export async function readTerraformFile(path: string, absolutePath: string, text: string): Promise<TerraformFile> {
  if (absolutePath.endsWith(".json")) {
    const parsed = readJsonSource(path, absolutePath, text);
    const source = terraformSource(path, absolutePath, parsed.file.text, (p) => parsed.file.locate(writtenPath(parsed.data, p)));
    if (parsed.data === undefined) return { source, json: undefined, diagnostics: parsed.diagnostics };
    return { source, json: normaliseJsonSyntax(parsed.data), diagnostics: [] };
  }
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const limits = activeLimits();
  const deep = findTooDeep(clean, "hcl", limits.maxDepth);
  if (deep !== undefined) {
    const source = terraformSource(path, absolutePath, clean, () => undefined);
    const message = limitMessage("maxDepth", limits, `the configuration is nested more than ${limits.maxDepth} levels deep`);
    return { source, json: undefined, diagnostics: [{ message, ...offsetToPosition(clean, deep) }] };
  }
  const locator = createLocator(clean);
  const source = terraformSource(path, absolutePath, clean, (p) => locator.locate(p));
  try {
    const { parse } = await hcl2json();
    const json = (await parse(absolutePath, clean)) as Record<string, unknown>;
    return { source, json, diagnostics: [] };
  } catch (e) {
    return { source, json: undefined, diagnostics: [hclDiagnostic(e instanceof Error ? e.message : String(e))] };
  }
}

export function isTerraformFile(name: string): boolean {
  return name.endsWith(".tf") || name.endsWith(".tf.json");
}

/**
 * A symbolic link with a Terraform file's name in a module folder. Terraform reads the file it
 * leads to as part of the module; parapet does when that file is inside the scan (links
 * resolved), as for `file()`. `why` says why it was not followed, as for links a walk meets.
 */
export interface ModuleLink {
  /** The link, as users see its path. */
  path: string;
  absolutePath: string;
  /** What the link points at, as written in it. */
  target: string;
  /** Why it was not read; undefined when it was. */
  why?: string;
}

export interface ModuleFolder {
  files: TerraformFile[];
  links: ModuleLink[];
}

const LINK_LOOP = "a loop of symbolic links (ELOOP)";

/** Why a link with a Terraform file's name is not read, or undefined when it leads to a file inside `boundary`. */
function linkNotFollowed(link: string, boundary: string): string | undefined {
  let stat;
  try {
    stat = statSync(link);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ELOOP") return LINK_LOOP;
    if (code === "ENOENT" || code === "ENOTDIR") return "its target does not exist";
    return readFailure(e);
  }
  if (stat.isDirectory()) return "a folder, not a file of the module";
  if (isInsideResolved(boundary, link)) return undefined;
  return "a file outside the scanned folder (links are followed only inside it); the module is checked without it";
}

/**
 * Reads every `.tf` and `.tf.json` file of a folder (not its subfolders), in name order. A
 * symbolic link with such a name is read when it leads to a file inside `boundary` (links
 * resolved), as Terraform reads it; one that leads elsewhere, to a folder, or nowhere is listed
 * in `links` with why it was not read, and a loop of links is also a read error of the module.
 */
export async function readModuleFolder(dir: string, cwd: string, boundary: string): Promise<ModuleFolder> {
  let entries: { name: string; link: boolean }[];
  try {
    entries = readdirSync(dir, { withFileTypes: true })
      .filter((d) => (d.isFile() || d.isSymbolicLink()) && isTerraformFile(d.name))
      .map((d) => ({ name: d.name, link: d.isSymbolicLink() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return { files: [], links: [] };
  }
  const files: TerraformFile[] = [];
  const links: ModuleLink[] = [];
  for (const { name, link } of entries) {
    const absolutePath = join(dir, name);
    const shown = displayPath(cwd, absolutePath);
    if (link) {
      let target = "";
      try {
        target = readlinkSync(absolutePath);
      } catch {
        // Gone since the folder was listed: told as a link whose target is gone.
      }
      const why = linkNotFollowed(absolutePath, boundary);
      links.push({ path: shown, absolutePath, target, ...(why !== undefined ? { why } : {}) });
      // Nothing can read a loop: a read error of the module, as a looping link a walk meets.
      if (why !== undefined && why !== LINK_LOOP) continue;
    }
    let text: string;
    try {
      text = readSourceText(absolutePath, TERRAFORM_UTF8);
    } catch (e) {
      const source = terraformSource(shown, absolutePath, "", () => undefined);
      files.push({ source, json: undefined, diagnostics: [readProblem(e)] });
      continue;
    }
    files.push(await readTerraformFile(shown, absolutePath, text));
  }
  return { files, links };
}
