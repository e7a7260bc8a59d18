// Shared by the robustness tests: temporary projects and a JSON run of the CLI.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { run } from "../../src/cli.js";

/** A temporary folder holding `files` (path → content). */
export function project(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "parapet-robust-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export interface JsonFinding {
  ruleId: string;
  kind: "fail" | "review";
  file: string;
  line: number;
  column: number;
  message: string;
}

/** Runs parapet with `--format json` in `cwd`; the report is parsed when the run produced one. */
export async function runJson(args: string[], cwd: string) {
  const r = await run([...args, "--format", "json"], cwd);
  const report = r.stdout ? (JSON.parse(r.stdout) as { findings: JsonFinding[]; files: string[]; notes: string[]; links: { path: string; target: string; why: string }[] }) : undefined;
  return { ...r, report, findings: report?.findings ?? [] };
}

/** A small CloudFormation template: `body` is placed under the instance's Properties. */
export function template(body = "      ImageId: ami-12345678\n"): string {
  return `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Web:\n    Type: AWS::EC2::Instance\n    Properties:\n${body}`;
}
