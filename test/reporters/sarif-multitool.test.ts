/**
 * Runs Microsoft's SARIF Multitool (the npm package ships a self-contained binary per platform)
 * on a generated log, once with the SARIF rules and once with GitHub's ingestion rules, as
 * DESIGN.md's SARIF contract requires. The validator exits 0 even when it finds errors, so the
 * test reads its output log: a result with level `error` is a failure. On linux-x64 (CI) a
 * missing binary fails the tests rather than skipping them.
 */
import { execFile, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { formatSarif } from "../../src/reporters/sarif.js";
import { multitoolFolder } from "./sarif-schema.js";
import { EBS_RULE, groupedResult, PROFILE_RULE, sampleResult, SSH_FINDING, SSH_RULE, TRAIL_RULE } from "./sample-result.js";

const run = promisify(execFile);
const folder = multitoolFolder();
const binary = folder && join(folder, process.platform === "win32" ? "Sarif.Multitool.exe" : "Sarif.Multitool");
const absent = binary && existsSync(binary) ? undefined : `@microsoft/sarif-multitool has no binary for ${process.platform}-${process.arch} here`;
/** CI runs on linux-x64, where the package ships its binary: there the validation must run. */
const required = process.platform === "linux" && process.arch === "x64";
const missing = required ? undefined : absent;

const work = realpathSync(mkdtempSync(join(tmpdir(), "parapet-sarif-")));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Problem {
  ruleId: string;
  level: string;
  text: string;
}

/** Validates `log` with the given rule kind and returns the problems the multitool reported. */
async function validate(log: string, ruleKind: "Sarif" | "Gh", name: string): Promise<{ errors: Problem[]; warnings: Problem[] }> {
  if (absent) throw new Error(`${absent}: run npm ci (the SARIF checks must run on ${process.platform}-${process.arch})`);
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
  const problems: Problem[] = (validation.results ?? []).map((r: { ruleId: string; level?: string; message: { text?: string; id?: string; arguments?: string[] } }) => ({
    ruleId: r.ruleId,
    // SARIF's default level is "warning".
    level: r.level ?? "warning",
    // The multitool writes message ids with arguments rather than text.
    text: r.message.text ?? [r.message.id, ...(r.message.arguments ?? [])].filter(Boolean).join(" "),
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
      const expected = (w: Problem) => w.ruleId === "SARIF2005" && w.text.startsWith("Warning_ProvideToolnformationUri");
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

  describe("on the output of the command line", () => {
    // A project folder as the working directory, with templates inside it, and a folder beside
    // it whose name needs percent-encoding: given as `../…` and as an absolute path.
    const bin = fileURLToPath(new URL("../../bin/parapet.js", import.meta.url));
    const examples = fileURLToPath(new URL("../../examples", import.meta.url));
    const project = join(work, "project");
    const outsideName = "outside #1 100% ü";
    const outside = join(work, outsideName);

    function parapetSarif(args: string[]): string {
      mkdirSync(project, { recursive: true });
      if (!existsSync(join(project, "inside"))) cpSync(examples, join(project, "inside"), { recursive: true });
      if (!existsSync(outside)) cpSync(examples, outside, { recursive: true });
      const res = spawnSync(process.execPath, [bin, "--format", "sarif", ...args], { cwd: project, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
      // 1: the examples have findings.
      expect(res.status, res.stderr).toBe(1);
      return res.stdout;
    }

    const uris = (log: string): string[] => {
      const run = JSON.parse(log).runs[0];
      return run.results.flatMap((r: any) =>
        [...r.locations, ...(r.relatedLocations ?? [])].map((l: any) => {
          const a = l.physicalLocation.artifactLocation;
          return a.uriBaseId ? `${a.uriBaseId}:${a.uri}` : a.uri;
        }),
      );
    };

    for (const [what, args] of [
      ["a folder inside and one beside it as ../", ["inside", `../${outsideName}`]],
      ["a folder outside given as an absolute path", [join(outside, "cloudformation"), join(outside, "terraform")]],
    ] as const) {
      it(`finds no errors on ${what}`, async (ctx) => {
        if (missing) ctx.skip(missing);
        const log = parapetSarif([...args]);
        const outsideUri = pathToFileURL(outside).href;
        expect(outsideUri).toContain("outside%20%231%20100%25%20%C3%BC");
        const written = uris(log);
        // Files outside are absolute file: URIs without a base id, files inside relative to %SRCROOT%.
        expect(written.filter((u) => u.startsWith(`${outsideUri}/`)).length).toBeGreaterThan(5);
        expect(written.every((u) => u.startsWith(`${outsideUri}/`) || u.startsWith("%SRCROOT%:"))).toBe(true);
        if (args[0] === "inside") expect(written).toContain("%SRCROOT%:inside/cloudformation/network.yaml");
        expect(JSON.parse(log).runs[0].invocations[0].workingDirectory).toEqual({ uri: `${pathToFileURL(project).href}/` });
        for (const ruleKind of ["Sarif", "Gh"] as const) {
          const { errors, warnings } = await validate(log, ruleKind, `cli-${ruleKind}-${args.length}-${args[0]!.length}`);
          expect(errors).toEqual([]);
          expect(warnings.filter((w) => !w.text.startsWith("Warning_ProvideToolnformationUri"))).toEqual([]);
        }
      }, 120_000);
    }

    it("rejects an absolute path written relative to %SRCROOT% (control for the harness)", async (ctx) => {
      if (missing) ctx.skip(missing);
      const log = JSON.parse(parapetSarif([`../${outsideName}/cloudformation`]));
      const location = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
      location.uri = fileURLToPath(location.uri);
      location.uriBaseId = "%SRCROOT%";
      const { errors } = await validate(JSON.stringify(log), "Sarif", "cli-broken");
      expect(errors.map((e) => e.ruleId)).toContain("SARIF1004");
    }, 120_000);
  });
});
