// The release app (test/fixtures/cdk-apps/releases/app.mjs) as two aws-cdk-lib releases a year apart
// synthesize it (test/fixtures/cdk/releases/<version>/cdk.out, written by scripts/synth-cdk-fixtures.mjs).
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ResourceGraph } from "../../../src/graph/graph.js";
import { linkScope } from "../../../src/graph/link.js";
import { readAssembly } from "../../../src/parsers/cdk/assembly.js";
import { CLOUDFORMATION_KINDS } from "../../../src/parsers/cloudformation/adapters.js";
import { lint } from "../../../src/pipeline/lint.js";
import { builtinRules } from "../../../src/rules/load.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const releasesDir = join(root, "test/fixtures/cdk/releases");
const releases = readdirSync(releasesDir).sort();
const assemblyOf = (release: string) => join(releasesDir, release, "cdk.out");
const appFile = "test/fixtures/cdk-apps/releases/app.mjs";
const appLines = readFileSync(join(root, appFile), "utf8").split("\n");

/** The 1-based line of the app that holds `text` (exactly one line must). */
function appLine(text: string): number {
  const lines = appLines.flatMap((line, i) => (line.includes(text) ? [i + 1] : []));
  expect(lines, text).toHaveLength(1);
  return lines[0]!;
}

type Json = Record<string, any>;
const readJson = (path: string): Json => JSON.parse(readFileSync(path, "utf8"));

/**
 * Every template the manifests name, read independently of parapet: the stack artifacts of each manifest
 * (Stages' included) and the nested stack templates among the file assets (asset manifests, and the legacy
 * synthesizer's `aws:cdk:asset` metadata in manifest.json or the metadata files).
 */
function templatesInManifests(dir: string): string[] {
  const manifest = readJson(join(dir, "manifest.json"));
  const out: string[] = [];
  const nested = new Set<string>();
  for (const [id, artifact] of Object.entries<Json>(manifest.artifacts)) {
    if (artifact.type === "cdk:cloud-assembly") out.push(...templatesInManifests(join(dir, artifact.properties.directoryName)));
    if (artifact.type === "aws:cloudformation:stack") {
      out.push(join(dir, artifact.properties.templateFile));
      const metadataFile = join(dir, artifact.additionalMetadataFile ?? `${id}.metadata.json`);
      const maps = [artifact.metadata ?? {}, ...(artifact.additionalMetadataFile ? [readJson(metadataFile)] : [])];
      for (const entry of maps.flatMap((m) => Object.values<Json[]>(m).flat())) {
        if (entry.type === "aws:cdk:asset" && entry.data.path.endsWith(".nested.template.json")) nested.add(entry.data.path);
      }
    }
    if (artifact.type === "cdk:asset-manifest") {
      for (const asset of Object.values<Json>(readJson(join(dir, artifact.properties.file)).files)) {
        if (asset.source.path.endsWith(".nested.template.json")) nested.add(asset.source.path);
      }
    }
  }
  return [...out, ...[...nested].map((file) => join(dir, file))];
}

async function findingsOf(release: string) {
  const out = await lint({ paths: [relative(root, assemblyOf(release))], cwd: root, rules: builtinRules() });
  return { out, findings: out.findings.filter((f) => f.kind === "fail") };
}

/** A finding as the same app gives it under every release: rule, construct path, template, line, app line. */
const summary = (f: Awaited<ReturnType<typeof findingsOf>>["findings"][number], release: string) => ({
  rule: f.ruleId,
  address: f.address,
  template: f.file.replace(`test/fixtures/cdk/releases/${release}/cdk.out/`, ""),
  line: f.position.line,
  suppressed: !!f.suppressions,
  createdAt: f.related?.map((r) => `${r.file}:${r.line}`),
});

describe("the release app under every aws-cdk-lib release", () => {
  it("has assemblies of at least two releases", () => {
    expect(releases.length).toBeGreaterThanOrEqual(2);
  });

  it.each(releases)("aws-cdk-lib %s: every stack and nested stack of the manifests is read, and nothing else", (release) => {
    const dir = assemblyOf(release);
    const result = readAssembly(dir, root);
    const expected = templatesInManifests(dir).map((file) => relative(root, file).split("\\").join("/"));
    expect([...result.files].sort()).toEqual([...expected].sort());
    // 4 stacks (Edge, Legacy, Prod/Network, Prod/Service) and 4 nested stacks (Tier, Tier/Inner, Legacy/Rules, Prod/Service/Workers).
    expect(result.files).toHaveLength(8);
    expect(result.diagnostics).toEqual([]);
    expect(new Set(result.nodes.map((n) => n.scope))).toEqual(
      new Set(["Edge", "Edge/Tier", "Edge/Tier/Inner", "Legacy", "Legacy/Rules", "Prod/Network", "Prod/Service", "Prod/Service/Workers"]),
    );
  });

  it.each(releases)("aws-cdk-lib %s: the findings, by construct path, with the app line that made each construct", async (release) => {
    const { findings } = await findingsOf(release);
    const byRule = findings.map((f) => summary(f, release)).filter((f) => ["sg-no-ssh-from-internet", "sg-no-rdp-from-internet", "ebs-encrypted", "ec2-instance-profile"].includes(f.rule));
    const created = (text: string) => [`${appFile}:${appLine(text)}`];
    const ingress = created("return new cdk.aws_ec2.CfnSecurityGroupIngress(");
    expect(byRule).toEqual([
      // addPropertyOverride on the L2 group's L1.
      { rule: "sg-no-ssh-from-internet", address: "Edge/EdgeSecurityGroup/Resource", template: "Edge.template.json", line: expect.any(Number), suppressed: false, createdAt: created('"EdgeSecurityGroup", {') },
      // CfnResource with raw properties.
      { rule: "ebs-encrypted", address: "Edge/RawVolume", template: "Edge.template.json", line: expect.any(Number), suppressed: false, createdAt: created('"RawVolume", {') },
      // addOverride("Metadata.parapet", …): suppressed.
      { rule: "ebs-encrypted", address: "Edge/ScratchVolume/Resource", template: "Edge.template.json", line: expect.any(Number), suppressed: true, createdAt: created('"ScratchVolume", {') },
      // Nested stack: the parent's group id as a parameter.
      { rule: "sg-no-rdp-from-internet", address: "Edge/Tier/RdpToEdge", template: "EdgeTier70A663EC.nested.template.json", line: expect.any(Number), suppressed: false, createdAt: ingress },
      // Nested stack inside a nested stack.
      { rule: "sg-no-ssh-from-internet", address: "Edge/Tier/Inner/SshToTier", template: "EdgeTierInner5FC99D9C.nested.template.json", line: expect.any(Number), suppressed: false, createdAt: ingress },
      { rule: "ebs-encrypted", address: "Edge/Tier/Inner/DataVolume", template: "EdgeTierInner5FC99D9C.nested.template.json", line: expect.any(Number), suppressed: false, createdAt: created('"DataVolume", {') },
      // Legacy synthesizer, no asset metadata: found through the asset parameters of TemplateURL.
      { rule: "ebs-encrypted", address: "Legacy/Rules/LogVolume", template: "LegacyRulesBD8EA661.nested.template.json", line: expect.any(Number), suppressed: false, createdAt: created('"LogVolume", {') },
      // Fn::ImportValue of the other stack of the Stage.
      { rule: "sg-no-ssh-from-internet", address: "Prod/Service/SshToShared", template: "assembly-Prod/ProdServiceC810982D.template.json", line: expect.any(Number), suppressed: false, createdAt: ingress },
      // Stage, default synthesizer, no asset metadata: found through the object key of TemplateURL.
      // The instance maps no root device: its root volume from the image is not encrypted.
      { rule: "ebs-encrypted", address: "Prod/Service/Workers/Worker", template: "assembly-Prod/ProdServiceWorkers0E9CE286.nested.template.json", line: expect.any(Number), suppressed: false, createdAt: created('"Worker", {') },
      { rule: "ec2-instance-profile", address: "Prod/Service/Workers/Worker", template: "assembly-Prod/ProdServiceWorkers0E9CE286.nested.template.json", line: expect.any(Number), suppressed: false, createdAt: created('"Worker", {') },
    ]);
  });

  it("the same app gives the same findings, lines and app lines under every release", async () => {
    const all = await Promise.all(releases.map(async (release) => (await findingsOf(release)).findings.map((f) => summary(f, release))));
    for (const findings of all.slice(1)) expect(findings).toEqual(all[0]);
  });

  it.each(releases)("aws-cdk-lib %s: references across stacks become edges to the resources they name", (release) => {
    const result = readAssembly(assemblyOf(release), root);
    const graph = new ResourceGraph();
    for (const n of result.nodes) graph.addNode(n);
    linkScope(graph, result.nodes, CLOUDFORMATION_KINDS);
    const groupOf = (path: string) => {
      const rule = result.nodes.find((n) => n.constructPath === path && !n.childPath);
      expect(rule, path).toBeDefined();
      return graph.related(rule!, "security_group").map((n) => n.constructPath);
    };
    // A parameter the parent passes; one passed down two levels; an export imported by another stack.
    expect(groupOf("Edge/Tier/RdpToEdge")).toEqual(["Edge/EdgeSecurityGroup/Resource"]);
    expect(groupOf("Edge/Tier/Inner/SshToTier")).toEqual(["Edge/Tier/TierSecurityGroup/Resource"]);
    expect(groupOf("Prod/Service/SshToShared")).toEqual(["Prod/Network/SharedSecurityGroup/Resource"]);
    // Fn::GetAtt [TierNestedStack…, Outputs.…GroupId] in the parent: the output of the nested stack.
    expect(groupOf("Edge/HttpsToTier")).toEqual(["Edge/Tier/TierSecurityGroup/Resource"]);
  });
});

describe("a nested stack whose template cannot be read is a finding", () => {
  /** A copy of the 2.276-or-newest assembly, changed by `edit`, read by parapet. */
  function readChanged(edit: (dir: string) => void) {
    const scratch = mkdtempSync(join(tmpdir(), "parapet-cdk-nested-"));
    const dir = join(scratch, "cdk.out");
    cpSync(assemblyOf(releases[releases.length - 1]!), dir, { recursive: true });
    try {
      edit(dir);
      return readAssembly(dir, scratch);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const replaceIn = (file: string, from: string, to: string) => {
    const text = readFileSync(file, "utf8");
    expect(text).toContain(from);
    writeFileSync(file, text.split(from).join(to));
  };

  it.each<[string, (dir: string) => void, { file: string; message: RegExp; line: number }]>([
    [
      "the asset file of a nested stack inside a nested stack is missing",
      (dir) => rmSync(join(dir, "EdgeTierInner5FC99D9C.nested.template.json")),
      { file: "cdk.out/EdgeTier70A663EC.nested.template.json", message: /nested stack InnerNestedStack.*aws:asset:path.*EdgeTierInner5FC99D9C\.nested\.template\.json, which the cloud assembly does not hold/, line: 66 },
    ],
    [
      "aws:asset:path names a file outside the assembly",
      (dir) => replaceIn(join(dir, "Edge.template.json"), '"aws:asset:path": "EdgeTier70A663EC.nested.template.json"', '"aws:asset:path": "../EdgeTier70A663EC.nested.template.json"'),
      { file: "cdk.out/Edge.template.json", message: /outside the cloud assembly \(\.\.\/EdgeTier70A663EC/, line: 92 },
    ],
    [
      "the asset manifest does not list the hash of a TemplateURL (Stage, no asset metadata)",
      (dir) => {
        const file = join(dir, "assembly-Prod/ProdServiceC810982D.assets.json");
        const manifest = readJson(file);
        for (const [hash, asset] of Object.entries<Json>(manifest.files)) if (asset.source.path.includes("Workers")) delete manifest.files[hash];
        writeFileSync(file, JSON.stringify(manifest));
      },
      { file: "cdk.out/assembly-Prod/ProdServiceC810982D.template.json", message: /TemplateURL names asset [0-9a-f]{64}, which no asset manifest/, line: expect.any(Number) as unknown as number },
    ],
    [
      "the legacy synthesizer's asset metadata is missing",
      (dir) => {
        for (const name of ["manifest.json", "Legacy.metadata.json"]) {
          const file = join(dir, name);
          writeFileSync(file, readFileSync(file, "utf8").split('"aws:cdk:asset"').join('"aws:cdk:something-else"'));
        }
      },
      { file: "cdk.out/Legacy.template.json", message: /nested stack RulesNestedStack.*TemplateURL names asset/, line: expect.any(Number) as unknown as number },
    ],
  ])("%s", (_name, edit, expected) => {
    const result = readChanged(edit);
    expect(result.diagnostics).toEqual([{ file: expected.file, diagnostic: { message: expect.stringMatching(expected.message), line: expected.line, column: expect.any(Number) } }]);
  });

  it("a CfnStack of a template outside the assembly is no finding: CloudFormation fetches it", () => {
    const result = readAssembly(assemblyOf(releases[0]!), root);
    expect(result.nodes.some((n) => n.constructPath === "Edge/VendorStack")).toBe(true);
    expect(result.diagnostics).toEqual([]);
  });
});
