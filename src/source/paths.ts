import { isAbsolute, relative, sep } from "node:path";

/** How a file is shown to users: relative to the working directory with `/`, or absolute when outside it. */
export function displayPath(cwd: string, absolutePath: string): string {
  const rel = relative(cwd, absolutePath);
  const shown = rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? absolutePath : rel;
  return shown.split(sep).join("/");
}

/** True when `path` is `dir` or inside it. */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}
