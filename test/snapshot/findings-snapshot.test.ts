import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { explain, normaliser, recordOfRun, ROWS_UP_TO, withoutCurrent, type CorpusRecord } from "../../scripts/findings-snapshot.mjs";

const scratch = realpathSync(mkdtempSync(join(tmpdir(), "parapet-snapshot-test-")));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const norm = normaliser(scratch);

const finding = (over: Record<string, unknown> = {}) => ({
  ruleId: "sg-no-ssh-from-internet",
  severity: "high",
  kind: "fail",
  message: "SG allows SSH (TCP 22) from the internet",
  file: "a/t.yaml",
  line: 7,
  column: 3,
  address: "SG",
  propertyPath: null,
  fingerprint: "0123",
  suppressions: [],
  ...over,
});

const report = (findings: unknown[], over: Record<string, unknown> = {}) => JSON.stringify({ version: 1, tool: { name: "parapet", version: "0.1.0" }, findings, notes: [], ...over });
const recordOf = (findings: unknown[], over: Record<string, unknown> = {}, status = 1, stderr = "") => recordOfRun({ status, stdout: report(findings, over), stderr }, norm, { command: "parapet x", cwd: "." });
/** What the record file keeps: no `current`, as read back from JSON. */
const kept = (rec: CorpusRecord) => JSON.parse(JSON.stringify(withoutCurrent(rec))) as CorpusRecord;

describe("the digest of a run (scripts/findings-snapshot.mjs)", () => {
  const base = recordOf([finding()]);

  it.each([
    ["another parapet version", report([finding()], { tool: { name: "parapet", version: "9.9.9" } }), ""],
    ["a warning of Node on standard error", report([finding()]), "(node:123) ExperimentalWarning: something\n"],
  ])("does not change with %s", (_name, stdout, stderr) => {
    expect(recordOfRun({ status: 1, stdout, stderr }, norm).sha256).toBe(base.sha256);
  });

  it("does not change with the scratch folder named in a message", () => {
    const other = realpathSync(mkdtempSync(join(tmpdir(), "parapet-snapshot-other-")));
    try {
      const here = recordOfRun({ status: 1, stdout: report([finding({ message: `${scratch}/x is a link` })]), stderr: "" }, norm);
      const there = recordOfRun({ status: 1, stdout: report([finding({ message: `${other}/x is a link` })]), stderr: "" }, normaliser(other));
      expect(there.sha256).toBe(here.sha256);
      expect((here["rows"] as string[])[0]).toContain("<scratch>/x is a link");
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it.each([
    ["a message", [finding({ message: "SG is open" })]],
    ["a column", [finding({ column: 4 })]],
    ["a fingerprint", [finding({ fingerprint: "4567" })]],
    ["a finding more", [finding(), finding({ line: 9 })]],
    ["no finding", []],
  ])("changes with %s", (_name, findings) => {
    expect(recordOf(findings).sha256).not.toBe(base.sha256);
  });

  it("changes with the order of findings, the exit code and standard error", () => {
    expect(recordOf([finding({ line: 9 }), finding()]).sha256).not.toBe(recordOf([finding(), finding({ line: 9 })]).sha256);
    expect(recordOf([finding()], {}, 0).sha256).not.toBe(base.sha256);
    expect(recordOf([finding()], {}, 1, "parapet: module.x was not scanned\n").sha256).not.toBe(base.sha256);
  });
});

describe("what a changed corpus shows", () => {
  it("a small corpus: the finding removed and the one added, with file, line, rule and message", () => {
    const before = kept(recordOf([finding(), finding({ file: "b.yaml" })]));
    const after = recordOf([finding({ message: "SG is open to the world" }), finding({ file: "b.yaml" })]);
    expect(explain("c", before, after)).toEqual([
      "c: changed (parapet x, in .)",
      "  - a/t.yaml:7:3 sg-no-ssh-from-internet (fail) SG: SG allows SSH (TCP 22) from the internet",
      "  + a/t.yaml:7:3 sg-no-ssh-from-internet (fail) SG: SG is open to the world",
    ]);
  });

  it("a small corpus whose findings only moved in order says so", () => {
    const before = kept(recordOf([finding(), finding({ file: "b.yaml" })]));
    const after = recordOf([finding({ file: "b.yaml" }), finding()]);
    expect(explain("c", before, after).join("\n")).toMatch(/the same findings .* in another order/);
  });

  it("a large corpus: the rule and file that moved and today's findings of them, nothing of the others", () => {
    const many = (message: string) => Array.from({ length: ROWS_UP_TO + 10 }, (_, i) => finding({ file: `f${i % 20}.yaml`, line: i + 1, ruleId: i === 5 ? "kms-rotation" : "sg-no-ssh-from-internet", message: i === 5 ? message : "SG allows SSH" }));
    const before = kept(recordOf(many("Key is not rotated")));
    expect(before["rows"]).toBeUndefined();
    const after = recordOf(many("Key is never rotated"));
    expect(explain("big", before, after)).toEqual([
      "big: changed (parapet x, in .)",
      "  rules: kms-rotation 1 (same count, other findings)",
      "  files: f5.yaml 8 (same count, other findings)",
      "  today's findings of those files and rules (the record keeps only their hashes):",
      "    f5.yaml:6:3 kms-rotation (fail) SG: Key is never rotated",
    ]);
  });

  it("counts and the exit code that changed", () => {
    const before = kept(recordOf([finding()]));
    const after = recordOf([finding(), finding({ kind: "review", line: 9 })], {}, 0);
    expect(explain("c", before, after)).toEqual([
      "c: changed (parapet x, in .)",
      "  exit code 1 -> 0",
      "  findings 1 -> 2, review 0 -> 1",
      "  + a/t.yaml:9:3 sg-no-ssh-from-internet (review) SG: SG allows SSH (TCP 22) from the internet",
    ]);
  });
});
