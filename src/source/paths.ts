import { realpathSync } from "node:fs";
import { isAbsolute, relative, sep } from "node:path";

/** How a file is shown to users: relative to the working directory with `/`, or absolute when outside it. */
export function displayPath(cwd: string, absolutePath: string): string {
  const rel = relative(cwd, absolutePath);
  const shown = rel === "" ? "." : leaves(rel) ? absolutePath : rel;
  return shown.split(sep).join("/");
}

/** Orders items by their shown path (code-unit order, as `sort()` orders strings). */
export function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** True when `path` is `dir` or inside it. */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || !leaves(rel);
}

/** True when a path relative to a folder leads out of it (`..`, `../x`, another drive); `..x` is a name inside. */
function leaves(rel: string): boolean {
  return rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** The path with symbolic links resolved; the path itself when it cannot be resolved (it does not exist). */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * True when `path` is inside `dir` both as written and with symbolic links resolved: a link
 * inside the folder that leads out of it is outside (the one boundary check of every file
 * and folder parapet reads on a template's behalf).
 */
export function isInsideResolved(dir: string, path: string): boolean {
  return isInside(dir, path) && isInside(realPath(dir), realPath(path));
}
