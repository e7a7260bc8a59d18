import { describe, expect, it, vi } from "vitest";
import type { Finding } from "../../src/findings/finding.js";
import { formatText } from "../../src/reporters/text.js";
import {
  EBS_REVIEW,
  PARSE_ERROR_FINDING,
  PROFILE_FINDING,
  readSample,
  sampleResult,
  SSH_FINDING,
  SUPPRESSED_FINDING,
  WEB_TEMPLATE,
} from "./sample-result.js";

const ANSI = /\u001b\[[0-9;]*m/;
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");

describe("text reporter", () => {
  const output = formatText(sampleResult(), { color: false, readSource: readSample });
  const lines = output.split("\n");

  it("groups findings under a header per file, files in path order", () => {
    const headers = lines.filter((l) => l !== "" && !l.startsWith(" ") && !l.startsWith("note:"));
    expect(headers.slice(0, 3)).toEqual(["infra/main.tf", "templates/broken.yaml", "templates/web.yaml"]);
    const web = lines.indexOf("templates/web.yaml");
    const sshLine = lines.findIndex((l) => l.includes("sg-no-ssh-from-internet"));
    const reviewLine = lines.findIndex((l) => l.includes("ebs-volume-encrypted"));
    expect(sshLine).toBeGreaterThan(web);
    expect(reviewLine).toBeGreaterThan(sshLine);
  });

  it("prints line:col, severity, rule id, address and message on one line", () => {
    const line = lines.find((l) => l.includes("sg-no-ssh-from-internet"))!;
    expect(line.trim().split(/\s{2,}/)).toEqual([
      "11:11",
      "high",
      "sg-no-ssh-from-internet",
      "WebSecurityGroup",
      SSH_FINDING.message,
    ]);
  });

  it("prints review findings as review, with the reason", () => {
    const line = lines.find((l) => l.includes("ebs-volume-encrypted"))!;
    expect(line.trim().split(/\s{2,}/)).toEqual([
      "16:7",
      "review",
      "ebs-volume-encrypted",
      "DataVolume",
      `${EBS_REVIEW.message} (undecided: parameter EncryptVolumes has no default)`,
    ]);
  });

  it("keeps a multi-line parser message on the finding's line and shows a dash for a missing address", () => {
    const line = lines.find((l) => l.includes("parse-error"))!;
    expect(line.trim().split(/\s{2,}/)).toEqual([
      "2:8",
      "high",
      "parse-error",
      "-",
      "Flow sequence in block collection must be sufficiently indented and end with a ]",
    ]);
  });

  it("follows each finding with its code frame, caret under the start column", () => {
    const at = lines.findIndex((l) => l.includes("sg-no-ssh-from-internet"));
    expect(lines.slice(at + 1, at + 6)).toEqual([
      "       9 |           FromPort: 22",
      "      10 |           ToPort: 22",
      "    > 11 |           CidrIp: 0.0.0.0/0",
      "         |           ^",
      "      12 |   DataVolume:",
    ]);
    const source = WEB_TEMPLATE.split("\n")[SSH_FINDING.position.line - 1]!;
    const marked = lines[at + 3]!;
    const caret = lines[at + 4]!.indexOf("^");
    const sourceStart = marked.indexOf(source);
    expect(caret - sourceStart).toBe(SSH_FINDING.position.column - 1);
    expect(marked[caret]).toBe("C");
  });

  it("frames CRLF sources without carriage returns", () => {
    expect(output).not.toContain("\r");
    expect(output).toContain('    > 1 | resource "aws_instance" "web" {');
  });

  it("does not print suppressed findings, only counts them", () => {
    expect(output).not.toContain(SUPPRESSED_FINDING.ruleId);
    expect(output).not.toContain(SUPPRESSED_FINDING.address);
    expect(lines.at(-2)).toBe("3 failures (2 high, 1 medium), 1 to review, 1 suppressed in 4 files");
  });

  it("prints notes before the summary and ends with a newline", () => {
    expect(lines.at(-3)).toBe("note: skipped templates/notes.txt: not a template");
    expect(output.endsWith("files\n")).toBe(true);
  });

  it("skips the frame when the source is unavailable", () => {
    const text = formatText(sampleResult(), { color: false });
    expect(text).not.toMatch(/ \| /);
    expect(text).toContain("11:11");
    const onlyWeb = formatText(sampleResult(), {
      color: false,
      readSource: (file) => (file === "templates/web.yaml" ? WEB_TEMPLATE : undefined),
    });
    const tfAt = onlyWeb.split("\n").findIndex((l) => l.includes("ec2-instance-profile-attached"));
    expect(onlyWeb.split("\n")[tfAt + 1]).toBe("");
    expect(onlyWeb).toContain("    > 11 |");
  });

  it("reads each file at most once", () => {
    const readSource = vi.fn(readSample);
    formatText(sampleResult(), { color: false, readSource });
    expect(readSource.mock.calls.map(([file]) => file).sort()).toEqual([
      "infra/main.tf",
      "templates/broken.yaml",
      "templates/web.yaml",
    ]);
  });

  it("uses no ANSI codes without colour and colours with it, the visible text unchanged", () => {
    expect(output).not.toMatch(ANSI);
    const coloured = formatText(sampleResult(), { color: true, readSource: readSample });
    expect(coloured).toMatch(ANSI);
    expect(coloured).toContain("\u001b[31m");
    expect(plain(coloured)).toBe(output);
  });

  it("neutralises control characters that come from templates", () => {
    const hostile: Finding = { ...SSH_FINDING, address: "Evil\u001b[2J", message: "bad\u0007 message" };
    const text = formatText(sampleResult({ findings: [hostile] }), { color: false });
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(text).toContain("Evil\ufffd[2J");
  });

  it("summarises without findings", () => {
    const text = formatText(sampleResult({ findings: [], notes: [] }), { color: false });
    expect(text).toBe("No findings in 4 files\n");
    expect(formatText(sampleResult({ findings: [], notes: [], files: ["a.yaml"] }), { color: false })).toBe(
      "No findings in 1 file\n",
    );
  });

  it("summarises reviews and suppressions without failures", () => {
    const text = formatText(sampleResult({ findings: [EBS_REVIEW, SUPPRESSED_FINDING], notes: [], files: ["x"] }), {
      color: false,
    });
    expect(text.split("\n").at(-2)).toBe("No failures, 1 to review, 1 suppressed in 1 file");
    const onlySuppressed = formatText(sampleResult({ findings: [SUPPRESSED_FINDING], notes: [] }), { color: false });
    expect(onlySuppressed).toBe("No failures, 1 suppressed in 4 files\n");
  });

  it("orders findings itself and counts one failure in the singular", () => {
    const text = formatText(sampleResult({ findings: [PROFILE_FINDING], notes: [] }), { color: false });
    expect(text.split("\n").at(-2)).toBe("1 failure (1 medium) in 4 files");
    const shuffled = formatText(
      sampleResult({ findings: [EBS_REVIEW, PARSE_ERROR_FINDING, SSH_FINDING, PROFILE_FINDING, SUPPRESSED_FINDING] }),
      { color: false, readSource: readSample },
    );
    expect(shuffled).toBe(output);
  });
});
