/**
 * Where local module sources may lead: inside the folder named to scan (or the working
 * directory, when it holds the root), wherever parapet runs from. The same repository named
 * by an absolute path from elsewhere gives the findings of a scan from inside it.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { lint } from "../../src/pipeline/lint.js";
import { builtinRules } from "../../src/rules/load.js";
import { writeTree } from "../helpers/tree.js";

const rules = builtinRules().filter((r) => r.id === "ebs-encrypted");
const VOLUME = `variable "enc" {\n  default = false\n}\nresource "aws_ebs_volume" "v" {\n  availability_zone = "eu-west-1a"\n  encrypted = var.enc\n}\n`;
/** An example root that calls the repository's module with encryption on: its only call. */
const REPO = {
  "modules/disk/main.tf": VOLUME,
  "examples/ex/main.tf": `module "disk" {\n  source = "../../modules/disk"\n  enc = true\n}\n`,
  // Out of the repository and out of its parent folder (where a test below runs from).
  "examples/far/main.tf": `module "out" {\n  source = "../../../../elsewhere"\n}\n`,
};

/** Findings and notes with every path made absolute, so that runs from different folders compare. */
async function scanFrom(cwd: string, paths: string[]) {
  const out = await lint({ paths, cwd, rules, terraform: { sources: [], env: {} }, jobs: 1 });
  // A note that is about a folder starts with its path; module sources stay as written.
  const absolute = (text: string) => text.replace(/^([^\s:]+):/, (_, p: string) => `${resolve(cwd, p)}:`);
  return {
    findings: out.findings.map((f) => [f.ruleId, f.kind, resolve(cwd, f.file), f.address]),
    notes: out.notes.map(absolute).sort(),
  };
}

describe("the folder that Terraform module sources may lead to", () => {
  const repo = writeTree(REPO, "parapet-boundary-");
  const elsewhere = mkdtempSync(join(tmpdir(), "parapet-elsewhere-"));

  it("is the repository when it is scanned from inside: the example's call is read and encrypts", async () => {
    const inside = await scanFrom(repo, ["."]);
    expect(inside.findings).toEqual([]);
    expect(inside.notes).toEqual([`module.out (../../../../elsewhere) is outside the scanned folder and was not read`]);
  });

  it.each([
    ["the repository named by its absolute path from an unrelated folder", () => elsewhere, [repo]],
    ["the repository named relative to its parent", () => resolve(repo, ".."), [resolve(repo).split("/").pop()!]],
    ["the repository named by its absolute path from one of its own subfolders", () => join(repo, "modules"), [repo]],
  ])("is the named folder, not the working directory: %s", async (_, cwd, paths) => {
    expect(await scanFrom(cwd(), paths)).toEqual(await scanFrom(repo, ["."]));
  });

  it("is the named folder only: an example named alone from elsewhere does not read the repository's module", async () => {
    const out = await scanFrom(elsewhere, [join(repo, "examples/ex")]);
    expect(out).toEqual({ findings: [], notes: [`module.disk (../../modules/disk) is outside the scanned folder and was not read`] });
  });

  it("takes in the working directory when it holds the root: a file named from the repository reads the module beside its folder", async () => {
    expect(await scanFrom(repo, ["examples/ex/main.tf"])).toEqual({ findings: [], notes: [] });
  });
});
