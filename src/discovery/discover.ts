/**
 * Turns the paths on the command line into the list of files to read. Folders are walked
 * with fast-glob; files named explicitly are always read (and told about when they turn out
 * not to be templates).
 */
import { lstatSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { readFailure } from "../source/read.js";
import { isAssemblyDir } from "../parsers/cdk/assembly.js";
import { isTerraformFile } from "../parsers/terraform/files.js";
import { byPath, displayPath, isInside } from "../source/paths.js";
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
const TEMPLATE_NAME = /\.(?:yaml|yml|json|template|tf)$/;

/** Folders never walked into: dependencies, VCS data, tool caches and generated output. */
export const IGNORED_DIRS = ["**/.git/**", "**/node_modules/**", "**/.terraform/**", "**/cdk.out/**"];
const IGNORED_NAMES = new Set([".git", "node_modules", ".terraform", "cdk.out"]);

/** A symbolic link a walk met and did not follow (walks never follow links). */
export interface SkippedLink {
  /** The link's path, relative to the working directory, `/`-separated. */
  path: string;
  /** What the link points at, as written in it. */
  target: string;
  /** Why it is not read: what it leads to. */
  why: string;
}

export interface Discovered {
  files: InputFile[];
  /** Links met in the walks that may stand for templates: to folders, to template files, broken or looping ones. */
  links: SkippedLink[];
}

const LOOP = "a loop of symbolic links (ELOOP)";

/**
 * What a link met in a walk leads to, or undefined for a link to a file that is no template
 * (nothing is left unchecked). A looping link with a template's name is also a finding.
 */
function skippedLink(cwd: string, link: string): (SkippedLink & { loop: boolean; file?: boolean }) | undefined {
  const name = basename(link);
  if (IGNORED_NAMES.has(name)) return undefined;
  let target = "";
  try {
    target = readlinkSync(link);
  } catch {
    // Gone since the walk: told as a link whose target is gone.
  }
  const shown = { path: displayPath(cwd, link), target };
  let stat;
  try {
    stat = statSync(link);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ELOOP") return { ...shown, why: LOOP, loop: true };
    if (code !== "ENOENT" && code !== "ENOTDIR") return { ...shown, why: readFailure(e), loop: false };
    // A broken link to something with another file's name (README.md) held no template.
    const couldHold = TEMPLATE_NAME.test(name) || !/\.[^./\\]+$/.test(target);
    return couldHold ? { ...shown, why: "its target does not exist", loop: false } : undefined;
  }
  if (stat.isDirectory()) {
    let holdsLink = false;
    try {
      holdsLink = isInside(realpathSync(link), realpathSync(dirname(link)));
    } catch {
      // Changed during the scan: an ordinary folder link.
    }
    return { ...shown, why: holdsLink ? "a loop (it leads to a folder that holds it, which is walked already)" : "a folder (walks do not follow symbolic links; name it to scan it)", loop: false };
  }
  if (!TEMPLATE_NAME.test(name)) return undefined;
  return { ...shown, why: "a file (walks do not follow symbolic links; name it to lint it)", loop: false, file: stat.isFile() };
}

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
  return (await discoverInputs(paths, cwd)).files;
}

/** The files to read and the links the walks did not follow. */
export async function discoverInputs(paths: readonly string[], cwd: string): Promise<Discovered> {
  const found = new Map<string, InputFile>();
  const links = new Map<string, SkippedLink>();
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
      if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new UsageError(`path not found: ${p}${brokenLink(abs)}`);
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
      for (const link of watch.links) {
        const skipped = skippedLink(cwd, link);
        if (!skipped || links.has(link)) continue;
        const { loop, file, ...shown } = skipped;
        links.set(link, shown);
        // A linked .tf file is part of its folder's module, as Terraform reads it: the folder is
        // checked, and reading the module decides whether the link is followed (see files.ts).
        if (file && isTerraformFile(link) && !assemblies.some((a) => isInside(a, link))) add(link, false);
        // A looping link with a template's name cannot be read by anything: a finding, as when it is named.
        if (loop && TEMPLATE_NAME.test(link) && !found.has(link)) found.set(link, { path: shown.path, absolutePath: link, explicit: false, problem: `cannot read file: ${LOOP}` });
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
  return { files: [...found.values()].sort(byPath), links: [...links.values()].sort(byPath) };
}

/** ` (a symbolic link to x, which does not exist)` for a named path that is a broken link. */
function brokenLink(abs: string): string {
  try {
    if (lstatSync(abs).isSymbolicLink()) return ` (a symbolic link to ${readlinkSync(abs)}, which does not exist)`;
  } catch {
    // Not there at all.
  }
  return "";
}
