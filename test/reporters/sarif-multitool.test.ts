/**
 * Runs Microsoft's SARIF Multitool (the npm package ships a self-contained binary per platform)
 * on a generated log, once with the SARIF rules and once with GitHub's ingestion rules, as
 * DESIGN.md's SARIF contract requires. The validator exits 0 even when it finds errors, so the
 * test reads its output log: a result with level `error` is a failure.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { formatSarif } from "../../src/reporters/sarif.js";
import { multitoolFolder } from "./sarif-schema.js";
import { EBS_RULE, groupedResult, PROFILE_RULE, sampleResult, SSH_FINDING, SSH_RULE, TRAIL_RULE } from "./sample-result.js";

const run = promisify(execFile);
const folder = multitoolFolder();
const binary = folder && join(folder, process.platform === "win32" ? "Sarif.Multitool.exe" : "Sarif.Multitool");
const missing =
  binary && existsSync(binary)
    ? undefined
    : `@microsoft/sarif-multitool ships no binary for ${process.platform}-${process.arch} here`;

const work = mkdtempSync(join(tmpdir(), "parapet-sarif-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Problem {
  ruleId: string;
  level: string;
  text: string;
}

/** Validates `log` with the given rule kind and returns the problems the multitool reported. */
async function validate(log: string, ruleKind: "Sarif" | "Gh", name: string): Promise<{ errors: Problem[]; warnings: Problem[] }> {
  const input = join(work, `${name}.sarif`);
  const output = join(work, `${name}.${ruleKind}.validation.sarif`);
  writeFileSync(input, log);
  const { stdout } = await run(binary!, ["validate", "--rule-kind", ruleKind, "--output", output, input], {
    timeout: 60_000,
  });
  expect(stdout).toContain("Analysis completed successfully");
  const report = JSON.parse(readFileSync(output, "utf8"));
  const validation = report.runs[0];
  expect(validation.invocations[0].executionSuccessful).toBe(true);
  const problems: Problem[] = (validation.results ?? []).map((r: { ruleId: string; level?: string; message: { text?: string; id?: string } }) => ({
    ruleId: r.ruleId,
    // SARIF's default level is "warning".
    level: r.level ?? "warning",
    // The multitool writes message ids with arguments rather than text.
    text: r.message.text ?? r.message.id ?? "",
  }));
  const notifications = (validation.invocations[0].toolExecutionNotifications ?? []).filter(
    (n: { level?: string }) => n.level === "error",
  );
  expect(notifications).toEqual([]);
  return {
    errors: problems.filter((p) => p.level === "error"),
    warnings: problems.filter((p) => p.level !== "error"),
  };
}

// With two findings of one problem, linked by relatedLocations and message links.
const generated = formatSarif(
  groupedResult({
    findings: [
      ...groupedResult().findings,
      { ...SSH_FINDING, file: "stacks/with space/ünicode.template.json", fingerprint: "other" },
    ],
  }),
  { color: false, baseUri: "file:///home/dev/project/" },
);

describe("SARIF Multitool", () => {
  for (const ruleKind of ["Sarif", "Gh"] as const) {
    it(`finds no errors with --rule-kind ${ruleKind}`, async (ctx) => {
      if (missing) ctx.skip(missing);
      const { errors, warnings } = await validate(generated, ruleKind, "generated");
      expect(errors).toEqual([]);
      // informationUri is left out on purpose (parapet has no public page yet); nothing else is expected.
      const expected = (w: Problem) => w.ruleId === "SARIF2005" && w.text === "Warning_ProvideToolnformationUri";
      expect(warnings.filter((w) => !expected(w))).toEqual([]);
    }, 60_000);
  }

  it("also accepts a log without base URI, notes or findings", async (ctx) => {
    if (missing) ctx.skip(missing);
    const bare = formatSarif(sampleResult({ findings: [], notes: [], rules: [SSH_RULE, EBS_RULE, PROFILE_RULE, TRAIL_RULE] }), {
      color: false,
    });
    for (const ruleKind of ["Sarif", "Gh"] as const) expect((await validate(bare, ruleKind, "bare")).errors).toEqual([]);
  }, 60_000);

  it("reports errors that GitHub would reject (control for the harness)", async (ctx) => {
    if (missing) ctx.skip(missing);
    const broken = JSON.parse(generated);
    delete broken.runs[0].tool.driver.rules[0].fullDescription;
    const { errors } = await validate(JSON.stringify(broken), "Gh", "broken");
    expect(errors.map((e) => e.ruleId)).toContain("GH2012");
  }, 60_000);
});
