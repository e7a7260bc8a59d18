/**
 * Turns the paths on the command line into the list of files to read. Folders are walked
 * with fast-glob; files named explicitly are always read (and told about when they turn out
 * not to be templates).
 */
import { statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { isAssemblyDir } from "../parsers/cdk/assembly.js";
import { displayPath, isInside } from "../source/paths.js";
import { UsageError } from "../errors.js";
import { watchFolders } from "./unreadable.js";
import type FastGlob from "fast-glob";

export interface InputFile {
  /** Path relative to the working directory, `/`-separated (what users see). */
  path: string;
  absolutePath: string;
  /** Named on the command line rather than found in a folder. */
  explicit: boolean;
  /** A CDK cloud assembly folder (absolutePath is the folder), read as a whole. */
  assembly?: boolean;
  /** Why the input cannot be read (a folder the walk could not open): reported as a finding. */
  problem?: string;
}

/** File names that may hold templates: CloudFormation (YAML, JSON) and Terraform (`.tf`, `.tf.json`). */
export const TEMPLATE_GLOB = "**/*.{yaml,yml,json,template,tf}";

/** Folders never walked into: dependencies, VCS data, tool caches and generated output. */
export const IGNORED_DIRS = ["**/.git/**", "**/node_modules/**", "**/.terraform/**", "**/cdk.out/**"];

/** Folders that hold a CDK cloud assembly, below `root` (an assembly inside another is part of it). */
async function findAssemblies(root: string, fs?: FastGlob.Options["fs"]): Promise<string[]> {
  const { default: fg } = await import("fast-glob");
  const manifests = await fg("**/manifest.json", {
    ...(fs ? { fs } : {}),
    cwd: root,
    ignore: ["**/node_modules/**", "**/.git/**", "**/.terraform/**"],
    onlyFiles: true,
    dot: true,
    followSymbolicLinks: false,
    absolute: true,
    suppressErrors: true,
  });
  const dirs = manifests.map((m) => dirname(resolve(m))).filter(isAssemblyDir).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const outer: string[] = [];
  for (const d of dirs) if (!outer.some((o) => isInside(o, d))) outer.push(d);
  return outer;
}

export async function discover(paths: readonly string[], cwd: string): Promise<InputFile[]> {
  const found = new Map<string, InputFile>();
  const add = (absolutePath: string, explicit: boolean, assembly = false) => {
    // A file named explicitly stays explicit even when a folder scan also finds it.
    if (explicit || !found.has(absolutePath)) found.set(absolutePath, { path: displayPath(cwd, absolutePath), absolutePath, explicit, ...(assembly ? { assembly } : {}) });
  };
  for (const p of paths.length > 0 ? paths : ["."]) {
    const abs = resolve(cwd, p);
    let stat;
    try {
      stat = statSync(abs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new UsageError(`path not found: ${p}`);
      add(abs, true); // a symbolic link loop, a denied path: reported when it is read
      continue;
    }
    if (stat.isDirectory()) {
      if (isAssemblyDir(abs)) {
        add(abs, true, true);
        continue;
      }
      const watch = watchFolders();
      const assemblies = await findAssemblies(abs, watch.fs);
      for (const a of assemblies) add(a, false, true);
      const { default: fg } = await import("fast-glob");
      const entries = await fg(TEMPLATE_GLOB, {
        cwd: abs,
        ignore: IGNORED_DIRS,
        onlyFiles: true,
        dot: true,
        followSymbolicLinks: false,
        // Relative entries: fast-glob's absolute ones turn a `\` in a POSIX file name into `/`.
        suppressErrors: true,
        fs: watch.fs,
      });
      for (const [folder, problem] of watch.failures) {
        found.set(folder, { path: displayPath(cwd, folder), absolutePath: folder, explicit: false, problem: `${problem}; the templates in it were not checked` });
      }
      // An assembly's templates are linted once, as part of the assembly.
      for (const entry of entries.sort()) {
        const absolutePath = resolve(abs, entry);
        if (!assemblies.some((a) => isInside(a, absolutePath))) add(absolutePath, false);
      }
    } else if (basename(abs) === "manifest.json" && isAssemblyDir(dirname(abs))) {
      add(dirname(abs), true, true);
    } else {
      add(abs, true);
    }
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
