import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Builds dist/ (compiled code, schema validators, the bundle of built-in rules and the bundled command line) so that tests of the `parapet` binary run the current code. */
export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const run = (...args: string[]) => execFileSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  run(fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url)), "-p", "tsconfig.build.json");
  run(fileURLToPath(new URL("../scripts/compile-schemas.mjs", import.meta.url)));
  run(fileURLToPath(new URL("../scripts/bundle-rules.mjs", import.meta.url)));
  run(fileURLToPath(new URL("../scripts/bundle-cli.mjs", import.meta.url)));
}
