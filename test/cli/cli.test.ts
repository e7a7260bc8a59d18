// The command line end to end: exit codes, formats, parameters and user errors.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";

const fixtures = fileURLToPath(new URL("../fixtures/cli/", import.meta.url));
const bin = fileURLToPath(new URL("../../bin/parapet.js", import.meta.url));

function parapet(args: string[], cwd = fixtures) {
  const res = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe("exit codes", () => {
  it("0 when nothing fails", async () => {
    const r = await run(["clean"], fixtures);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("No findings in 1 file");
  });

  it("1 when a rule fails", async () => {
    const r = await run(["mixed/open-ssh.yaml"], fixtures);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/11:\d+\s+high\s+sg-no-ssh-from-internet\s+Bastion/);
  });

  it("1 for a file that cannot be parsed, and the other files are still linted", async () => {
    const r = await run(["mixed", "--format", "json"], fixtures);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const byFile = (file: string) => report.findings.filter((f: { file: string }) => f.file === file);
    expect(byFile("mixed/broken.yaml")).toMatchObject([{ ruleId: "parse-error", line: 7 }]);
    expect(byFile("mixed/broken.json")).toMatchObject([{ ruleId: "parse-error", line: 4 }]);
    expect(byFile("mixed/open-ssh.yaml").map((f: { ruleId: string }) => f.ruleId)).toEqual(["sg-no-ssh-from-internet"]);
    expect(report.files).toEqual(["mixed/admin.yaml", "mixed/broken.json", "mixed/broken.yaml", "mixed/open-ssh.yaml"]);
  });

  it("0 when the only results are undecided (review)", async () => {
    const r = await run(["mixed/admin.yaml", "-f", "json"], fixtures);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings).toMatchObject([
      { ruleId: "sg-no-ssh-from-internet", kind: "review", reason: expect.stringContaining("AdminCidr") },
    ]);
  });

  it.each([
    [["--frobnicate"], /^parapet: unknown option '--frobnicate' \(see parapet --help\)\n$/],
    [["no/such/path"], /^parapet: path not found: no\/such\/path\n$/],
    [["--format", "xml", "clean"], /^parapet: --format: unknown format "xml"/],
    [["--param", "NoEquals", "clean"], /^parapet: --param expects Key=Value/],
    [["--param-file", "missing.json", "clean"], /^parapet: parameter file missing\.json: file not found\n$/],
    [["--param-file", "mixed/package.json", "clean"], /^parapet: mixed\/package\.json: expected \[/],
  ])("2 with one line for %j", (args, message) => {
    const r = parapet(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(r.stdout).toBe("");
  });
});

describe("parameters", () => {
  it("--param and parameter files replace defaults; the last one given wins", async () => {
    const fromFile = await run(["mixed/admin.yaml", "--param-file", "params.json", "-f", "json"], fixtures);
    expect(fromFile.code).toBe(1);
    expect(JSON.parse(fromFile.stdout).findings).toMatchObject([{ kind: "fail", ruleId: "sg-no-ssh-from-internet" }]);
    const pipeline = await run(["mixed/admin.yaml", "--param-file", "params-cp.json", "-f", "json"], fixtures);
    expect(pipeline.code).toBe(0);
    expect(JSON.parse(pipeline.stdout).findings).toEqual([]);
    const both = await run(["mixed/admin.yaml", "--param-file", "params-cp.json", "--param", "AdminCidr=::/0", "-f", "json"], fixtures);
    expect(both.code).toBe(1);
  });
});

describe("discovery", () => {
  it("skips YAML and JSON files that are not templates silently when found in a folder", async () => {
    const r = await run(["mixed", "-f", "json"], fixtures);
    const report = JSON.parse(r.stdout);
    expect(report.files).not.toContain("mixed/workflow.yml");
    expect(report.files).not.toContain("mixed/package.json");
    expect(report.notes).toEqual([]);
  });

  it("says so when a file named explicitly is not a template", async () => {
    const r = await run(["mixed/workflow.yml"], fixtures);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("mixed/workflow.yml: not a CloudFormation template");
  });
});

describe("output", () => {
  it("--output writes the report to a file and nothing to stdout", () => {
    const dir = mkdtempSync(join(tmpdir(), "parapet-cli-"));
    const out = join(dir, "report.sarif");
    const r = parapet(["mixed/open-ssh.yaml", "--format", "sarif", "--output", out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const sarif = JSON.parse(readFileSync(out, "utf8"));
    expect(sarif.runs[0].results).toMatchObject([
      {
        ruleId: "sg-no-ssh-from-internet",
        kind: "fail",
        locations: [
          {
            physicalLocation: { artifactLocation: { uri: "mixed/open-ssh.yaml" }, region: { startLine: 11 } },
            logicalLocations: [{ fullyQualifiedName: "Bastion" }],
          },
        ],
      },
    ]);
  });

  it("prints no colour codes when output is not a terminal", () => {
    const r = parapet(["mixed/open-ssh.yaml"]);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(r.stdout).toMatch(/1 failure/);
  });

  it("--version and --help", () => {
    expect(parapet(["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = parapet(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: parapet");
  });
});

describe("failure threshold", () => {
  it("--fail-on sets the lowest severity that fails the run", async () => {
    // open-ssh.yaml fails a high rule; with --fail-on critical it passes.
    expect((await run(["mixed/open-ssh.yaml", "--only", "sg-no-ssh-from-internet"], fixtures)).code).toBe(1);
    expect((await run(["mixed/open-ssh.yaml", "--only", "sg-no-ssh-from-internet", "--fail-on", "critical"], fixtures)).code).toBe(0);
    expect((await run(["mixed/open-ssh.yaml", "--only", "sg-no-ssh-from-internet", "--fail-on", "high"], fixtures)).code).toBe(1);
  });

  it("findings to review fail only with --fail-on-undecided", async () => {
    const args = ["mixed/admin.yaml", "--only", "sg-no-ssh-from-internet"];
    expect((await run(args, fixtures)).code).toBe(0);
    expect((await run([...args, "--fail-on-undecided"], fixtures)).code).toBe(1);
  });

  it("a file that cannot be parsed fails whatever the threshold", async () => {
    expect((await run(["mixed/broken.yaml", "--fail-on", "critical"], fixtures)).code).toBe(1);
  });

  it("rejects an unknown severity", async () => {
    const out = await run(["--fail-on", "severe", "clean"], fixtures);
    expect(out).toMatchObject({ code: 2, stderr: 'parapet: --fail-on: unknown severity "severe" (choose one of critical, high, medium, low, info)\n' });
  });
});

describe("Terraform decided offline", () => {
  it("names for_each instances by key, expands a module call per key and reads policy documents", () => {
    const dir = mkdtempSync(join(tmpdir(), "parapet-cli-tf-"));
    mkdirSync(join(dir, "modules", "app"), { recursive: true });
    writeFileSync(
      join(dir, "main.tf"),
      [
        'variable "ports" {}',
        'resource "aws_security_group_rule" "in" {',
        "  for_each          = toset(var.ports)",
        '  type              = "ingress"',
        '  security_group_id = "sg-1"',
        '  protocol          = "tcp"',
        "  from_port         = tonumber(each.key)",
        "  to_port           = tonumber(each.key)",
        '  cidr_blocks       = ["0.0.0.0/0"]',
        "}",
        'module "app" {',
        '  source   = "./modules/app"',
        '  for_each = { web = ["s3:GetObject"], admin = ["*"] }',
        "  actions  = each.value",
        "}",
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, "terraform.tfvars"), 'ports = ["22", "443"]\n');
    writeFileSync(
      join(dir, "modules", "app", "main.tf"),
      [
        'variable "actions" {}',
        'data "aws_iam_policy_document" "assume" {',
        "  statement {",
        '    actions = ["sts:AssumeRole"]',
        '    principals {\n      type        = "Service"\n      identifiers = ["ec2.amazonaws.com"]\n    }',
        "  }",
        "}",
        'data "aws_iam_policy_document" "work" {',
        "  statement {",
        "    actions   = var.actions",
        '    resources = ["*"]',
        "  }",
        "}",
        'resource "aws_iam_role" "this" {',
        '  name               = "app"',
        "  assume_role_policy = data.aws_iam_policy_document.assume.json",
        "}",
        'resource "aws_iam_role_policy" "this" {',
        "  role   = aws_iam_role.this.id",
        "  policy = data.aws_iam_policy_document.work.json",
        "}",
        "",
      ].join("\n"),
    );
    const r = parapet(["--format", "json", "--only", "sg-no-ssh-from-internet,iam-instance-role-least-privilege", "."], dir);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings.map((f: Record<string, unknown>) => [f["ruleId"], f["kind"], f["address"], f["file"], f["line"]]);
    expect(findings).toEqual([
      ["sg-no-ssh-from-internet", "fail", 'aws_security_group_rule.in["22"]', "main.tf", 9],
      ["iam-instance-role-least-privilege", "fail", 'module.app["admin"].aws_iam_role.this', "modules/app/main.tf", 17],
    ]);
  });
});
