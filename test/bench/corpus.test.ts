import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml, type Tags } from "yaml";
import {
  BIG_RESOURCES,
  SIZES,
  SMALL_RESOURCES,
  TF_LARGE_GROUPS,
  bigTemplate,
  generateCorpus,
  smallTemplate,
  terraformLarge,
  terraformModule,
  toJson,
  toYaml,
} from "../../bench/corpus.mjs";
import { listFiles, parseAll } from "../../bench/floor.mjs";

const FLOOR = fileURLToPath(new URL("../../bench/floor.mjs", import.meta.url));
const KINDS = [
  "AWS::CloudTrail::Trail",
  "AWS::EC2::Instance",
  "AWS::EC2::SecurityGroup",
  "AWS::EC2::Subnet",
  "AWS::EC2::VPC",
  "AWS::EC2::Volume",
  "AWS::IAM::InstanceProfile",
  "AWS::IAM::Role",
  "AWS::KMS::Key",
];

/** The short-form intrinsic functions the generator writes, read back as their long forms. */
const cfnTags: Tags = [
  { tag: "!Ref", resolve: (value: string) => ({ Ref: value }) },
  { tag: "!GetAtt", resolve: (value: string) => ({ "Fn::GetAtt": value.split(".") }) },
  { tag: "!Sub", resolve: (value: string) => ({ "Fn::Sub": value }) },
];
const readCfnYaml = (text: string) => parseYaml(text, { customTags: cfnTags });

const temps: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "parapet-corpus-test-"));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** sha256 of every file under a folder, keyed by its path inside the folder. */
function digest(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of listFiles([root])) {
    out[file.slice(root.length)] = createHash("sha256").update(readFileSync(file)).digest("hex");
  }
  return out;
}

const types = (template: { Resources: Record<string, { Type: string }> }) => Object.values(template.Resources).map((r) => r.Type);

describe("benchmark corpus", () => {
  it("writes the same bytes for the same seed, and other bytes for another seed", () => {
    const a = tempDir();
    const b = tempDir();
    const c = tempDir();
    generateCorpus(a, { seed: 7, quick: true });
    generateCorpus(b, { seed: 7, quick: true });
    generateCorpus(c, { seed: 8, quick: true });
    const first = digest(a);
    const quick = SIZES.quick;
    // manifest.json names its own folder, so it is left out of the comparison.
    delete first["/manifest.json"];
    expect(Object.keys(first)).toHaveLength(1 + quick.yaml + quick.json + 1 + quick.tfModules + quick.tfLarge);
    const second = digest(b);
    delete second["/manifest.json"];
    expect(second).toEqual(first);
    const other = digest(c);
    expect(other["/yaml/stack-00000.yaml"]).not.toBe(first["/yaml/stack-00000.yaml"]);
    expect(other["/tf-modules/module-00000/main.tf"]).not.toBe(first["/tf-modules/module-00000/main.tf"]);
  });

  it("varies the files of one set and records the sets in its manifest", () => {
    const root = tempDir();
    const manifest = generateCorpus(root, { seed: 1, quick: true });
    expect(manifest.sets.yaml.files).toBe(SIZES.quick.yaml);
    expect(manifest.sets.json.files).toBe(SIZES.quick.json);
    expect(manifest.sets.tfModules.files).toBe(SIZES.quick.tfModules);
    expect(manifest.sets.tfLarge.files).toBe(SIZES.quick.tfLarge);
    expect(manifest.sets.big.resources).toBe(SIZES.quick.bigResources);
    expect(manifest.sets.growth).toBeUndefined();
    const yamlFiles = listFiles([join(root, "yaml")]);
    expect(new Set(yamlFiles.map((f) => readFileSync(f, "utf8"))).size).toBe(yamlFiles.length);
    expect(manifest.sets.yaml.bytes).toBe(yamlFiles.reduce((sum, f) => sum + readFileSync(f).length, 0));
  });

  it("writes a small template of eleven resources of the kinds the rules look at, alike in YAML and JSON", () => {
    const template = smallTemplate(3, 42);
    expect(Object.keys(template.Resources)).toHaveLength(SMALL_RESOURCES);
    expect([...new Set(types(template))].sort()).toEqual(KINDS);
    const fromYaml = readCfnYaml(toYaml(template));
    expect(fromYaml).toEqual(template);
    expect(JSON.parse(toJson(template))).toEqual(template);
    const instance = Object.values(template.Resources).find((r) => r.Type === "AWS::EC2::Instance");
    expect(instance?.Properties).toHaveProperty("BlockDeviceMappings");
    expect(instance?.Properties).toHaveProperty("UserData");
    const group = Object.values(template.Resources).find((r) => r.Type === "AWS::EC2::SecurityGroup");
    expect((group?.Properties?.SecurityGroupIngress as unknown[]).length).toBeGreaterThanOrEqual(3);
  });

  it("writes the large template with 5,000 resources, read back alike from its YAML", { timeout: 90_000 }, () => {
    const template = bigTemplate(1);
    expect(Object.keys(template.Resources)).toHaveLength(BIG_RESOURCES);
    expect([...new Set(types(template))].sort()).toEqual(KINDS);
    const text = toYaml(template, { flow: true });
    expect(readCfnYaml(text)).toEqual(template);
    expect(text.length).toBeGreaterThan(800_000);
    expect(text.length).toBeLessThan(1_500_000);
  });

  it("writes Terraform modules with the same eleven resources, and large files of many groups", async () => {
    const count = (json: Record<string, unknown>) =>
      Object.values((json.resource ?? {}) as Record<string, Record<string, unknown>>).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
    const small = await parseHcl("main.tf", terraformModule(1, 5));
    expect(count(small)).toBe(SMALL_RESOURCES);
    expect(Object.keys(small.resource as object).sort()).toEqual([
      "aws_cloudtrail",
      "aws_ebs_volume",
      "aws_iam_instance_profile",
      "aws_iam_role",
      "aws_instance",
      "aws_kms_key",
      "aws_security_group",
      "aws_subnet",
      "aws_vpc",
    ]);
    const large = await parseHcl("main.tf", terraformLarge(1, 0));
    expect(count(large)).toBe(SMALL_RESOURCES * TF_LARGE_GROUPS);
    expect(terraformModule(1, 5)).toBe(terraformModule(1, 5));
    expect(terraformModule(1, 5)).not.toBe(terraformModule(1, 6));
  });
});

describe("floor script", () => {
  it("parses generated YAML, JSON and Terraform files and reports what it read", async () => {
    const root = tempDir();
    const manifest = generateCorpus(root, { seed: 2, quick: true });
    const yamlFile = join(manifest.sets.yaml.path, "stack-00001.yaml");
    const jsonFile = join(manifest.sets.json.path, "stack-00001.json");
    const tfDir = join(manifest.sets.tfModules.path, "module-00001");
    const bytes = [yamlFile, jsonFile, join(tfDir, "main.tf")].reduce((sum, f) => sum + readFileSync(f).length, 0);
    const out = execFileSync(process.execPath, [FLOOR, yamlFile, jsonFile, tfDir], { encoding: "utf8" });
    expect(out.trim()).toBe(`3 files ${bytes} bytes`);
    expect(await parseAll([manifest.sets.big.path])).toEqual({ files: 1, bytes: manifest.sets.big.bytes });
  });

  it("fails on a file that does not parse", () => {
    const root = tempDir();
    const bad = join(root, "broken.yaml");
    writeFileSync(bad, "Resources:\n  A: [\n");
    const result = spawnSync(process.execPath, [FLOOR, bad], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^floor: /);
  });
});
