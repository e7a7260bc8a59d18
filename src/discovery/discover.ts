/**
 * Turns the paths on the command line into the list of files to read. Folders are walked
 * with fast-glob; files named explicitly are always read (and told about when they turn out
 * not to be templates).
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { displayPath } from "../source/paths.js";
import fg from "fast-glob";
import { UsageError } from "../errors.js";

export interface InputFile {
  /** Path relative to the working directory, `/`-separated (what users see). */
  path: string;
  absolutePath: string;
  /** Named on the command line rather than found in a folder. */
  explicit: boolean;
}

/** File names that may hold templates: CloudFormation (YAML, JSON) and Terraform (`.tf`, `.tf.json`). */
export const TEMPLATE_GLOB = "**/*.{yaml,yml,json,template,tf}";

/** Folders never walked into: dependencies, VCS data, tool caches and generated output. */
export const IGNORED_DIRS = ["**/.git/**", "**/node_modules/**", "**/.terraform/**", "**/cdk.out/**"];

export async function discover(paths: readonly string[], cwd: string): Promise<InputFile[]> {
  const found = new Map<string, InputFile>();
  for (const p of paths.length > 0 ? paths : ["."]) {
    const abs = resolve(cwd, p);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      throw new UsageError(`path not found: ${p}`);
    }
    if (stat.isDirectory()) {
      const entries = await fg(TEMPLATE_GLOB, {
        cwd: abs,
        ignore: IGNORED_DIRS,
        onlyFiles: true,
        dot: true,
        followSymbolicLinks: false,
        absolute: true,
        suppressErrors: true,
      });
      for (const entry of entries.sort()) {
        const absolutePath = resolve(entry);
        if (!found.has(absolutePath)) found.set(absolutePath, { path: displayPath(cwd, absolutePath), absolutePath, explicit: false });
      }
    } else {
      found.set(abs, { path: displayPath(cwd, abs), absolutePath: abs, explicit: true });
    }
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
