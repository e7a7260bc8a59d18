/**
 * Where parapet's own files are: the package folder, found from this module's location so
 * that it is the same whether the code runs from the sources (tests), the compiled files in
 * dist/ or the bundle in dist/bundle/.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "parapet") return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("parapet: cannot find its package folder");
    dir = up;
  }
}

export const PACKAGE_ROOT = packageRoot();

/** A path inside the package folder. */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}
