// The layer check of .dependency-cruiser.cjs (issue #15): src/ has no wrong-way arrow and no
// circle beyond the known exceptions listed in the config, a new wrong arrow or circle fails the
// check, and no known exception outlives the code it excused.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CONFIG = join(ROOT, ".dependency-cruiser.cjs");
const DEPCRUISE = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

interface KnownException {
  rule: string;
  from?: string;
  to?: string;
  cycle?: string[];
  remove: string;
}

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: { name: string }[];
}

interface Cruise {
  /** Errors counted, which is the exit status of `npm run layers:check` (the `err` output). */
  errors: number;
  violations: Violation[];
}

const { knownExceptions } = createRequire(import.meta.url)(CONFIG) as { knownExceptions: KnownException[] };

/** Runs the check on `cwd`/src with the project's configuration, printing `output`. */
function depcruise(cwd: string, output: "json" | "err") {
  const run = spawnSync(process.execPath, [DEPCRUISE, "--config", CONFIG, "--output-type", output, "src"], {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  return run;
}

/** The check's JSON report on `cwd`/src. */
function cruise(cwd: string): Cruise {
  const run = depcruise(cwd, "json");
  if (!run.stdout.trim()) throw new Error(`depcruise printed no report (exit ${run.status}): ${run.stderr}`);
  const report = JSON.parse(run.stdout) as { summary: { error: number; violations: Violation[] } };
  return { errors: report.summary.error, violations: report.summary.violations };
}

/** One line per violation: the rule and the arrow, or the rule and the circle's files in order. */
function describeViolation(violation: Violation): string {
  const path = violation.cycle ? [violation.from, ...violation.cycle.map((step) => step.name)] : [violation.from, violation.to];
  return `${violation.rule.name}: ${path.join(" -> ")}`;
}

function excuses(exception: KnownException, violation: Violation): boolean {
  if (exception.rule !== violation.rule.name) return false;
  if (exception.cycle) {
    const files = new Set(violation.cycle?.map((step) => step.name) ?? []);
    return files.size === exception.cycle.length && exception.cycle.every((file) => files.has(file));
  }
  return exception.from === violation.from && exception.to === violation.to;
}

function write(root: string, file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

describe("layers of src/", () => {
  let real: Cruise;
  beforeAll(() => {
    real = cruise(ROOT);
  }, 120_000);

  it("has no wrong-way arrow or circle beyond the known exceptions", () => {
    const unexpected = real.violations.filter((violation) => violation.rule.severity !== "ignore");
    expect(unexpected.map(describeViolation)).toEqual([]);
    expect(real.errors).toBe(0);
  });

  it("lists no known exception that no longer occurs", () => {
    const ignored = real.violations.filter((violation) => violation.rule.severity === "ignore");
    const stale = knownExceptions.filter((exception) => !ignored.some((violation) => excuses(exception, violation)));
    expect(stale).toEqual([]);
  });

  it("says for each known exception which step of #15 removes it", () => {
    expect(knownExceptions.length).toBeGreaterThan(0);
    for (const exception of knownExceptions) {
      expect(exception.remove, JSON.stringify(exception)).toMatch(/^when #15 /);
      expect(exception.cycle ?? [exception.from, exception.to], JSON.stringify(exception)).not.toContain(undefined);
    }
  });
});

describe("the layer check on a deliberately wrong import", () => {
  const dir = mkdtempSync(join(tmpdir(), "parapet-layers-"));
  let result: Cruise;
  beforeAll(() => {
    cpSync(join(ROOT, "tsconfig.json"), join(dir, "tsconfig.json"));
    // model → pipeline runs the wrong way, and with pipeline → model (the right way) makes a circle.
    write(dir, "src/model/ec2.ts", 'import { run } from "../pipeline/run.js";\nexport const kind = "aws.ec2.instance";\nexport const start = run;\n');
    write(dir, "src/pipeline/run.ts", 'import { kind } from "../model/ec2.js";\nexport function run(): string {\n  return kind;\n}\n');
    // A parser may not reach into the rules beside it.
    write(dir, "src/parsers/terraform/evaluate.ts", 'import { select } from "../../rules/select.js";\nexport const evaluate = select;\n');
    write(dir, "src/rules/select.ts", 'import { kind } from "../model/ec2.js";\nexport const select = (): string => kind;\n');
    // code-frame.ts → source/location.ts is a known exception; a new arrow from the same file is not.
    write(dir, "src/reporters/code-frame.ts", 'import type { Position } from "../source/location.js";\nimport { select } from "../rules/select.js";\nexport const at: Position[] = [];\nexport const pick = select;\n');
    write(dir, "src/source/location.ts", "export interface Position {\n  line: number;\n}\n");
    // An import that resolves to no file.
    write(dir, "src/source/read.ts", 'import { decode } from "./decode.js";\nexport const read = decode;\n');
    // A folder the layers do not name.
    write(dir, "src/widgets/widget.ts", 'import { kind } from "../model/ec2.js";\nexport const widget = kind;\n');
    result = cruise(dir);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("fails and names every wrong arrow and the circle", () => {
    expect(result.errors).toBe(result.violations.filter((violation) => violation.rule.severity === "error").length);
    const reported = result.violations.filter((violation) => violation.rule.severity === "error").map(describeViolation);
    expect(reported).toContain("layer-model: src/model/ec2.ts -> src/pipeline/run.ts");
    expect(reported).toContain("layer-parsers: src/parsers/terraform/evaluate.ts -> src/rules/select.ts");
    expect(reported).toContain("layer-reporters: src/reporters/code-frame.ts -> src/rules/select.ts");
    expect(reported).toContain("in-a-layer: src/widgets/widget.ts -> src/model/ec2.ts");
    expect(reported).toContain("resolved: src/source/read.ts -> ./decode.js");
    expect(reported.some((line) => /^no-circular: src\/(model\/ec2|pipeline\/run)\.ts -> /.test(line))).toBe(true);
  });

  it("fails `npm run layers:check` (the exit status CI sees)", () => {
    const run = depcruise(dir, "err");
    expect(run.status).toBe(result.errors);
    expect(run.status).toBeGreaterThanOrEqual(6);
    expect(run.stdout).toContain("error layer-model: src/model/ec2.ts → src/pipeline/run.ts");
  }, 60_000);

  it("reports nothing for the arrows that run the right way", () => {
    const arrows = result.violations.filter((violation) => !violation.cycle).map((violation) => `${violation.from} -> ${violation.to}`);
    expect(arrows).not.toContain("src/pipeline/run.ts -> src/model/ec2.ts");
    expect(arrows).not.toContain("src/rules/select.ts -> src/model/ec2.ts");
  });

  it("still excuses a known exception, and only that arrow", () => {
    const frameToLocation = result.violations.filter(
      (violation) => violation.from === "src/reporters/code-frame.ts" && violation.to === "src/source/location.ts",
    );
    expect(frameToLocation.map((violation) => violation.rule.severity)).toEqual(["ignore"]);
  });
});
