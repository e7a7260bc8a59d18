// Text encodings: every reader decodes by byte order mark (UTF-8, UTF-16, UTF-32) or by the
// NUL bytes of UTF-16/UTF-32 without one; lines and columns are the same as in the UTF-8 copy
// of a file; bytes that are no text are a finding at the first of them; Terraform, which reads
// only UTF-8, gets a finding saying so. Nothing is skipped silently.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";
import { decodeText } from "../../src/source/decode.js";
import { project, runJson } from "./helpers.js";

const OPEN = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: café ☕ 𝄞\n      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }\n`;
const OPEN_TF = `resource "aws_security_group" "open" {\n  description = "café"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`;

const utf16be = (text: string) => Buffer.from(text, "utf16le").swap16();
function utf32(text: string, littleEndian: boolean): Buffer {
  const points = [...text].map((c) => c.codePointAt(0)!);
  const out = Buffer.alloc(points.length * 4);
  points.forEach((p, i) => (littleEndian ? out.writeUInt32LE(p, i * 4) : out.writeUInt32BE(p, i * 4)));
  return out;
}
const BOM = { "UTF-8": [0xef, 0xbb, 0xbf], "UTF-16LE": [0xff, 0xfe], "UTF-16BE": [0xfe, 0xff], "UTF-32LE": [0xff, 0xfe, 0, 0], "UTF-32BE": [0, 0, 0xfe, 0xff] };
const ENCODE = {
  "UTF-8": (t: string) => Buffer.from(t, "utf8"),
  "UTF-16LE": (t: string) => Buffer.from(t, "utf16le"),
  "UTF-16BE": utf16be,
  "UTF-32LE": (t: string) => utf32(t, true),
  "UTF-32BE": (t: string) => utf32(t, false),
} as const;
type Encoding = keyof typeof ENCODE;
const encode = (text: string, encoding: Encoding, bom = true) => Buffer.concat([Buffer.from(bom ? BOM[encoding] : []), ENCODE[encoding](text)]);

describe("the decoder", () => {
  const text = "a: café 𝄞\nb: 1\n";
  it.each([
    ["UTF-8", true, "byte order mark"],
    ["UTF-8", false, "default"],
    ["UTF-16LE", true, "byte order mark"],
    ["UTF-16BE", true, "byte order mark"],
    ["UTF-32LE", true, "byte order mark"],
    ["UTF-32BE", true, "byte order mark"],
    ["UTF-16LE", false, "NUL bytes"],
    ["UTF-16BE", false, "NUL bytes"],
    ["UTF-32LE", false, "NUL bytes"],
    ["UTF-32BE", false, "NUL bytes"],
  ] as const)("%s (byte order mark: %s) is told by its %s and decoded without the mark", (encoding, bom, by) => {
    expect(decodeText(encode(text, encoding, bom))).toEqual({ text, encoding, by });
  });

  // Columns count UTF-16 code units of the text before the bad bytes: `é` is one, `𝄞` two.
  it.each([
    ["a Latin-1 byte", Buffer.from("ab\ncaf\xe9 x", "latin1"), "UTF-8", 2, 4, "the bytes 0xE9 0x20 are no UTF-8 character"],
    ["after wide characters on the line", Buffer.concat([Buffer.from("x\né𝄞"), Buffer.from([0xff])]), "UTF-8", 2, 4, "the byte 0xFF is no UTF-8 character"],
    ["after a UTF-8 byte order mark (not counted)", Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x80]), "UTF-8", 1, 2, "the byte 0x80 is no UTF-8 character"],
    ["a character cut off at the end", Buffer.from([0x61, 0x0a, 0x62, 0xe2, 0x82]), "UTF-8", 2, 2, "the bytes 0xE2 0x82 are no UTF-8 character"],
    ["an overlong form", Buffer.from([0x61, 0xc0, 0x80]), "UTF-8", 1, 2, "the bytes 0xC0 0x80 are no UTF-8 character"],
    ["an encoded surrogate", Buffer.from([0xed, 0xa0, 0x80]), "UTF-8", 1, 1, "the bytes 0xED 0xA0 are no UTF-8 character"],
    ["a lone surrogate", Buffer.concat([Buffer.from(BOM["UTF-16LE"]), Buffer.from("ab\nc", "utf16le"), Buffer.from([0x3d, 0xd8, 0x61, 0x00])]), "UTF-16LE", 2, 2, "the bytes 0x3D 0xD8 are half of a character (an unpaired surrogate)"],
    ["half a UTF-16 character at the end", Buffer.concat([Buffer.from(BOM["UTF-16BE"]), utf16be("ab"), Buffer.from([0x00])]), "UTF-16BE", 1, 3, "the file ends in the middle of a character"],
    ["a UTF-32 value above U+10FFFF", Buffer.concat([encode("a\n", "UTF-32LE"), Buffer.from([0, 0, 0x11, 0])]), "UTF-32LE", 2, 1, "the bytes 0x00 0x00 0x11 0x00 are no character"],
  ])("bytes that are no text are told at the first of them: %s", (_, bytes, encoding, line, column, what) => {
    const decoded = decodeText(bytes);
    expect(decoded.encoding).toBe(encoding);
    expect(decoded.invalid).toEqual({ line, column, message: expect.stringContaining(`the file is not valid ${encoding} text: ${what}`) });
  });

  it("binary data is not taken for UTF-16 or UTF-32 without a byte order mark", () => {
    const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x03, 0x00, 0x3e, 0x00]);
    expect(decodeText(elf).encoding).toBe("UTF-8");
    // One NUL-patterned character is not enough: the first characters must mostly be.
    expect(decodeText(Buffer.from([0x41, 0x00, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0x90])).encoding).toBe("UTF-8");
  });
});

describe("CloudFormation templates in every encoding", () => {
  it.each(["UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"] as const)("a %s template is checked, at the positions of its UTF-8 copy, with a note on its encoding", async (encoding) => {
    const dir = project({ "utf8.yaml": OPEN, "other.yaml": encode(OPEN, encoding), "nobom.yaml": encode(OPEN, encoding, false) });
    const r = await runJson([], dir);
    expect(r.code).toBe(1);
    const [expected] = r.findings.filter((f) => f.file === "utf8.yaml");
    expect(expected).toMatchObject({ ruleId: "sg-no-ssh-from-internet", line: 8 });
    for (const file of ["other.yaml", "nobom.yaml"]) {
      const findings = r.findings.filter((f) => f.file === file);
      expect(findings.map(({ ruleId, line, column }) => ({ ruleId, line, column }))).toEqual([
        { ruleId: "template-encoding", line: 1, column: 1 },
        { ruleId: "sg-no-ssh-from-internet", line: expected!.line, column: expected!.column },
      ]);
      expect(findings[0]!.message).toMatch(new RegExp(`^the template is ${encoding} \\((it starts with a byte order mark|without a byte order mark)`));
    }
    expect(r.report?.files).toEqual(["nobom.yaml", "other.yaml", "utf8.yaml"]);
  });

  it("a UTF-8 byte order mark shifts no column and needs no note", async () => {
    const dir = project({ "plain.json": JSON.stringify(JSON.parse(`{"Resources":{"Sg":{"Type":"AWS::EC2::SecurityGroup","Properties":{"GroupDescription":"é","SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"CidrIp":"0.0.0.0/0"}]}}}}`), null, 1) });
    writeFileSync(join(dir, "bom.json"), encode(JSON.stringify(JSON.parse(`{"Resources":{"Sg":{"Type":"AWS::EC2::SecurityGroup","Properties":{"GroupDescription":"é","SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"CidrIp":"0.0.0.0/0"}]}}}}`), null, 1), "UTF-8"));
    const r = await runJson([], dir);
    const at = (file: string) => r.findings.filter((f) => f.file === file).map(({ ruleId, line, column }) => ({ ruleId, line, column }));
    expect(at("bom.json")).toEqual(at("plain.json"));
    expect(at("bom.json")).toHaveLength(1);
    expect(r.findings.filter((f) => f.file === "bom.json").map((f) => f.ruleId)).toEqual(["sg-no-ssh-from-internet"]);
  });

  it("a template that is not valid UTF-8 is a finding at the first bad byte, not read with replacement characters", async () => {
    // `é` written as Latin-1 at line 6, after `      GroupDescription: caf` (27 characters).
    const latin1 = Buffer.from(OPEN.replace("café ☕ 𝄞", "café"), "latin1");
    const dir = project({ "latin1.yaml": latin1, "open.yaml": OPEN });
    const r = await runJson([], dir);
    expect(r.code).toBe(1);
    expect(r.findings.filter((f) => f.file === "latin1.yaml")).toMatchObject([
      { ruleId: "parse-error", line: 6, column: 28, message: expect.stringMatching(/^the file is not valid UTF-8 text: the bytes 0xE9 0x0A are no UTF-8 character \(was it saved in another encoding/) },
    ]);
    expect(r.findings.some((f) => f.file === "open.yaml" && f.ruleId === "sg-no-ssh-from-internet")).toBe(true);
  });

  it("a template that links to another is read in its encoding too", async () => {
    const exporter = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Topic: { Type: AWS::SNS::Topic }\nOutputs:\n  Cidr:\n    Value: 0.0.0.0/0\n    Export: { Name: open-cidr }\n`;
    const importer = OPEN.replace("CidrIp: 0.0.0.0/0", 'CidrIp: !ImportValue open-cidr');
    const dir = project({ "exporter.yaml": encode(exporter, "UTF-16LE"), "importer.yaml": encode(importer, "UTF-16BE") });
    const r = await runJson([], dir);
    expect(r.findings.filter((f) => f.file === "importer.yaml").map((f) => f.ruleId)).toEqual(["template-encoding", "sg-no-ssh-from-internet"]);
    expect(r.findings.filter((f) => f.file === "exporter.yaml").map((f) => f.ruleId)).toEqual(["template-encoding"]);
  });
});

describe("Terraform reads only UTF-8", () => {
  it("a UTF-16 .tf file is a finding saying Terraform rejects it; a UTF-8 byte order mark is read, positions unchanged", async () => {
    const dir = project({ "utf16/main.tf": encode(OPEN_TF, "UTF-16LE"), "bom/main.tf": encode(OPEN_TF, "UTF-8"), "plain/main.tf": OPEN_TF });
    const r = await runJson([], dir);
    expect(r.code).toBe(1);
    expect(r.findings.filter((f) => f.file === "utf16/main.tf")).toMatchObject([
      { ruleId: "parse-error", line: 1, column: 1, message: "the file is UTF-16LE (it starts with a byte order mark); Terraform reads only UTF-8 and rejects it: save it as UTF-8" },
    ]);
    const at = (file: string) => r.findings.filter((f) => f.file === file).map(({ ruleId, line, column }) => ({ ruleId, line, column }));
    expect(at("bom/main.tf")).toEqual(at("plain/main.tf"));
    expect(at("plain/main.tf")).toEqual([{ ruleId: "sg-no-ssh-from-internet", line: 7, column: 5 }]);
  });

  it("a .tf file that is not valid UTF-8 is a finding at the first bad byte", async () => {
    const dir = project({ "main.tf": Buffer.from(OPEN_TF, "latin1") });
    const r = await runJson([], dir);
    expect(r.findings).toMatchObject([{ file: "main.tf", ruleId: "parse-error", line: 2, column: 21, message: expect.stringMatching(/^the file is not valid UTF-8 text: the bytes 0xE9 0x22 are no UTF-8 character/) }]);
  });

  it("a UTF-16 terraform.tfvars is a note, and a UTF-16 --var-file an error naming file, line and column", async () => {
    const main = `variable "cidr" {\n  default = "10.0.0.0/8"\n}\n${OPEN_TF.replace('["0.0.0.0/0"]', "[var.cidr]")}`;
    const dir = project({ "main.tf": main, "terraform.tfvars": encode('cidr = "0.0.0.0/0"\n', "UTF-16LE"), "bad.tfvars": Buffer.from('cidr = "caf\xe9"\n', "latin1") });
    const r = await runJson([], dir);
    expect(r.report?.notes).toContainEqual(expect.stringContaining("terraform.tfvars: cannot read variables (the file is UTF-16LE (it starts with a byte order mark); Terraform reads only UTF-8"));
    const bad = await run(["--var-file", "bad.tfvars", "."], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^parapet: --var-file bad\.tfvars:1:12: the file is not valid UTF-8 text/);
  });

  it("a plan written by Windows PowerShell (UTF-16LE) is read: parapet is its only reader", async () => {
    const plan = {
      format_version: "1.2",
      planned_values: {
        root_module: {
          resources: [{ address: "aws_ebs_volume.v", mode: "managed", type: "aws_ebs_volume", name: "v", values: { encrypted: false, availability_zone: "eu-west-1a", size: 8 } }],
        },
      },
    };
    const dir = project({ "plan.json": encode(JSON.stringify(plan), "UTF-16LE") });
    const r = await runJson(["plan.json"], dir);
    expect(r.findings.map((f) => [f.file, f.ruleId])).toEqual([["plan.json", "ebs-encrypted"]]);
  });
});

describe("CDK cloud assemblies", () => {
  const manifest = JSON.stringify({ version: "36.0.0", artifacts: { Stack: { type: "aws:cloudformation:stack", properties: { templateFile: "Stack.template.json" } } } });
  const template = JSON.stringify({ Resources: { Sg: { Type: "AWS::EC2::SecurityGroup", Properties: { GroupDescription: "x", SecurityGroupIngress: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIp: "0.0.0.0/0" }] } } } }, null, 1);

  it("a UTF-16 manifest and template are read, with a note on the template's encoding", async () => {
    const dir = project({ "out/manifest.json": encode(manifest, "UTF-16LE"), "out/Stack.template.json": encode(template, "UTF-16BE") });
    const r = await runJson(["out"], dir);
    expect(r.findings.map((f) => [f.file, f.ruleId])).toEqual([
      ["out/Stack.template.json", "template-encoding"],
      ["out/Stack.template.json", "sg-no-ssh-from-internet"],
    ]);
  });

  it("an assembly template that is not valid UTF-8 is a finding at the first bad byte", async () => {
    const dir = project({ "out/manifest.json": manifest, "out/Stack.template.json": Buffer.concat([Buffer.from(template.slice(0, 20)), Buffer.from([0xff]), Buffer.from(template.slice(20))]) });
    const r = await runJson(["out"], dir);
    expect(r.code).toBe(1);
    expect(r.findings).toMatchObject([{ file: "out/Stack.template.json", ruleId: "parse-error", line: 3, column: 3, message: expect.stringMatching(/^the file is not valid UTF-8 text: the bytes 0xFF 0x22 are no UTF-8 character/) }]);
  });
});

describe("parapet's own files", () => {
  it("a UTF-16 .parapet.yaml, parameter file and baseline are read; one with bad bytes is an error at file:line:column", async () => {
    const admin = OPEN.replace("CidrIp: 0.0.0.0/0", "CidrIp: !Ref Cidr").replace("Resources:", "Parameters:\n  Cidr: { Type: String, Default: 10.0.0.0/8 }\nResources:");
    const dir = project({
      "stack.yaml": admin,
      "params.json": encode(JSON.stringify([{ ParameterKey: "Cidr", ParameterValue: "0.0.0.0/0" }]), "UTF-16LE"),
      ".parapet.yaml": encode("only: [sg-no-ssh-from-internet]\n", "UTF-16BE"),
    });
    const withParams = await runJson(["--param-file", "params.json", "stack.yaml"], dir);
    expect(withParams.findings.map((f) => f.ruleId)).toEqual(["sg-no-ssh-from-internet"]);
    expect((await run(["--param-file", "params.json", "--write-baseline", "base.json", "stack.yaml"], dir)).code).not.toBe(2);
    const base = join(dir, "base.json");
    writeFileSync(base, encode((await import("node:fs")).readFileSync(base, "utf8"), "UTF-16LE"));
    expect((await runJson(["--param-file", "params.json", "--baseline", "base.json", "stack.yaml"], dir)).findings).toEqual([]);

    writeFileSync(join(dir, ".parapet.yaml"), Buffer.from("only:\n  - sg-no-ssh-from-internet # caf\xe9\n", "latin1"));
    const bad = await run(["stack.yaml"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^parapet: \.parapet\.yaml:2:34: invalid configuration file: the file is not valid UTF-8 text/);
    writeFileSync(join(dir, ".parapet.yaml"), "");
    writeFileSync(join(dir, "params.json"), Buffer.from('[{"ParameterKey":"Cidr","ParameterValue":"caf\xe9"}]', "latin1"));
    const badParams = await run(["--param-file", "params.json", "stack.yaml"], dir);
    expect(badParams.code).toBe(2);
    expect(badParams.stderr).toMatch(/^parapet: parameter file params\.json:1:46: the file is not valid UTF-8 text/);
  });
});
