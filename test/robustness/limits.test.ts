// Limits on size, depth, alias expansion and time: each yields a parse-error finding that
// names the limit and its value, for that file only; the other files are still checked.
import { describe, expect, it } from "vitest";
import type { InputFile } from "../../src/discovery/discover.js";
import { lintText } from "../../src/pipeline/lint.js";
import { builtinRules } from "../../src/rules/load.js";
import { findTooDeep } from "../../src/limits/depth.js";
import { parseSize, readLimitSettings } from "../../src/limits/limits.js";
import { project, runJson, template } from "./helpers.js";

const rules = builtinRules();
const file = (path: string): InputFile => ({ path, absolutePath: `/nowhere/${path}`, explicit: true });
const lintOne = (path: string, text: string, limits = {}) => lintText(file(path), text, { rules, limits });

const OPEN_SSH = `      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: 0.0.0.0/0\n`;
const openSsh = `Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n${OPEN_SSH}`;

describe("file size", () => {
  it("a file over max-file-size is one finding naming the limit; the next file is still checked", async () => {
    const big = template(`      UserData: "${"x".repeat(2048)}"\n`);
    const dir = project({ "a-big.yaml": big, "b-open.yaml": openSsh });
    const r = await runJson(["--max-file-size", "1KB"], dir);
    expect(r.code).toBe(1);
    const big_ = r.findings.filter((f) => f.file === "a-big.yaml");
    expect(big_).toHaveLength(1);
    expect(big_[0]).toMatchObject({ ruleId: "parse-error", line: 1, column: 1 });
    expect(big_[0]!.message).toMatch(/^limit exceeded: the file is 2\.\d KiB \(max-file-size is 1 KiB\); the file was not checked$/);
    expect(r.findings.some((f) => f.file === "b-open.yaml" && f.ruleId === "sg-no-ssh-from-internet")).toBe(true);
    // Under the default limit the same file is read and checked.
    const plain = await runJson([], dir);
    expect(plain.findings.filter((f) => f.file === "a-big.yaml" && f.ruleId === "parse-error")).toEqual([]);
  });

  it("a 50 MB scalar is refused before it is parsed, in well under a second", () => {
    const text = template(`      UserData: ${"A".repeat(50 * 1024 * 1024)}\n`);
    const started = Date.now();
    const out = lintOne("huge.yaml", text);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(out.findings.map((f) => f.message)).toEqual([expect.stringMatching(/the file is 50(\.0)? MiB \(max-file-size is 10 MiB\)/)]);
  });

  it("reads sizes with units and rejects nonsense with exit 2", async () => {
    expect(parseSize("10MB")).toBe(10 * 1024 * 1024);
    expect(parseSize("512k")).toBe(512 * 1024);
    expect(parseSize("2048")).toBe(2048);
    expect(parseSize("ten")).toBeUndefined();
    const r = await runJson(["--max-file-size", "huge"], project({ "t.yaml": template() }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('parapet: --max-file-size: "huge" is not a size such as 10MB, 512KB or a number of bytes\n');
  });
});

describe("nesting depth", () => {
  const nestedYaml = (n: number) => template(`      Tags: ${"[".repeat(n)}${"]".repeat(n)}\n`);

  it("YAML flow nesting 10,000 deep is a finding at the line where it goes too deep", () => {
    const out = lintOne("deep.yaml", nestedYaml(10_000));
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({ ruleId: "parse-error", position: { line: 6 } });
    expect(out.findings[0]!.message).toBe("limit exceeded: the data is nested more than 200 levels deep (max-depth is 200); the file was not checked");
  });

  it("block sequences 10,000 deep on one line (- - - x), and JSON 10,000 deep, are findings too", () => {
    const seq = lintOne("seq.yaml", template(`      Tags:\n${"- ".repeat(10_000)}x\n`));
    expect(seq.findings.map((f) => f.message)).toEqual([expect.stringContaining("(max-depth is 200)")]);
    const json = `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"A":{"Type":"AWS::EC2::Instance","Properties":{"X":${"[".repeat(10_000)}${"]".repeat(10_000)}}}}}`;
    const out = lintOne("deep.json", json);
    expect(out.findings.map((f) => f.message)).toEqual([expect.stringContaining("nested more than 200 levels deep (max-depth is 200)")]);
  });

  it("max-depth is configurable: 40 levels pass by default and fail at --max-depth 30", () => {
    expect(lintOne("d.yaml", nestedYaml(40)).findings.filter((f) => f.ruleId === "parse-error")).toEqual([]);
    expect(lintOne("d.yaml", nestedYaml(40), { maxDepth: 30 }).findings.map((f) => f.message)).toEqual([expect.stringContaining("(max-depth is 30)")]);
  });

  it("a YAML alias inside its own anchor is cut at the depth limit", () => {
    const out = lintOne("cycle.yaml", "AWSTemplateFormatVersion: x\nResources: &r\n  A: *r\n");
    expect(out.findings.map((f) => f.message)).toEqual([expect.stringContaining("max-depth")]);
  });

  it("HCL nested too deep is a finding of that .tf file; the other Terraform files of the folder are still read", async () => {
    const dir = project({
      "tf/deep.tf": `locals {\n  x = ${"[".repeat(5000)}${"]".repeat(5000)}\n}\n`,
      "tf/main.tf": `resource "aws_security_group" "open" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`,
    });
    const r = await runJson(["tf"], dir);
    expect(r.findings.filter((f) => f.file === "tf/deep.tf")).toMatchObject([{ ruleId: "parse-error", line: 2, message: expect.stringContaining("(max-depth is 200)") }]);
    expect(r.findings.some((f) => f.file === "tf/main.tf" && f.ruleId === "sg-no-ssh-from-internet")).toBe(true);
  });

  it("the upper bound of YAML depth skips quoted text, comments and block scalars", () => {
    const text = `a: "[[[[[["\nb: '{{{{'  # [[[[[[\nc: |\n  [[[[[[[[[[\n  {{{{{{{{\nd: [1, [2]]\n`;
    // d nests three levels (map, list, list); the bound counts its `d:` line as four, and the
    // brackets in quotes, the comment and the block scalar not at all.
    expect(findTooDeep(text, "yaml", 4)).toBeUndefined();
    expect(findTooDeep(text, "yaml", 3)).toBe(text.indexOf("[2]"));
    expect(findTooDeep(`x = "((((((("\n# {{{{{{\ny = <<EOT\n[[[[[[[\nEOT\n`, "hcl", 1)).toBeUndefined();
  });

  it("refuses a max-depth above what the parsers can read safely", () => {
    expect(() => readLimitSettings({ "max-depth": 5000 }, (n) => `--${n}`)).toThrow("--max-depth: 5000 is above the highest depth parapet can read safely (500)");
  });
});

describe("YAML aliases", () => {
  const bomb = (levels: number) => {
    let text = "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::EC2::Instance\n    Properties:\n      l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < levels; i++) text += `      l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(", ")}]\n`;
    return text;
  };

  it("an alias bomb (10^9 nodes) stops at max-alias-expansion, fast", () => {
    const started = Date.now();
    const out = lintOne("bomb.yaml", bomb(9));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(out.findings.map((f) => f.message)).toEqual([
      "limit exceeded: YAML aliases (*name) expand to too many nodes (max-alias-expansion is 10000); the file was not checked",
    ]);
  });

  it("modest alias use stays within the default and can be limited further", () => {
    expect(lintOne("ok.yaml", bomb(3)).findings.filter((f) => f.ruleId === "parse-error")).toEqual([]);
    expect(lintOne("ok.yaml", bomb(3), { maxAliasExpansion: 50 }).findings.map((f) => f.message)).toEqual([expect.stringContaining("(max-alias-expansion is 50)")]);
  });
});

describe("time per file", () => {
  it("a file that takes longer than file-timeout is a finding; the rest of the scan goes on", async () => {
    const many = Array.from({ length: 400 }, (_, i) => `  Sg${i}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n${OPEN_SSH.replace(/^ {6}/gm, "      ")}`).join("");
    const dir = project({ "a-slow.yaml": `Resources:\n${many}`, "b-open.yaml": openSsh });
    const r = await runJson(["--file-timeout", "0.001"], dir);
    expect(r.code).toBe(1);
    expect(r.findings.filter((f) => f.file === "a-slow.yaml")).toMatchObject([
      { ruleId: "parse-error", message: "limit exceeded: reading and checking the file took too long (file-timeout is 0.001 s); the file was not checked" },
    ]);
    const generous = await runJson(["--file-timeout", "60"], dir);
    expect(generous.findings.filter((f) => f.file === "a-slow.yaml" && f.ruleId === "sg-no-ssh-from-internet")).toHaveLength(400);
  });
});

describe("limits in .parapet.yaml", () => {
  it("are read from the limits key, and flags win over them", async () => {
    const dir = project({ ".parapet.yaml": "limits:\n  max-file-size: 1KB\n", "big.yaml": template(`      UserData: "${"x".repeat(2048)}"\n`) });
    expect((await runJson([], dir)).findings.map((f) => f.message)).toEqual([expect.stringContaining("(max-file-size is 1 KiB)")]);
    expect((await runJson(["--max-file-size", "1MB"], dir)).findings.filter((f) => f.ruleId === "parse-error")).toEqual([]);
  });

  it("an unknown limit or a bad value is a configuration error (exit 2) naming file and line", async () => {
    const unknown = await runJson([], project({ ".parapet.yaml": "limits:\n  max-files: 3\n", "t.yaml": template() }));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('parapet: .parapet.yaml:2:3: invalid configuration: limits: unknown key "max-files"\n');
    const bad = await runJson([], project({ ".parapet.yaml": "limits:\n  max-depth: 9000\n", "t.yaml": template() }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^parapet: \.parapet\.yaml:2:\d+: invalid configuration: limits\.max-depth: must be <= 500\n$/);
  });
});

describe("Terraform variables files", () => {
  it("a tfvars file nested too deep is a note naming the limit, and the module is still checked", async () => {
    const dir = project({
      "tf/main.tf": `variable "ports" {\n  default = [22]\n}\nresource "aws_security_group" "open" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`,
      "tf/terraform.tfvars": `ports = ${"[".repeat(3000)}${"]".repeat(3000)}\n`,
    });
    const r = await runJson(["tf"], dir);
    expect(r.report?.notes).toEqual([expect.stringMatching(/^tf\/terraform\.tfvars: cannot read variables \(limit exceeded: the values are nested more than 200 levels deep \(max-depth is 200\)/)]);
    expect(r.findings.some((f) => f.file === "tf/main.tf" && f.ruleId === "sg-no-ssh-from-internet")).toBe(true);
    const named = await runJson(["tf", "--var-file", "tf/terraform.tfvars"], dir);
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/^parapet: --var-file tf\/terraform\.tfvars: limit exceeded: the values are nested more than 200 levels deep/);
  });
});
