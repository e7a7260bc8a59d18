// What the command a user runs (bin/parapet.js, the bundle) loads at start-up: Node's own
// modules that only the HCL reader needs stay unloaded in a run without Terraform files.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "parapet-startup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Preloaded into the process: at exit, prints the names of Node's built-in modules it loaded. */
const preload = join(scratch, "builtins.cjs");
writeFileSync(
  preload,
  `process.on("exit", () => process.stderr.write("\\nBUILTINS " + JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13)))));`,
);

function builtinsLoaded(...args: string[]): { status: number | null; builtins: string[]; stdout: string } {
  const res = spawnSync(process.execPath, ["-r", preload, join(repo, "bin/parapet.js"), ...args], { cwd: repo, encoding: "utf8" });
  const line = /BUILTINS (\[.*\])/.exec(res.stderr);
  expect(line, res.stderr).not.toBeNull();
  return { status: res.status, builtins: JSON.parse(line![1]!) as string[], stdout: res.stdout };
}

describe("built-in modules loaded at start-up", () => {
  it("a CloudFormation run loads neither node:v8 (the HCL reader's compiler flag) nor node:zlib (its unzipping)", () => {
    const run = builtinsLoaded("examples/cloudformation/network.yaml");
    expect(run.status).toBe(1); // the example breaks rules: the run did lint
    expect(run.stdout).toContain("network.yaml");
    expect(run.builtins).not.toContain("v8");
    expect(run.builtins).not.toContain("zlib");
  });

  it("a Terraform run loads both, and reads the files", () => {
    const run = builtinsLoaded("examples/terraform/main.tf");
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("main.tf");
    expect(run.builtins).toContain("v8");
    expect(run.builtins).toContain("zlib");
  });
});
