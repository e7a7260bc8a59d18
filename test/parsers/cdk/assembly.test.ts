// CDK cloud assemblies from real synths (test/fixtures/cdk) and one hand-written legacy layout.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ResourceGraph } from "../../../src/graph/graph.js";
import { linkScope } from "../../../src/graph/link.js";
import { CLOUDFORMATION_KINDS } from "../../../src/parsers/cloudformation/adapters.js";
import { readAssembly } from "../../../src/parsers/cdk/assembly.js";
import { lint } from "../../../src/pipeline/lint.js";
import { builtinRules } from "../../../src/rules/load.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const assembly = (app: string) => join(root, "test/fixtures/cdk", app, "cdk.out");

function graphOf(app: string) {
  const result = readAssembly(assembly(app), root);
  const graph = new ResourceGraph();
  for (const n of result.nodes) graph.addNode(n);
  linkScope(graph, result.nodes, CLOUDFORMATION_KINDS);
  const byPath = (path: string) => {
    const node = result.nodes.find((n) => n.constructPath === path && !n.childPath);
    if (!node) throw new Error(`no node ${path}`);
    return node;
  };
  return { result, graph, byPath };
}

/** The four rules the fixture apps were written for. */
const FIXTURE_RULES = ["ec2-instance-profile", "sg-no-ssh-from-internet", "ebs-encrypted", "cloudtrail-multi-region"];
const fixtureRules = () => builtinRules().filter((r) => FIXTURE_RULES.includes(r.id));

async function lintPaths(paths: string[]) {
  return lint({ paths, cwd: root, rules: fixtureRules() });
}

describe("reading an assembly", () => {
  it("names resources by construct path, with the logical id kept as the address", () => {
    const { byPath } = graphOf("ec2-basics");
    expect(byPath("Ec2Basics/WebServer/Resource")).toMatchObject({ address: "WebServer99EDD300", kind: "aws.ec2.instance", scope: "Ec2Basics" });
    expect(byPath("Ec2Basics/LegacyWorker").address).toBe("LegacyWorker");
  });

  it("reads Stages as nested assemblies", () => {
    const { result } = graphOf("stages");
    expect(result.files).toEqual([
      "test/fixtures/cdk/stages/cdk.out/assembly-Prod/ProdNetwork2D2E7D69.template.json",
      "test/fixtures/cdk/stages/cdk.out/assembly-Prod/ProdServiceC810982D.template.json",
    ]);
    expect(new Set(result.nodes.map((n) => n.scope))).toEqual(new Set(["Prod/Network", "Prod/Service"]));
  });

  it("reads nested stacks, with the parameters the parent passes pointing into the parent", () => {
    const { graph, byPath } = graphOf("nested");
    const rule = byPath("NestedParent/Rules/AppSecurityGroup/from 0.0.0.0_0:22");
    expect(rule.scope).toBe("NestedParent/Rules");
    expect(graph.related(rule, "security_group").map((n) => n.constructPath)).toEqual(["NestedParent/AppSecurityGroup/Resource"]);
  });

  it("resolves Fn::ImportValue and Fn::GetStackOutput across the stacks of the assembly", () => {
    const { graph, byPath } = graphOf("stages");
    const ssh = byPath("Prod/Service/SshFromAnywhere");
    expect(graph.related(ssh, "security_group").map((n) => n.constructPath)).toEqual(["Prod/Network/SharedSecurityGroup/Resource"]);
    const flowLog = byPath("Prod/Service/NetworkVpcFlowLog/FlowLog");
    expect(graph.related(flowLog, "resource").map((n) => n.constructPath)).toEqual(["Prod/Network/Vpc/Resource"]);
  });

  it("reads construct metadata from manifest.json too (older CDK)", () => {
    const result = readAssembly(join(root, "test/fixtures/cdk-legacy/cdk.out"), root);
    expect(result.nodes.filter((n) => !n.childPath).map((n) => [n.address, n.constructPath])).toEqual([
      ["OpenA1B2C3D4", "Legacy/Open/Resource"],
      ["DataE5F6A7B8", "Legacy/Data/Resource"],
    ]);
    expect(result.traces.get("Legacy/Open/Resource")).toEqual({ file: "lib/legacy-stack.ts", line: 14, column: 5 });
  });
});

describe("linting assemblies", () => {
  it("reports each failing construct once, by construct path, with the line of the app that made it", async () => {
    const out = await lintPaths(["test/fixtures/cdk/ec2-basics/cdk.out"]);
    const failing = out.findings.filter((f) => f.kind === "fail" && !f.suppressions);
    expect(failing.map((f) => [f.ruleId, f.address])).toEqual([
      ["sg-no-ssh-from-internet", "Ec2Basics/DebugSecurityGroup/Resource"],
      ["ebs-encrypted", "Ec2Basics/WebServer/Resource"],
      // The bastion and the legacy worker map no root device: their root volumes come from the image, not encrypted.
      ["ebs-encrypted", "Ec2Basics/Bastion/Resource"],
      ["ebs-encrypted", "Ec2Basics/LegacyWorker"],
      ["ec2-instance-profile", "Ec2Basics/LegacyWorker"],
      ["ebs-encrypted", "Ec2Basics/PlainVolume/Resource"],
      ["cloudtrail-multi-region", "Ec2Basics/RegionalTrail/Resource"],
    ]);
    const worker = failing.find((f) => f.address === "Ec2Basics/LegacyWorker")!;
    expect(worker.logicalId).toBe("LegacyWorker");
    expect(worker.related).toEqual([{ file: "test/fixtures/cdk-apps/ec2-basics.mjs", line: expect.any(Number), column: expect.any(Number), message: "Ec2Basics/LegacyWorker is created here" }]);
  });

  it("the launch template CDK makes for requireImdsv2 passes: the instance that uses it by name has a profile", async () => {
    const out = await lintPaths(["test/fixtures/cdk/ec2-basics/cdk.out"]);
    // The bastion's root volume (it maps none, nor does the template) is the only finding: on the instance, not the template.
    expect(out.findings.filter((f) => f.address.startsWith("Ec2Basics/Bastion/")).map((f) => [f.ruleId, f.address])).toEqual([["ebs-encrypted", "Ec2Basics/Bastion/Resource"]]);
  });

  it("a suppression added with addMetadata keeps the finding, suppressed with its reason", async () => {
    const out = await lintPaths(["test/fixtures/cdk/ec2-basics/cdk.out"]);
    expect(out.findings.find((f) => f.address === "Ec2Basics/BastionSecurityGroup/Resource")).toMatchObject({
      ruleId: "sg-no-ssh-from-internet",
      suppressions: [{ kind: "inSource", justification: expect.stringContaining("VPN") }],
    });
  });

  it("finds findings across stacks: a nested stack's rule and a Stage's imported group", async () => {
    const out = await lintPaths(["test/fixtures/cdk/nested/cdk.out", "test/fixtures/cdk/stages/cdk.out"]);
    expect(out.findings.map((f) => [f.ruleId, f.address])).toEqual([
      ["sg-no-ssh-from-internet", "NestedParent/Rules/AppSecurityGroup/from 0.0.0.0_0:22"],
      ["sg-no-ssh-from-internet", "Prod/Service/SshFromAnywhere"],
    ]);
  });

  it("a macro in a stack's template (a Transform the app adds) is one review finding on that template; the stack is still checked", async () => {
    const project = mkdtempSync(join(tmpdir(), "parapet-cdk-"));
    const out = join(project, "cdk.out");
    cpSync(assembly("ec2-basics"), out, { recursive: true });
    const templatePath = join(out, "Ec2Basics.template.json");
    const template = JSON.parse(readFileSync(templatePath, "utf8")) as Record<string, unknown>;
    writeFileSync(templatePath, JSON.stringify({ Transform: "Org::Tagging", ...template }, null, 1));
    const result = await lint({ paths: ["cdk.out"], cwd: project, rules: fixtureRules() });
    const notes = result.findings.filter((f) => f.ruleId === "preprocessor-not-expanded");
    expect(notes.map((f) => [f.file, f.kind, f.message])).toEqual([["cdk.out/Ec2Basics.template.json", "review", expect.stringContaining("Org::Tagging")]]);
    expect(result.findings.some((f) => f.ruleId === "sg-no-ssh-from-internet")).toBe(true);
  });

  it("a project folder with a cdk.out is linted once, as an assembly, whatever the folder's name", async () => {
    const project = mkdtempSync(join(tmpdir(), "parapet-cdk-"));
    cpSync(assembly("stages"), join(project, "build", "synth-output"), { recursive: true });
    const out = await lint({ paths: ["."], cwd: project, rules: fixtureRules() });
    expect(out.files).toEqual([
      "build/synth-output/assembly-Prod/ProdNetwork2D2E7D69.template.json",
      "build/synth-output/assembly-Prod/ProdServiceC810982D.template.json",
    ]);
    expect(out.findings.map((f) => f.address)).toEqual(["Prod/Service/SshFromAnywhere"]);
  });
});

describe("SARIF for an assembly", () => {
  it("validates against the SARIF 2.1.0 schema, with construct paths as logical locations and the app line as a related location", async () => {
    const { run } = await import("../../../src/cli.js");
    const { compileSarifSchema } = await import("../../reporters/sarif-schema.js");
    const out = await run(["-f", "sarif", "test/fixtures/cdk/ec2-basics/cdk.out"], root);
    const log = JSON.parse(out.stdout);
    const validate = compileSarifSchema();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const worker = log.runs[0].results.find((r: { locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }) =>
      r.locations[0]!.logicalLocations[0]!.fullyQualifiedName === "Ec2Basics/LegacyWorker",
    );
    expect(worker.locations[0].logicalLocations[0]).toMatchObject({ name: "LegacyWorker", kind: "resource" });
    expect(worker.relatedLocations[0].physicalLocation.artifactLocation.uri).toBe("test/fixtures/cdk-apps/ec2-basics.mjs");
  });
});
