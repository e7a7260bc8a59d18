// The committed CDK cloud assemblies under test/fixtures/cdk (written by scripts/synth-cdk-fixtures.mjs).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url)).replace(/[\\/]$/, "");
const script = join(root, "scripts", "synth-cdk-fixtures.mjs");
const fixtures = join(root, "test", "fixtures", "cdk");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe("CDK fixtures", () => {
  // Re-synthesizes the ec2-basics app with the installed aws-cdk-lib and compares the result with the
  // committed assembly: it fails when an app, the synth script or the aws-cdk-lib version changed and
  // `npm run fixtures:cdk` was not run afterwards, i.e. it checks that the committed assemblies are current.
  it(
    "the committed ec2-basics assembly is what the app synthesizes now",
    () => {
      const res = spawnSync(process.execPath, [script, "--check"], { cwd: root, encoding: "utf8" });
      expect(res.stderr + res.stdout).toContain("is current");
      expect(res.status).toBe(0);
    },
    120_000,
  );

  it("no committed file names a path of the machine that synthesized it", () => {
    const files = filesUnder(fixtures);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files
      .filter((file) => {
        const text = readFileSync(file, "utf8");
        return text.includes(root) || text.includes("/root/") || text.includes("/home/");
      })
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });
});
