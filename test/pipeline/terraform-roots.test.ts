/**
 * Terraform runs over several root modules: each root's findings in a shared module are
 * reported and told apart, every file is listed once, and a module that no call creates is
 * still checked (with a note).
 */
import { describe, expect, it } from "vitest";
import { fingerprint, fingerprintInRoot } from "../../src/findings/fingerprint.js";
import type { Finding } from "../../src/findings/finding.js";
import { lint } from "../../src/pipeline/lint.js";
import { newFindings } from "../../src/baseline/baseline.js";
import { builtinRules } from "../../src/rules/load.js";
import { formatCompact } from "../../src/reporters/compact.js";
import { formatJson } from "../../src/reporters/json.js";
import { writeTree } from "../helpers/tree.js";

const rules = builtinRules().filter((r) => r.id === "ebs-encrypted");
const VOLUME = `variable "enc" {\n  default = false\n}\nresource "aws_ebs_volume" "v" {\n  availability_zone = "eu-west-1a"\n  encrypted = var.enc\n}\n`;
const CALL = (name: string, source: string, extra = "") => `module "${name}" {\n  source = "${source}"\n${extra}}\n`;

async function run(files: Record<string, string>, paths: string[], jobs = 1) {
  const cwd = writeTree(files, "parapet-roots-");
  const out = await lint({ paths, cwd, rules, terraform: { sources: [], env: {} }, jobs });
  return { cwd, out };
}

/** What identifies a finding to a user: where, which resource, which root, and what it points at besides. */
const shown = (f: Finding) => [f.file, f.position.line, f.address, f.root, (f.related ?? []).map((r) => `${r.file}:${r.line} ${r.message}`)];

/** The repository-root module with examples calling it, as terraform-aws-modules lays them out. */
const EXAMPLES = {
  "main.tf": VOLUME,
  "examples/simple/main.tf": `# simple\n${CALL("disk", "../../")}`,
  "examples/complete/main.tf": CALL("disk", "../../", "  enc = false\n"),
};

describe("several root modules calling one module by the same name", () => {
  it.each([
    ["the whole repository", ["."]],
    ["the example folders (separate units)", ["examples/simple", "examples/complete"]],
  ])("one finding per root, naming the root and its module call: %s", async (_name, paths) => {
    const { out } = await run(EXAMPLES, paths);
    expect(out.findings.map(shown)).toEqual([
      ["main.tf", 6, "module.disk.aws_ebs_volume.v", "examples/complete", ["examples/complete/main.tf:1 root module examples/complete calls module.disk here"]],
      ["main.tf", 6, "module.disk.aws_ebs_volume.v", "examples/simple", ["examples/simple/main.tf:2 root module examples/simple calls module.disk here"]],
    ]);
    expect(new Set(out.findings.map((f) => f.fingerprint)).size).toBe(2);
  });

  it("lists each file once, however many roots read it", async () => {
    const { out } = await run(EXAMPLES, ["examples/simple", "examples/complete"]);
    expect(out.files).toEqual(["examples/complete/main.tf", "examples/simple/main.tf", "main.tf"]);
  });

  it("a root's fingerprint does not depend on which other roots the run includes", async () => {
    const both = (await run(EXAMPLES, ["."])).out.findings.find((f) => f.root === "examples/simple")!;
    const alone = (await run(EXAMPLES, ["examples/simple"])).out.findings;
    expect(alone.map((f) => f.fingerprint)).toEqual([both.fingerprint]);
  });

  it("a baseline written for one root does not hide another root's finding", async () => {
    const baseline = new Set((await run(EXAMPLES, ["examples/simple"])).out.findings.map((f) => f.fingerprint));
    const all = (await run(EXAMPLES, ["."])).out.findings;
    expect(newFindings(all, baseline).map((f) => f.root)).toEqual(["examples/complete"]);
  });

  it("the same roots on worker threads give the same findings", async () => {
    const files = { ...EXAMPLES, "examples/other/main.tf": CALL("disk", "../../") };
    const paths = ["examples/simple", "examples/complete", "examples/other"];
    const one = await run(files, paths, 1);
    const two = await run(files, paths, 2);
    expect(two.out.findings.map(shown)).toEqual(one.out.findings.map(shown));
    expect(two.out.files).toEqual(one.out.files);
  });
});

describe("fingerprints of Terraform findings", () => {
  it.each([
    ["a resource in the root's own folder keeps the plain fingerprint", { "main.tf": VOLUME }, ".", "main.tf", "aws_ebs_volume.v"],
    [
      "a module in a subfolder of the root includes the root",
      { "main.tf": CALL("disk", "./modules/disk"), "modules/disk/main.tf": VOLUME },
      ".",
      "modules/disk/main.tf",
      "module.disk.aws_ebs_volume.v",
    ],
    ["a module above the root includes the root", { "main.tf": VOLUME, "envs/prod/main.tf": CALL("disk", "../../") }, "envs/prod", "main.tf", "module.disk.aws_ebs_volume.v"],
  ])("%s", async (_name, files, root, file, address) => {
    const { out } = await run(files, ["."]);
    const plain = fingerprint("ebs-encrypted", file, address);
    expect(out.findings.map((f) => [f.root, f.fingerprint])).toEqual([[root, file === "main.tf" && root === "." ? plain : fingerprintInRoot(plain, root)]]);
  });
});

describe("reporters name the root when the file does not", () => {
  it("compact lines and JSON findings say which root", async () => {
    const { out } = await run(EXAMPLES, ["."]);
    const result = { ...out, rules, version: "0" };
    expect(formatCompact(result, { color: false }).split("\n").filter(Boolean)).toEqual(
      ["examples/complete", "examples/simple"].map((root) => `main.tf:6:3: high: ${out.findings[0]!.message} (root module ${root}) [ebs-encrypted]`),
    );
    const doc = JSON.parse(formatJson(result, { color: false }));
    expect(doc.findings.map((f: { root: string }) => f.root)).toEqual(["examples/complete", "examples/simple"]);
    expect(doc.summary.files).toBe(3);
  });
});

describe("modules that no call creates", () => {
  const WRAPPER = (source: string, meta: string) => `variable "items" {\n  default = {}\n}\n${CALL("wrapper", source, meta)}`;

  it.each([
    ["an empty for_each (the wrappers pattern)", "  for_each = var.items\n"],
    ["count 0", "  count = 0\n"],
  ])("is checked as a root of its own, with a note: %s", async (_name, meta) => {
    const { out } = await run({ "modules/disk/main.tf": VOLUME, "wrappers/disk/main.tf": WRAPPER("../../modules/disk", meta) }, ["."]);
    expect(out.findings.map(shown)).toEqual([["modules/disk/main.tf", 6, "aws_ebs_volume.v", "modules/disk", []]]);
    expect(out.files).toEqual(["modules/disk/main.tf", "wrappers/disk/main.tf"]);
    expect(out.notes).toEqual([
      "modules/disk: no call of this module creates an instance (module.wrapper in wrappers/disk: count 0, an empty for_each, or a caller that is not created either); checked as a root module of its own, with its variables' defaults",
    ]);
  });

  it("only the topmost such module becomes a root; the modules it calls are reached through it", async () => {
    const { out } = await run(
      {
        "main.tf": VOLUME,
        "modules/web/main.tf": CALL("disk", "../../"),
        "wrappers/web/main.tf": WRAPPER("../../modules/web", "  for_each = var.items\n"),
      },
      ["."],
    );
    expect(out.findings.map((f) => [f.file, f.address, f.root])).toEqual([["main.tf", "module.disk.aws_ebs_volume.v", "modules/web"]]);
    expect(out.notes).toHaveLength(1);
    expect(out.notes[0]).toMatch(/^modules\/web: no call of this module creates an instance \(module\.wrapper in wrappers\/web/);
  });

  it("a module that another root creates is not checked on its own", async () => {
    const { out } = await run(
      {
        "modules/disk/main.tf": VOLUME,
        "wrappers/disk/main.tf": WRAPPER("../../modules/disk", "  for_each = var.items\n"),
        "examples/simple/main.tf": CALL("disk", "../../modules/disk"),
      },
      ["."],
    );
    expect(out.findings.map((f) => [f.address, f.root])).toEqual([["module.disk.aws_ebs_volume.v", "examples/simple"]]);
    expect(out.notes).toEqual([]);
  });
});
