// Limits in CDK cloud assemblies: every JSON file of an assembly is read within max-file-size,
// and the nested stacks and Stages parapet does not follow past its fixed caps fail the run
// with a limit finding where the assembly goes too deep; the rest of the assembly is checked.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runJson } from "./helpers.js";

const STAGES = fileURLToPath(new URL("../fixtures/cdk/stages/cdk.out", import.meta.url));
const PROD = "cdk.out/assembly-Prod";
const NETWORK = `${PROD}/ProdNetwork2D2E7D69.template.json`;
const SERVICE = `${PROD}/ProdServiceC810982D.template.json`;

/** A copy of the Stages fixture (two stacks: Network, and Service with SSH open) in a new folder. */
function stagesCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "parapet-cdk-limits-"));
  cpSync(STAGES, join(dir, "cdk.out"), { recursive: true });
  return dir;
}

/** Pads a JSON file with trailing spaces (still the same JSON) to `bytes`. */
function padTo(path: string, bytes: number): void {
  const text = readFileSync(path, "utf8");
  writeFileSync(path, text + " ".repeat(Math.max(0, bytes - Buffer.byteLength(text))));
}

const summary = (findings: { ruleId: string; file: string }[]) => findings.map((f) => [f.ruleId, f.file]);
const SIZE_LIMIT = /^limit exceeded: the file is 40 KiB \(max-file-size is 32 KiB\); the file was not checked$/;

describe("CDK assembly files over max-file-size", () => {
  it("a stack template over the limit is a limit finding at it; the other stack is still checked", async () => {
    const dir = stagesCopy();
    const plain = await runJson(["cdk.out", "--max-file-size", "32KB"], dir);
    expect(plain.code).toBe(1);
    expect(summary(plain.findings)).toEqual([
      ["ec2-no-public-ip", NETWORK],
      ["sg-no-ssh-from-internet", SERVICE],
    ]);
    padTo(join(dir, NETWORK), 40 * 1024);
    const r = await runJson(["cdk.out", "--max-file-size", "32KB"], dir);
    expect(r.code).toBe(1);
    expect(summary(r.findings)).toEqual([
      ["parse-error", NETWORK],
      ["sg-no-ssh-from-internet", SERVICE],
    ]);
    expect(r.findings[0]).toMatchObject({ line: 1, column: 1, message: expect.stringMatching(SIZE_LIMIT) });
  });

  it("a stack's metadata or asset manifest over the limit is a limit finding at that file; the stacks are still checked", async () => {
    for (const name of ["ProdServiceC810982D.metadata.json", "ProdServiceC810982D.assets.json"]) {
      const dir = stagesCopy();
      padTo(join(dir, PROD, name), 40 * 1024);
      const r = await runJson(["cdk.out", "--max-file-size", "32KB"], dir);
      expect(r.code).toBe(1);
      expect(r.findings.filter((f) => f.ruleId === "parse-error")).toMatchObject([{ file: `${PROD}/${name}`, line: 1, column: 1, message: expect.stringMatching(SIZE_LIMIT) }]);
      expect(r.findings.map((f) => f.ruleId).sort()).toEqual(["ec2-no-public-ip", "parse-error", "sg-no-ssh-from-internet"]);
      // Under the default limit the same file is read: no finding for it.
      expect((await runJson(["cdk.out"], dir)).findings.filter((f) => f.ruleId === "parse-error")).toEqual([]);
    }
  });

  it("a Stage's manifest over the limit is a limit finding at it: the stacks it lists cannot be known", async () => {
    const dir = stagesCopy();
    padTo(join(dir, PROD, "manifest.json"), 40 * 1024);
    const r = await runJson(["cdk.out", "--max-file-size", "32KB"], dir);
    expect(r.code).toBe(1);
    expect(r.findings).toMatchObject([{ ruleId: "parse-error", file: `${PROD}/manifest.json`, message: expect.stringMatching(SIZE_LIMIT) }]);
  });

  it("an assembly manifest over the default limit is still an assembly: a limit finding, and checked when the limit is raised", async () => {
    const dir = stagesCopy();
    padTo(join(dir, "cdk.out", "manifest.json"), 11 * 1024 * 1024);
    const r = await runJson(["cdk.out"], dir);
    expect(r.code).toBe(1);
    expect(r.findings).toMatchObject([{ ruleId: "parse-error", file: "cdk.out/manifest.json", message: expect.stringMatching(/^limit exceeded: the file is 11 MiB \(max-file-size is 10 MiB\)/) }]);
    // Not read as loose templates either: the assembly's templates are linted as its stacks.
    expect(r.report?.files).toEqual([]);
    const raised = await runJson(["cdk.out", "--max-file-size", "20MB"], dir);
    expect(summary(raised.findings)).toEqual([
      ["ec2-no-public-ip", NETWORK],
      ["sg-no-ssh-from-internet", SERVICE],
    ]);
  });
});

/** Writes a cloud assembly: `files` (path → JSON data) under `dir`. */
function assembly(dir: string, files: Record<string, unknown>): void {
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), JSON.stringify(data, null, 1));
  }
}

const manifest = (artifacts: Record<string, unknown>) => ({ version: "36.0.0", artifacts });
const stack = (template: string) => ({ type: "aws:cloudformation:stack", environment: "aws://unknown-account/unknown-region", properties: { templateFile: template } });
const stage = (folder: string) => ({ type: "cdk:cloud-assembly", properties: { directoryName: folder, displayName: folder } });
/** A security group that opens SSH to the template's `Cidr` parameter. */
const openTo = (cidr: unknown) => ({
  Type: "AWS::EC2::SecurityGroup",
  Properties: { GroupDescription: "x", SecurityGroupIngress: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIp: cidr }] },
});
const CIDR = { Parameters: { Cidr: { Type: "String", Default: "10.0.0.0/8" } } };

describe("CDK assemblies past the nesting parapet follows", () => {
  /** A stack whose nested stacks form a chain of `n` templates; the first passes 0.0.0.0/0 down and the last opens SSH to it. */
  function nestedChain(n: number): string {
    const dir = mkdtempSync(join(tmpdir(), "parapet-cdk-nested-"));
    const name = (i: number) => (i === 0 ? "Top.template.json" : `Top${i}.nested.template.json`);
    const files: Record<string, unknown> = { "cdk.out/manifest.json": manifest({ Top: stack("Top.template.json") }) };
    for (let i = 0; i < n - 1; i++) {
      const child = {
        Type: "AWS::CloudFormation::Stack",
        Metadata: { "aws:asset:path": name(i + 1) },
        Properties: { TemplateURL: `https://example.com/${name(i + 1)}`, Parameters: { Cidr: i === 0 ? "0.0.0.0/0" : { Ref: "Cidr" } } },
      };
      files[`cdk.out/${name(i)}`] = { ...(i > 0 ? CIDR : {}), Resources: { Child: child } };
    }
    files[`cdk.out/${name(n - 1)}`] = { ...CIDR, Resources: { Sg: openTo({ Ref: "Cidr" }) } };
    assembly(dir, files);
    return dir;
  }

  it("nested stacks more than 8 deep: a limit finding at the nested stack not followed fails the run", async () => {
    const deep = await runJson(["cdk.out"], nestedChain(10));
    expect(deep.code).toBe(1);
    expect(deep.findings.map((f) => [f.ruleId, f.file, f.message])).toEqual([
      [
        "parse-error",
        "cdk.out/Top8.nested.template.json",
        "limit exceeded: nested stack Child is more than 8 stacks deep (fixed limit: stack nesting); it was not checked with the parameters its parent passes: " +
          "a stack that nests itself never ends; otherwise lint the deeper stacks on their own with the parameters they are given (--param)",
      ],
    ]);
    expect(deep.findings[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
    expect(deep.findings[0]!.line).toBeGreaterThan(1);
    // Four deep, the value is followed down and the rule fails in the last template.
    const shallow = await runJson(["cdk.out"], nestedChain(4));
    expect(shallow.findings.map((f) => [f.ruleId, f.file])).toEqual([["sg-no-ssh-from-internet", "cdk.out/Top3.nested.template.json"]]);
  });

  /** Stages nested `n` cloud assemblies deep below cdk.out, each with a stack; the innermost and the outermost open SSH. */
  function stageChain(n: number): { dir: string; folders: string[] } {
    const dir = mkdtempSync(join(tmpdir(), "parapet-cdk-stages-"));
    const folders = ["cdk.out"];
    for (let i = 1; i <= n; i++) folders.push(`${folders[i - 1]}/assembly-S${i}`);
    const files: Record<string, unknown> = {};
    folders.forEach((folder, i) => {
      const artifacts: Record<string, unknown> = { [`Stack${i}`]: stack(`Stack${i}.template.json`) };
      if (i < n) artifacts[`S${i + 1}`] = stage(`assembly-S${i + 1}`);
      files[`${folder}/manifest.json`] = manifest(artifacts);
      const open = i === 0 || i === n;
      files[`${folder}/Stack${i}.template.json`] = { Resources: { Sg: openTo(open ? "0.0.0.0/0" : "10.0.0.0/8") } };
    });
    assembly(dir, files);
    return { dir, folders };
  }

  it("Stages nested more than 16 cloud assemblies deep: a limit finding at the manifest whose Stages were not read; the stacks above are checked", async () => {
    const { dir, folders } = stageChain(18);
    const r = await runJson(["cdk.out"], dir);
    expect(r.code).toBe(1);
    expect(r.findings.map((f) => [f.ruleId, f.file, f.message])).toEqual([
      ["sg-no-ssh-from-internet", "cdk.out/Stack0.template.json", expect.any(String)],
      [
        "parse-error",
        `${folders[16]}/manifest.json`,
        "limit exceeded: the cloud assembly nests stages more than 16 deep (fixed limit: stack nesting); the stages below this manifest were not checked",
      ],
    ]);
    // The stacks of the 16 levels read are checked (16 below cdk.out, with cdk.out's own).
    expect(r.report?.files).toEqual(folders.slice(0, 17).map((f, i) => `${f}/Stack${i}.template.json`).sort());
    // Three deep, the innermost stack is read and fails.
    const shallow = stageChain(3);
    const ok = await runJson(["cdk.out"], shallow.dir);
    expect(summary(ok.findings)).toEqual([
      ["sg-no-ssh-from-internet", "cdk.out/Stack0.template.json"],
      ["sg-no-ssh-from-internet", `${shallow.folders[3]}/Stack3.template.json`],
    ]);
  });
});
