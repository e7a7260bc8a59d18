// Property-based fuzzing of every reader and the command line. The invariants: no uncaught
// exception, exit codes 0, 1 or 2 only, every input that cannot be read is a finding with
// file and line (never dropped silently), no stack trace in any message, and each input
// done within a time bound.
//
// `npm test` runs a few hundred inputs per reader; `npm run fuzz -- --runs N` runs N per
// property and prints the counts (PARAPET_FUZZ_RUNS, PARAPET_FUZZ_REPORT).
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";
import type { Finding } from "../../src/findings/finding.js";
import { lint, lintText, type FileOutcome } from "../../src/pipeline/lint.js";
import { builtinRules } from "../../src/rules/load.js";
import { CORPUS, mutated, randomArgv, randomHcl, randomManifest, randomPlan, type Input } from "./inputs.js";

const RUNS = Number(process.env["PARAPET_FUZZ_RUNS"] ?? 0) || undefined;
const SEED = process.env["PARAPET_FUZZ_SEED"] ? Number(process.env["PARAPET_FUZZ_SEED"]) : undefined;
/** Inputs per property: the long run's N, else a bounded count for `npm test`. */
const runs = (bounded: number) => RUNS ?? bounded;
const settings = (bounded: number) => ({ numRuns: runs(bounded), ...(SEED !== undefined ? { seed: SEED } : {}) });

/** Each input must be done well within this (the file budget below is a third of it). */
const TIME_BOUND_MS = 15_000;
const limits = { fileTimeout: 5_000 };
const rules = builtinRules();

const counts: Record<string, number> = {};
const count = (parser: string) => (counts[parser] = (counts[parser] ?? 0) + 1);

afterAll(() => {
  const report = process.env["PARAPET_FUZZ_REPORT"];
  if (report) appendFileSync(report, JSON.stringify(counts) + "\n");
});

const STACK = /\n\s+at |Maximum call stack|RangeError|TypeError|internal error/;

/** The findings of one input: on a file the run read, placed at a line and column, no stack traces. */
function checkFindings(findings: Finding[], files?: Set<string>): void {
  for (const f of findings) {
    if (files) expect(files.has(f.file), `finding on a file not read: ${f.file}`).toBe(true);
    expect(f.file.length).toBeGreaterThan(0);
    expect(Number.isInteger(f.position.line) && f.position.line >= 1, `line of ${f.message}`).toBe(true);
    expect(Number.isInteger(f.position.column) && f.position.column >= 1, `column of ${f.message}`).toBe(true);
    expect(f.message).not.toMatch(STACK);
  }
}

function timed<T>(work: () => T): T {
  const started = Date.now();
  const out = work();
  expect(Date.now() - started, "time for one input").toBeLessThan(TIME_BOUND_MS);
  return out;
}

async function timedAsync<T>(work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const out = await work();
  expect(Date.now() - started, "time for one input").toBeLessThan(TIME_BOUND_MS);
  return out;
}

/** One file's text through the CloudFormation / plan reader, as a file named on the command line. */
function lintOne(path: string, text: string): FileOutcome {
  const out = timed(() => lintText({ path, absolutePath: join(tmpdir(), "parapet-fuzz-none", path), explicit: true }, text, { rules, limits }));
  checkFindings(out.findings, new Set([path]));
  // Never dropped silently: checked, or a note says why not.
  expect(out.linted || out.note !== undefined).toBe(true);
  return out;
}

/** A property: each generated text is linted as the file `path`, counted for `parser`. */
function fuzzFile(title: string, parser: string, path: string, texts: fc.Arbitrary<string | Input>, bounded: number): void {
  it(title, () => {
    fc.assert(
      fc.property(texts, (input) => {
        count(parser);
        lintOne(path, typeof input === "string" ? input : input.text);
      }),
      settings(bounded),
    );
  });
}

describe("fuzz: CloudFormation YAML", () => {
  fuzzFile("mutated templates", "cloudformation-yaml", "t.yaml", mutated("yaml"), 300);
  const doc = fc.jsonValue({ maxDepth: 5 }).map((v) => `AWSTemplateFormatVersion: "2010-09-09"\nResources: ${JSON.stringify(v)}\n`);
  fuzzFile("random YAML documents with template keys", "cloudformation-yaml", "t.yaml", doc, 100);
});

describe("fuzz: CloudFormation JSON", () => {
  fuzzFile("mutated templates", "cloudformation-json", "t.json", mutated("json"), 300);
  const resources = fc.dictionary(
    fc.oneof(fc.constantFrom("Web", "__proto__", "constructor", "Fn::ForEach::X"), fc.string({ maxLength: 6 })),
    fc.record({ Type: fc.oneof(fc.constantFrom("AWS::EC2::Instance", "AWS::EC2::SecurityGroup", "AWS::EC2::Volume", "AWS::CloudTrail::Trail", "Custom::X", "toString", "constructor", "__proto__"), fc.jsonValue()), Properties: fc.jsonValue({ maxDepth: 5 }), Condition: fc.jsonValue(), Metadata: fc.jsonValue() }, { requiredKeys: ["Type"] }),
  );
  const doc = fc
    .record({ Parameters: fc.jsonValue({ maxDepth: 3 }), Conditions: fc.jsonValue({ maxDepth: 4 }), Mappings: fc.jsonValue({ maxDepth: 4 }), Resources: resources }, { requiredKeys: ["Resources"] })
    .map((data) => JSON.stringify({ AWSTemplateFormatVersion: "2010-09-09", ...data }));
  fuzzFile("random values in a template's resources", "cloudformation-json", "t.json", doc, 100);
});

describe("fuzz: Terraform plan JSON", () => {
  fuzzFile("random plans", "terraform-plan", "plan.json", randomPlan, 300);
});

describe("fuzz: Terraform HCL", () => {
  const dir = mkdtempSync(join(tmpdir(), "parapet-fuzz-hcl-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Lints a folder holding `main.tf` (and a variables file): the file must be reported as read. */
  async function lintModule(main: string, tfvars?: string): Promise<void> {
    writeFileSync(join(dir, "main.tf"), main);
    if (tfvars !== undefined) writeFileSync(join(dir, "terraform.tfvars"), tfvars);
    else rmSync(join(dir, "terraform.tfvars"), { force: true });
    const out = await timedAsync(() => lint({ paths: ["."], cwd: dir, rules, limits }));
    expect(out.files).toContain("main.tf");
    checkFindings(out.findings, new Set(["main.tf"]));
    for (const note of out.notes) expect(note).not.toMatch(STACK);
  }

  it("random HCL", async () => {
    await fc.assert(
      fc.asyncProperty(randomHcl, fc.option(randomHcl, { freq: 4 }), async (main, tfvars) => {
        count("terraform-hcl");
        await lintModule(main, tfvars ?? undefined);
      }),
      settings(150),
    );
  });

  it("mutated modules", async () => {
    await fc.assert(
      fc.asyncProperty(mutated("hcl"), async (main) => {
        count("terraform-hcl");
        await lintModule(main.text);
      }),
      settings(150),
    );
  });
});

describe("fuzz: CDK cloud assemblies", () => {
  const root = mkdtempSync(join(tmpdir(), "parapet-fuzz-cdk-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("random manifests around a mutated template", async () => {
    await fc.assert(
      fc.asyncProperty(randomManifest, mutated("json"), async (manifest, template) => {
        count("cdk-assembly");
        const dir = join(root, "cdk.out");
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(join(dir, "sub"), { recursive: true });
        writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
        writeFileSync(join(dir, "Stack.template.json"), template.text);
        writeFileSync(join(dir, "sub", "manifest.json"), JSON.stringify(manifest));
        const out = await timedAsync(() => lint({ paths: ["cdk.out"], cwd: root, rules, limits }));
        checkFindings(out.findings);
        for (const f of out.findings) expect(f.file.startsWith("cdk.out"), f.file).toBe(true);
      }),
      settings(100),
    );
  });
});

describe("fuzz: command line", () => {
  const dir = mkdtempSync(join(tmpdir(), "parapet-fuzz-cli-"));
  writeFileSync(join(dir, "t.yaml"), CORPUS.yaml[0]!);
  writeFileSync(join(dir, "main.tf"), CORPUS.hcl[0]!);
  writeFileSync(join(dir, "cfg.yaml"), "fail-on: high\nlimits:\n  max-depth: 50\n");
  writeFileSync(join(dir, "vars.tfvars"), 'x = "y"\n');
  writeFileSync(join(dir, "params.json"), '[{"ParameterKey": "A", "ParameterValue": "b"}]');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("random arguments: exit 0, 1 or 2, a one-line message for usage errors, no stack trace", async () => {
    await fc.assert(
      fc.asyncProperty(randomArgv, async (argv) => {
        count("cli");
        const r = await timedAsync(() => run(argv, dir));
        expect([0, 1, 2]).toContain(r.code);
        expect(r.stderr).not.toMatch(STACK);
        if (r.code === 2) expect(r.stderr).toMatch(/^parapet: [^\n]+\n$/);
      }),
      settings(150),
    );
  });

  it("whole processes on hostile files: exit codes, messages and time", () => {
    const bin = fileURLToPath(new URL("../../bin/parapet.js", import.meta.url));
    const hostile = mkdtempSync(join(tmpdir(), "parapet-fuzz-proc-"));
    const deep = "[".repeat(100_000);
    let bomb = "AWSTemplateFormatVersion: x\nResources:\n  B:\n    Type: AWS::EC2::Instance\n    Properties:\n      l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 12; i++) bomb += `      l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(", ")}]\n`;
    const files: Record<string, string | Buffer> = {
      "deep.yaml": `AWSTemplateFormatVersion: x\nResources: ${deep}`,
      "deep.json": `{"AWSTemplateFormatVersion": ${deep}`,
      "deep.tf": `locals {\n  x = ${deep}\n}\n`,
      "bomb.yaml": bomb,
      "huge.yaml": `AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::EC2::Instance\n    Properties:\n      UserData: ${"A".repeat(50 * 1024 * 1024)}\n`,
      "utf8.yaml": Buffer.concat([Buffer.from("AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: "), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from("\n")]),
      "plan.json": '{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "aws_instance.x", "type": "aws_instance", "values": {"__proto__": {"a": 1}}}]}}}',
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(hostile, name), content);
    try {
      for (const args of [[], ["--format", "sarif"], ["deep.yaml", "--max-depth", "9000"], ["--no-such-flag"], ["huge.yaml", "--max-file-size", "100MB", "--file-timeout", "2"]]) {
        count("cli");
        const started = Date.now();
        const r = spawnSync(process.execPath, [bin, ...args], { cwd: hostile, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        expect(Date.now() - started).toBeLessThan(60_000);
        expect([0, 1, 2]).toContain(r.status);
        expect(r.stderr).not.toMatch(STACK);
        if (args.length === 0) {
          // Every hostile file is reported, by name, with a line.
          for (const name of ["deep.yaml", "deep.json", "deep.tf", "bomb.yaml", "huge.yaml"]) expect(r.stdout).toMatch(new RegExp(`${name.replace(".", "\\.")}[\\s\\S]*parse-error|parse-error[\\s\\S]*${name.replace(".", "\\.")}`));
          expect(r.status).toBe(1);
        }
      }
    } finally {
      rmSync(hostile, { recursive: true, force: true });
    }
  }, 300_000);
});
