// Discovery: which files a folder scan reads, and how paths are shown.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { discover } from "../../src/discovery/discover.js";
import { UsageError } from "../../src/errors.js";
import { lint } from "../../src/pipeline/lint.js";
import { builtinRules } from "../../src/rules/load.js";

const TEMPLATE = "Resources:\n  V:\n    Type: AWS::EC2::Volume\n    Properties: { Size: 1 }\n";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "parapet-discover-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("discover", () => {
  it("walks folders for YAML, JSON and .template files, skipping dependency and tool folders", async () => {
    const root = tree({
      "a.yaml": TEMPLATE,
      "b.yml": TEMPLATE,
      "c.json": "{}",
      "stacks/d.template": TEMPLATE,
      ".infra/h.yaml": TEMPLATE,
      "notes.txt": TEMPLATE,
      "node_modules/pkg/e.yaml": TEMPLATE,
      ".git/f.yaml": TEMPLATE,
      "infra/.terraform/g.json": "{}",
      "cdk.out/Stack.template.json": "{}",
    });
    const files = await discover(["."], root);
    expect(files.map((f) => f.path)).toEqual([".infra/h.yaml", "a.yaml", "b.yml", "c.json", "stacks/d.template"]);
    expect(files.every((f) => !f.explicit)).toBe(true);
  });

  it("reads a file named explicitly whatever its extension, once", async () => {
    const root = tree({ "stack.cfn": TEMPLATE, "x.yaml": TEMPLATE });
    const files = await discover(["stack.cfn", ".", "x.yaml"], root);
    expect(files.map((f) => [f.path, f.explicit])).toEqual([
      ["stack.cfn", true],
      ["x.yaml", true],
    ]);
  });

  it("rejects a path that does not exist", async () => {
    await expect(discover(["nope"], tmpdir())).rejects.toThrow(new UsageError("path not found: nope"));
  });

  it("lints SAM templates: the plain CloudFormation resources are checked", async () => {
    const root = tree({
      "sam.yaml": [
        "Transform: AWS::Serverless-2016-10-31",
        "Resources:",
        "  Fn:",
        "    Type: AWS::Serverless::Function",
        "    Properties: { Handler: index.handler, Runtime: nodejs20.x, CodeUri: src/ }",
        "  Cache:",
        "    Type: AWS::EC2::Volume",
        "    Properties: { Size: 10, AvailabilityZone: !Select [0, !GetAZs ''] }",
        "",
      ].join("\n"),
    });
    const out = await lint({ paths: ["."], cwd: root, rules: builtinRules().filter((r) => r.id === "ebs-encrypted") });
    expect(out.files).toEqual(["sam.yaml"]);
    expect(out.findings.map((f) => [f.ruleId, f.address, f.position.line])).toEqual([["ebs-encrypted", "Cache", 6]]);
  });
});
