// Splitting the work: worker threads (--jobs), the cache (--cache) and shards (--shard) give
// the findings of a plain single-threaded run, and the cache is invalidated by what it must be.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";
import { discover } from "../../src/discovery/discover.js";
import { lint, type LintOptions } from "../../src/pipeline/lint.js";
import { autoJobs, runUnits } from "../../src/pipeline/pool.js";
import { assignShards, parseShard } from "../../src/pipeline/shard.js";
import { planUnits, type Unit } from "../../src/pipeline/units.js";
import { builtinRules } from "../../src/rules/load.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));

/** A tree with every kind of input: CloudFormation, Terraform with a local module, a plan, a CDK assembly. */
function mixedTree(): string {
  const root = mkdtempSync(join(tmpdir(), "parapet-pool-"));
  cpSync(join(repo, "examples"), join(root, "examples"), { recursive: true });
  cpSync(join(repo, "test/fixtures/cli"), join(root, "cli"), { recursive: true });
  cpSync(join(repo, "test/fixtures/terraform/plan"), join(root, "plan"), { recursive: true });
  return root;
}

const plain = (out: Awaited<ReturnType<typeof lint>>) => JSON.parse(JSON.stringify(out)) as unknown;

describe("--jobs", () => {
  it("worker threads give exactly the result of one thread", async () => {
    const cwd = mixedTree();
    const options: LintOptions = { paths: ["."], cwd, rules: builtinRules() };
    const one = await lint({ ...options, jobs: 1 });
    const three = await lint({ ...options, jobs: 3 });
    expect(one.findings.length).toBeGreaterThan(20);
    expect(new Set(one.findings.flatMap((f) => (f.format ? [f.format] : []))).size).toBe(3);
    expect(plain(three)).toEqual(plain(one));
  });

  it("suppressions used in a worker count as used for --report-unused-suppressions", async () => {
    const cwd = mixedTree();
    const args = ["--report-unused-suppressions", "-f", "json", "examples"];
    const one = await run([...args, "-j", "1"], cwd);
    const two = await run([...args, "-j", "2"], cwd);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stdout).toBe(one.stdout);
    expect(JSON.parse(two.stdout).findings.some((f: { suppressions?: unknown[] }) => f.suppressions?.length)).toBe(true);
  });

  it("a usage error met in a worker is the same usage error as in one thread", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "parapet-pool-usage-"));
    for (const dir of ["a", "b", "c"]) {
      cpSync(join(repo, "examples/terraform/main.tf"), join(cwd, dir, "main.tf"));
    }
    // The file exists (its existence is checked before any unit runs) but is no HCL: the
    // error is met when a Terraform root reads it, in whichever thread lints that root.
    writeFileSync(join(cwd, "broken.tfvars"), "region = \n");
    const one = await run(["--var-file", "broken.tfvars", "-j", "1", "."], cwd);
    const three = await run(["--var-file", "broken.tfvars", "-j", "3", "."], cwd);
    expect(one.code).toBe(2);
    expect(one.stdout).toBe("");
    expect(one.stderr).toMatch(/^parapet: --var-file broken\.tfvars: .+\n$/);
    expect(three).toEqual(one);
  });

  it("the main thread lints too: two units on two threads go one to each", async () => {
    const cwd = mixedTree();
    // A stand-in worker that answers every unit with a note saying who linted it.
    const script = join(cwd, "marks.mjs");
    writeFileSync(
      script,
      'import { parentPort } from "node:worker_threads";\n' +
        'parentPort.on("message", ({ index }) => parentPort.postMessage({ index, result: { findings: [], files: [], notes: ["worker"], comments: [], declared: [], dependencies: [] } }));\n',
    );
    const units = planUnits(await discover(["examples/cloudformation/app.yaml", "examples/cloudformation/audit.json"], cwd), () => ({}));
    expect(units).toHaveLength(2);
    const ctx = { cwd, rules: builtinRules(), terraform: { sources: [], env: {} } };
    const results = await runUnits(units, ctx, { jobs: 2, workerScript: script });
    expect(results.map((r) => r.notes.includes("worker"))).toEqual([true, false]);
    expect(results[1]!.findings.length).toBeGreaterThan(0);
  });

  it("a worker that stops before its work is done ends the run with an error, not a wait", async () => {
    const cwd = mixedTree();
    const script = join(cwd, "dies.mjs");
    writeFileSync(script, "process.exit(3);\n");
    const units = planUnits(await discover(["examples/cloudformation"], cwd), () => ({}));
    expect(units.length).toBeGreaterThan(1);
    const ctx = { cwd, rules: builtinRules(), terraform: { sources: [], env: {} } };
    await expect(runUnits(units, ctx, { jobs: 2, workerScript: script })).rejects.toThrow(/lint worker stopped \(exit code 3\)/);
  });

  it("is chosen from the amount of work: one thread for a small run, the cores for a large one", () => {
    const unit = (i: number, size: number, path = `t${i}.yaml`): Unit => ({
      kind: "file",
      id: `file:${path}`,
      size,
      file: { path, absolutePath: `/x/${path}`, explicit: false },
      parameters: {},
    });
    expect(autoJobs([unit(0, 5_000)], 2)).toBe(1);
    expect(autoJobs([unit(0, 5_000), unit(1, 5_000)], 2)).toBe(1);
    const many = Array.from({ length: 1000 }, (_, i) => unit(i, 3_000));
    expect(autoJobs(many, 2)).toBe(2);
    expect(autoJobs(many, 1)).toBe(1);
    expect(autoJobs(many, 8)).toBe(8);
    // Each worker compiles parapet's hot code again: below twice that warm-up, one thread is faster.
    const jsonOf = (n: number) => Array.from({ length: n }, (_, i) => unit(i, 8_000, `t${i}.json`));
    expect(autoJobs(jsonOf(1_000), 2)).toBe(1); // about 2.3 s of work: JSON parses far faster than YAML
    expect(autoJobs(jsonOf(10_000), 2)).toBe(2);
    const yamlOf = (n: number) => Array.from({ length: n }, (_, i) => unit(i, 8_000));
    expect(autoJobs(yamlOf(1_000), 2)).toBe(2); // the same templates in YAML: about 8 s
    const tfRoot = (i: number): Unit => ({ kind: "terraform", id: `terraform:m${i}/main.tf`, size: 5_000, inputs: [], beside: [], scanned: [] });
    expect(autoJobs(Array.from({ length: 100 }, (_, i) => tfRoot(i)), 2)).toBe(1);
    expect(autoJobs(Array.from({ length: 1_000 }, (_, i) => tfRoot(i)), 2)).toBe(2);
  });

  it("rejects a bad value", async () => {
    for (const bad of ["0", "-1", "two", "1.5"]) {
      const r = await run([`--jobs=${bad}`, "examples"], repo);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("--jobs");
    }
  });
});

describe("--shard", () => {
  it("the shards of a run cover every unit exactly once, with Terraform roots and assemblies whole", async () => {
    const cwd = mixedTree();
    const units = planUnits(await discover(["."], cwd), () => ({}));
    expect(units.some((u) => u.kind === "terraform" && u.inputs.length > 1)).toBe(true);
    expect(units.some((u) => u.kind === "assembly")).toBe(true);
    for (const n of [1, 2, 3, 5, units.length + 2]) {
      const parts = assignShards(units, n);
      expect([...parts.keys()].sort()).toEqual(units.map((u) => u.id).sort());
      expect(Math.max(...parts.values())).toBeLessThan(n);
    }
  });

  it("the findings of all shards are the findings of the whole run, each once", async () => {
    const cwd = mixedTree();
    const options: LintOptions = { paths: ["."], cwd, rules: builtinRules(), jobs: 1 };
    const whole = await lint(options);
    const shards = await Promise.all([1, 2, 3].map((index) => lint({ ...options, shard: { index, count: 3 } })));
    const key = (f: { fingerprint: string; file: string; position: { line: number } }) => `${f.file}:${f.position.line}:${f.fingerprint}`;
    expect(shards.flatMap((s) => s.findings.map(key)).sort()).toEqual(whole.findings.map(key).sort());
    expect(shards.flatMap((s) => s.files).sort()).toEqual([...whole.files].sort());
    expect(shards.every((s) => s.files.length > 0)).toBe(true);
  });

  it("parses i/n and rejects anything else", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    for (const bad of ["0/4", "5/4", "1/0", "1", "a/b", "1/2/3"]) expect(() => parseShard(bad)).toThrow(/--shard/);
  });
});

describe("--cache", () => {
  function entries(dir: string): string[] {
    try {
      return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((n) => n.endsWith(".json"));
    } catch {
      return [];
    }
  }

  it("a second run reuses the stored results; a changed file is linted again", async () => {
    const cwd = mixedTree();
    const cache = { dir: join(cwd, ".cache"), key: "k1" };
    const options: LintOptions = { paths: ["examples"], cwd, rules: builtinRules(), jobs: 1 };
    const first = await lint({ ...options, cache });
    expect(entries(cache.dir).length).toBeGreaterThan(3);
    // A hit returns what is stored: mark every stored finding and see the mark come back.
    for (const name of entries(cache.dir)) {
      const path = join(cache.dir, name);
      writeFileSync(path, readFileSync(path, "utf8").replaceAll('"message":"', '"message":"(stored) '));
    }
    const second = await lint({ ...options, cache });
    expect(second.findings.length).toBe(first.findings.length);
    expect(second.findings.every((f) => f.message.startsWith("(stored) "))).toBe(true);
    // Change one template: only the findings of its unit are computed again (the app imports from
    // the network template, so the two are one unit).
    const network = join(cwd, "examples/cloudformation/network.yaml");
    writeFileSync(network, readFileSync(network, "utf8") + "\n# edited\n");
    const third = await lint({ ...options, cache });
    const fresh = third.findings.filter((f) => !f.message.startsWith("(stored) "));
    expect(fresh.length).toBeGreaterThan(0);
    expect(new Set(fresh.map((f) => f.file))).toEqual(new Set(["examples/cloudformation/network.yaml", "examples/cloudformation/app.yaml"]));
  });

  it("a change to a Terraform variables file or a called module invalidates the root's result", async () => {
    const cwd = mixedTree();
    const cache = { dir: join(cwd, ".cache"), key: "k" };
    const options: LintOptions = { paths: ["examples/terraform"], cwd, rules: builtinRules(), jobs: 1, cache };
    const ssh = (out: Awaited<ReturnType<typeof lint>>) => out.findings.filter((f) => f.ruleId === "sg-no-ssh-from-internet").length;
    expect(ssh(await lint(options))).toBe(1);
    const tfvars = join(cwd, "examples/terraform/terraform.tfvars");
    writeFileSync(tfvars, readFileSync(tfvars, "utf8").replace(/\b22\b/g, "2222"));
    expect(ssh(await lint(options))).toBe(0);
    const module = join(cwd, "examples/terraform/modules/web/main.tf");
    writeFileSync(module, readFileSync(module, "utf8").replace("http_tokens   = \"required\"", "http_tokens   = \"optional\""));
    expect((await lint(options)).findings.some((f) => f.ruleId === "ec2-imdsv2")).toBe(true);
  });

  it("an entry that is not a cache entry is ignored and the file linted again", async () => {
    const cwd = mixedTree();
    const cache = { dir: join(cwd, ".cache"), key: "k" };
    const options: LintOptions = { paths: ["examples/cloudformation"], cwd, rules: builtinRules(), jobs: 1, cache };
    const first = await lint(options);
    const list = '{"findings": [], "files": [], "notes": [], "comments": [], "declared": [], "dependencies": []}';
    const broken = ["{", "null", '{"dependencies": [], "result": {"findings": "x"}}', '{"dependencies": 1, "result": {}}', `{"dependencies": [1, null], "result": ${list}}`];
    for (const text of broken) {
      for (const name of entries(cache.dir)) writeFileSync(join(cache.dir, name), text);
      expect(plain(await lint(options)), text).toEqual(plain(first));
    }
  });

  it("changing the rules, the configuration or the version makes a new cache key", async () => {
    const cwd = mixedTree();
    rmSync(join(cwd, ".parapet-cache"), { recursive: true, force: true });
    const first = await run(["--cache", "-f", "json", "examples/cloudformation"], cwd);
    const dirs = () => readdirSync(join(cwd, ".parapet-cache")).sort();
    expect(dirs().length).toBe(1);
    // Same settings: same key, and the same output.
    expect((await run(["--cache", "-f", "json", "examples/cloudformation"], cwd)).stdout).toBe(first.stdout);
    expect(dirs().length).toBe(1);
    // Other rules: another key, and the output of those rules.
    const strict = await run(["--cache", "-f", "json", "--preset", "strict", "examples/cloudformation"], cwd);
    expect(dirs().length).toBe(2);
    expect(JSON.parse(strict.stdout).findings.length).toBeGreaterThan(JSON.parse(first.stdout).findings.length);
    // A configuration file: another key.
    writeFileSync(join(cwd, ".parapet.yaml"), "skip: [ec2-instance-profile]\n");
    const configured = await run(["--cache", "-f", "json", "examples/cloudformation"], cwd);
    expect(dirs().length).toBe(3);
    expect(JSON.parse(configured.stdout).findings.some((f: { ruleId: string }) => f.ruleId === "ec2-instance-profile")).toBe(false);
  });

  it("removes key folders unused for two weeks, and nothing else", async () => {
    const cwd = mixedTree();
    const dir = join(cwd, ".cache");
    const old = new Date(Date.now() - 30 * 86_400_000);
    for (const name of ["0123456789abcdef", "fedcba9876543210", "not-a-key-folder"]) mkdirSync(join(dir, name), { recursive: true });
    utimesSync(join(dir, "0123456789abcdef"), old, old);
    utimesSync(join(dir, "not-a-key-folder"), old, old);
    await lint({ paths: ["examples/cloudformation"], cwd, rules: builtinRules(), jobs: 1, cache: { dir, key: "k" } });
    const left = readdirSync(dir).sort();
    expect(left).not.toContain("0123456789abcdef");
    expect(left).toEqual(expect.arrayContaining(["fedcba9876543210", "not-a-key-folder"]));
    expect(left.length).toBe(3); // this run's key folder too
  });

  it("--cache-dir puts the cache elsewhere; without --cache nothing is written", async () => {
    const cwd = mixedTree();
    await run(["-f", "json", "examples/cloudformation"], cwd);
    expect(readdirSync(cwd)).not.toContain(".parapet-cache");
    await run(["--cache-dir", "tmp/c", "-f", "json", "examples/cloudformation"], cwd);
    expect(entries(join(cwd, "tmp/c")).length).toBeGreaterThan(0);
  });
});

describe("lazy loading in a whole process", () => {
  it("a CloudFormation file named on the command line loads no HCL reader, schema compiler, globber or diff engine", () => {
    const script = `
      const { run } = await import(${JSON.stringify(join(repo, "dist/cli.js"))});
      await run(["-f", "sarif", "-o", "/dev/null", "examples/cloudformation/network.yaml"], ${JSON.stringify(repo)});
      const { createRequire } = await import("node:module");
      console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`;
    const res = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: repo, encoding: "utf8" });
    expect(res.status, res.stderr).toBe(0);
    const loaded = (JSON.parse(res.stdout) as string[]).map((p) => p.replace(/.*node_modules\//, ""));
    expect(loaded.some((p) => p.startsWith("yaml/"))).toBe(true);
    for (const heavy of ["@cdktf/hcl2json", "ajv/", "fast-glob/", "picomatch/", "@aws-cdk/"]) {
      expect(loaded.filter((p) => p.startsWith(heavy)), heavy).toEqual([]);
    }
  });
});
