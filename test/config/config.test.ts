// .parapet.yaml: discovery, validation, and what each setting does; the command line wins.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { run } from "../../src/cli.js";

const OPEN_SSH = [
  "Resources:",
  "  Bastion:",
  "    Type: AWS::EC2::SecurityGroup",
  "    Properties:",
  "      GroupDescription: bastion",
  "      SecurityGroupIngress:",
  "        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }",
  "",
].join("\n");
const ADMIN = "Parameters:\n  Cidr: { Type: String }\n" + OPEN_SSH.replace("CidrIp: 0.0.0.0/0", "CidrIp: !Ref Cidr");

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "parapet-config-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function json(args: string[], cwd: string) {
  const out = await run([...args, "-f", "json"], cwd);
  return { code: out.code, stderr: out.stderr, report: out.stdout ? JSON.parse(out.stdout) : undefined };
}

const ONLY_SSH = "only: [sg-no-ssh-from-internet]\n";

describe("finding and validating the configuration", () => {
  it("is found by walking up from the working folder", async () => {
    const root = project({ ".parapet.yaml": ONLY_SSH + "fail-on: critical\n", "stacks/a.yaml": OPEN_SSH });
    const out = await json(["a.yaml"], join(root, "stacks"));
    expect(out.code).toBe(0); // the high finding is below the configured threshold
    expect(out.report.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(["sg-no-ssh-from-internet"]);
  });

  it("--config names another file; the command line wins over it", async () => {
    const root = project({ "ci/parapet.yaml": ONLY_SSH + "fail-on: critical\n", "a.yaml": OPEN_SSH });
    expect((await json(["--config", "ci/parapet.yaml", "a.yaml"], root)).code).toBe(0);
    expect((await json(["--config", "ci/parapet.yaml", "--fail-on", "high", "a.yaml"], root)).code).toBe(1);
    expect(await run(["--config", "nope.yaml", "a.yaml"], root)).toMatchObject({ code: 2, stderr: "parapet: --config: file not found: nope.yaml\n" });
  });

  it("an invalid configuration exits 2 with file, line and the offending key", async () => {
    const root = project({ ".parapet.yaml": "preset: strict\nfail_on: high\n", "a.yaml": OPEN_SSH });
    expect(await run(["a.yaml"], root)).toMatchObject({
      code: 2,
      stderr: 'parapet: .parapet.yaml:2:1: invalid configuration: unknown key "fail_on" (did you mean "fail-on"?)\n',
    });
  });
});

describe("every problem of the configuration at once", () => {
  const lines = (stderr: string) => stderr.split("\n").filter(Boolean);

  it("lists each problem at its line and column, in file order, with the nearest known name", async () => {
    const root = project({
      ".parapet.yaml": [
        "presett: strict", //                          1: unknown key
        "skip: [ebs-encryptd]", //                     2: misspelt rule id
        "fail-on: hihg", //                            3: not a severity
        "severity: { ec2-no-public-ipp: high }", //    4: misspelt rule id as a key
        "suppressions:", //                            5
        "  - rule: sg-no-ssh-from-internet", //        6
        "    reasn: closed at the VPN", //             7: unknown key of an entry
        "limits:", //                                  8
        "  max-dept: 3", //                            9: unknown limit
        "",
      ].join("\n"),
      "a.yaml": OPEN_SSH,
    });
    const out = await run(["a.yaml"], root);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe("");
    expect(lines(out.stderr)).toEqual([
      'parapet: .parapet.yaml:1:1: invalid configuration: unknown key "presett" (did you mean "preset"?)',
      'parapet: .parapet.yaml:2:8: invalid configuration: skip[0]: no rule or category "ebs-encryptd" (did you mean "ebs-encrypted"?) (see parapet rules)',
      'parapet: .parapet.yaml:3:1: invalid configuration: fail-on: must be one of critical, high, medium, low, info (did you mean "high"?)',
      'parapet: .parapet.yaml:4:13: invalid configuration: severity.ec2-no-public-ipp: no rule "ec2-no-public-ipp" (did you mean "ec2-no-public-ip"?) (see parapet rules)',
      'parapet: .parapet.yaml:7:5: invalid configuration: suppressions.0: unknown key "reasn" (did you mean "reason"?)',
      'parapet: .parapet.yaml:9:3: invalid configuration: limits: unknown key "max-dept" (did you mean "max-depth"?)',
    ]);
  });

  it("a misspelt rule id in a valid configuration is reported at its line there, not as a --skip", async () => {
    const root = project({ ".parapet.yaml": "preset: strict\nonly:\n  - sg-no-ssh-from-internet\n  - sg-no-rdp-form-internet\nunsuppressible: [ebs-encrytped]\n", "a.yaml": OPEN_SSH });
    const out = await run(["a.yaml"], root);
    expect(out.code).toBe(2);
    expect(lines(out.stderr)).toEqual([
      'parapet: .parapet.yaml:4:5: invalid configuration: only[1]: no rule or category "sg-no-rdp-form-internet" (did you mean "sg-no-rdp-from-internet"?) (see parapet rules)',
      'parapet: .parapet.yaml:5:18: invalid configuration: unsuppressible[0]: no rule "ebs-encrytped" (did you mean "ebs-encrypted"?) (see parapet rules)',
    ]);
    // The same id typed on the command line is the command line's mistake.
    expect((await run(["--skip", "ebs-encrytped", "a.yaml"], project({ "a.yaml": OPEN_SSH }))).stderr).toBe(
      'parapet: --skip: no rule or category "ebs-encrytped" (did you mean "ebs-encrypted"?) (see parapet rules)\n',
    );
  });

  it("a rule id of the configuration's own rule folder is known; a category is accepted where categories are", async () => {
    const root = project({ ".parapet.yaml": "skip: [detection]\nsuppressions:\n  - { rule: '*', paths: ['x/**'], reason: generated }\n", "a.yaml": OPEN_SSH });
    expect((await run(["a.yaml"], root)).code).toBe(1);
    const wrong = project({ ".parapet.yaml": "severity: { detection: low }\n", "a.yaml": OPEN_SSH });
    expect((await run(["a.yaml"], wrong)).stderr).toContain('.parapet.yaml:1:13: invalid configuration: severity.detection: no rule "detection"');
    const rulesDir = fileURLToPath(new URL("../fixtures/rules/good", import.meta.url));
    const own = project({ ".parapet.yaml": `rules: ['${rulesDir}']\nseverity: { volume-tagged: low }\n`, "a.yaml": OPEN_SSH });
    expect(await run(["a.yaml"], own)).toMatchObject({ code: 1, stderr: "" });
  });

  it("a suppression's until must be a calendar day", async () => {
    const root = project({ ".parapet.yaml": "suppressions:\n  - rule: ebs-encrypted\n    reason: scratch\n    until: '2027-02-30'\n", "a.yaml": OPEN_SSH });
    expect(await run(["a.yaml"], root)).toMatchObject({
      code: 2,
      stderr: 'parapet: .parapet.yaml:4:5: invalid configuration: suppressions.0.until "2027-02-30" is not a day written YYYY-MM-DD\n',
    });
  });

  it("a YAML syntax error is reported with its place, and sub-commands read the same file", async () => {
    const root = project({ ".parapet.yaml": "skip: [a\n", "a.yaml": OPEN_SSH });
    const out = await run(["rules"], root);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^parapet: \.parapet\.yaml:\d+:\d+: invalid configuration file: /);
  });
});

describe("settings", () => {
  it("severity overrides, presets and format", async () => {
    const root = project({ ".parapet.yaml": ONLY_SSH + "severity: { sg-no-ssh-from-internet: low }\nformat: sarif\n", "a.yaml": OPEN_SSH });
    const sarif = JSON.parse((await run(["a.yaml"], root)).stdout);
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: "sg-no-ssh-from-internet", level: "note" });
  });

  it("parameter values by template glob; --param wins", async () => {
    const root = project({
      ".parapet.yaml": ONLY_SSH + "parameters:\n  - files: 'prod/**'\n    values: { Cidr: 0.0.0.0/0 }\n  - files: 'dev/*.yaml'\n    values: { Cidr: 10.0.0.0/8 }\n",
      "prod/a.yaml": ADMIN,
      "dev/a.yaml": ADMIN,
    });
    const out = await json(["."], root);
    expect(out.report.findings.map((f: { file: string; kind: string }) => [f.file, f.kind])).toEqual([["prod/a.yaml", "fail"]]);
    const overridden = await json(["--param", "Cidr=10.1.0.0/16", "."], root);
    expect(overridden.report.findings).toEqual([]);
  });
});

describe("suppressions in the configuration", () => {
  const files = (suppressions: string, extra = "") => ({
    ".parapet.yaml": ONLY_SSH + extra + "suppressions:\n" + suppressions,
    "legacy/a.yaml": OPEN_SSH,
    "new/a.yaml": OPEN_SSH,
  });

  it("by path glob, with a reason: external suppressions that stay in the output", async () => {
    const root = project(files("  - { rule: sg-no-ssh-from-internet, paths: ['legacy/**'], reason: decommissioned in Q1 }\n"));
    const out = await json(["."], root);
    expect(out.code).toBe(1);
    expect(out.report.findings.map((f: { file: string; suppressions: unknown[] }) => [f.file, f.suppressions])).toEqual([
      ["legacy/a.yaml", [{ kind: "external", justification: "decommissioned in Q1" }]],
      ["new/a.yaml", []],
    ]);
  });

  it("by resource address glob", async () => {
    const root = project(files("  - { rule: '*', addresses: ['Bast*'], reason: reviewed }\n"));
    const out = await json(["."], root);
    expect(out.code).toBe(0);
    expect(out.report.findings.every((f: { suppressions: unknown[] }) => f.suppressions.length === 1)).toBe(true);
  });

  it("an address glob for a Terraform block covers its count and for_each instances", async () => {
    const rule = (name: string) =>
      `resource "aws_security_group_rule" "${name}" {\n  for_each = toset(["a", "b"])\n  type = "ingress"\n  security_group_id = "sg-1"\n  protocol = "tcp"\n  from_port = 22\n  to_port = 22\n  cidr_blocks = ["0.0.0.0/0"]\n}\n`;
    const root = project({
      ".parapet.yaml": ONLY_SSH + "suppressions:\n  - { rule: '*', addresses: ['aws_security_group_rule.legacy'], reason: reviewed }\n",
      "main.tf": rule("legacy") + rule("fresh"),
    });
    const out = await json(["."], root);
    expect(out.report.findings.map((f: { address: string; suppressions: unknown[] }) => [f.address, f.suppressions.length])).toEqual([
      ['aws_security_group_rule.legacy["a"]', 1],
      ['aws_security_group_rule.legacy["b"]', 1],
      ['aws_security_group_rule.fresh["a"]', 0],
      ['aws_security_group_rule.fresh["b"]', 0],
    ]);
  });

  it("needs a reason unless require-reason is false; an expired one brings the finding back", async () => {
    const noReason = await json(["."], project(files("  - { rule: sg-no-ssh-from-internet }\n")));
    expect(noReason.report.findings[0].message).toContain("its suppression is ignored: it gives no reason");
    const allowed = await json(["."], project(files("  - { rule: sg-no-ssh-from-internet }\n", "require-reason: false\n")));
    expect(allowed.code).toBe(0);
    const expired = await json(["."], project(files("  - { rule: sg-no-ssh-from-internet, reason: temporary, until: '2020-01-01' }\n")));
    expect(expired.code).toBe(1);
    expect(expired.report.findings[0].message).toContain("its suppression expired on 2020-01-01");
  });

  it("rules marked unsuppressible ignore every suppression", async () => {
    const root = project(files("  - { rule: sg-no-ssh-from-internet, reason: no }\n", "unsuppressible: [sg-no-ssh-from-internet]\n"));
    const out = await json(["."], root);
    expect(out.code).toBe(1);
    expect(out.report.findings[0].message).toContain("unsuppressible");
  });
});
