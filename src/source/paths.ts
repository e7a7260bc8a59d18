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
