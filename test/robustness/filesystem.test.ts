// The file system as it really is: loops, folders with template names, binary and empty
// files, named pipes, files deleted during the scan, unreadable files and folders. Each is
// a finding or a skip, and the rest of the scan goes on.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";
import { lint } from "../../src/pipeline/lint.js";
import { builtinRules } from "../../src/rules/load.js";
import { project, runJson, template } from "./helpers.js";

const OPEN = `Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }\n`;
const openFound = (findings: { file: string; ruleId: string }[], file = "open.yaml") => findings.some((f) => f.file === file && f.ruleId === "sg-no-ssh-from-internet");
/** Root reads every file whatever its mode: permission tests need an ordinary user. */
const isRoot = process.getuid?.() === 0;

describe("symbolic links", () => {
  it("a folder loop is not followed but listed; a file loop met in the walk or named on the command line is a finding", async () => {
    const dir = project({ "open.yaml": OPEN });
    mkdirSync(join(dir, "sub"));
    symlinkSync("..", join(dir, "sub", "up"));
    symlinkSync("self.yaml", join(dir, "self.yaml"));
    const walked = await runJson([], dir);
    expect(walked.code).toBe(1);
    expect(walked.report?.files).toEqual(["open.yaml", "self.yaml"]);
    expect(walked.findings.filter((f) => f.file === "self.yaml")).toMatchObject([
      { ruleId: "parse-error", line: 1, column: 1, message: "cannot read file: a loop of symbolic links (ELOOP)" },
    ]);
    expect(openFound(walked.findings)).toBe(true);
    expect(walked.report?.links).toEqual([
      { path: "self.yaml", target: "self.yaml", why: "a loop of symbolic links (ELOOP)" },
      { path: "sub/up", target: "..", why: "a loop (it leads to a folder that holds it, which is walked already)" },
    ]);
    const named = await runJson(["self.yaml", "open.yaml"], dir);
    expect(named.code).toBe(1);
    expect(named.findings.filter((f) => f.file === "self.yaml")).toMatchObject([
      { ruleId: "parse-error", line: 1, column: 1, message: "cannot read file: a loop of symbolic links (ELOOP)" },
    ]);
    expect(openFound(named.findings)).toBe(true);
  });

  it("every link a walk does not follow is counted in a note and listed with --verbose and in JSON, so 0 files never hides one", async () => {
    const outside = project({ "open.yaml": OPEN });
    const dir = project({ "real.yaml": "x: 1\n", "README.md": "x\n" });
    mkdirSync(join(dir, "a"));
    symlinkSync("../a", join(dir, "a", "b")); // a folder loop
    symlinkSync(outside, join(dir, "stacks")); // a folder elsewhere
    symlinkSync("real.yaml", join(dir, "link.yaml")); // a template name
    symlinkSync("gone.yaml", join(dir, "dangling.yaml"));
    symlinkSync("gone", join(dir, "dangling-folder"));
    symlinkSync("loop.tf", join(dir, "loop.tf"));
    symlinkSync("README.md", join(dir, "readme")); // a file that is no template: nothing left out
    symlinkSync("gone.md", join(dir, "gone-readme"));
    const r = await runJson([], dir);
    expect(r.report?.links).toEqual([
      { path: "a/b", target: "../a", why: "a loop (it leads to a folder that holds it, which is walked already)" },
      { path: "dangling-folder", target: "gone", why: "its target does not exist" },
      { path: "dangling.yaml", target: "gone.yaml", why: "its target does not exist" },
      { path: "link.yaml", target: "real.yaml", why: "a file (walks do not follow symbolic links; name it to lint it)" },
      { path: "loop.tf", target: "loop.tf", why: "a loop of symbolic links (ELOOP)" },
      { path: "stacks", target: outside, why: "a folder (walks do not follow symbolic links; name it to scan it)" },
    ]);
    // The looping .tf file is a finding of the Terraform folder; the rest is listed, not failed.
    expect(r.findings.map((f) => [f.file, f.ruleId, f.message])).toEqual([["loop.tf", "parse-error", "cannot read file: a loop of symbolic links (ELOOP)"]]);
    expect(r.report?.notes).toEqual(["6 symbolic links were not followed (--verbose lists each with why)"]);
    const verbose = await runJson(["--verbose"], dir);
    expect(verbose.report?.notes).toEqual(verbose.report?.links.map((l) => `symbolic link ${l.path} -> ${l.target} not followed: ${l.why}`));
    // Only links, no template: the text output still says what was left out.
    const only = project({});
    symlinkSync(outside, join(only, "stacks"));
    const text = await run([], only);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("note: 1 symbolic link was not followed (--verbose lists each with why)\nNo findings in 0 files");
    // Named, the link is followed.
    expect(openFound((await runJson(["stacks"], only)).findings, "stacks/open.yaml")).toBe(true);
  });

  it("a broken link named on the command line is a usage error that says so", async () => {
    const dir = project({});
    symlinkSync("gone.yaml", join(dir, "stack.yaml"));
    const r = await run(["stack.yaml"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("parapet: path not found: stack.yaml (a symbolic link to gone.yaml, which does not exist)\n");
  });
});

describe("Terraform modules outside the scan", () => {
  const SSH = `resource "aws_security_group" "open" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`;
  const CALL = `module "web" {\n  source = "acme/web/aws"\n  version = "1.0.0"\n}\n`;
  const manifest = (dir: string) => JSON.stringify({ Modules: [{ Key: "", Source: "", Dir: "." }, { Key: "web", Source: "registry.terraform.io/acme/web/aws", Version: "1.0.0", Dir: dir }] });

  it.each([
    ["a folder beside the repository", (outside: string, repo: string) => manifest(relative(repo, outside))],
    ["an absolute folder elsewhere", (outside: string) => manifest(outside)],
  ])("a downloaded module recorded in %s is not read, with the note a local source outside gets", async (_, recorded) => {
    const outside = project({ "main.tf": SSH });
    const repo = project({ "main.tf": CALL });
    writeFileSync(join(repo, "local.tf"), `module "local" {\n  source = "../${basename(outside)}"\n}\n`);
    mkdirSync(join(repo, ".terraform", "modules"), { recursive: true });
    writeFileSync(join(repo, ".terraform", "modules", "modules.json"), recorded(outside, repo));
    const r = await runJson([], repo);
    expect(r.code).toBe(0);
    expect(r.findings).toEqual([]);
    expect(r.report?.notes).toEqual([
      `module.local (../${basename(outside)}) is outside the scanned folder and was not read`,
      expect.stringMatching(/^module\.web \(acme\/web\/aws\) is outside the scanned folder and was not read: \.terraform\/modules\/modules\.json records it in /),
    ]);
  });

  it("a downloaded module folder inside the repository that is a link to one outside is not read either", async () => {
    const outside = project({ "main.tf": SSH });
    const repo = project({ "main.tf": CALL, ".terraform/modules/modules.json": manifest(".terraform/modules/web") });
    symlinkSync(outside, join(repo, ".terraform", "modules", "web"));
    const r = await runJson([], repo);
    expect(r.findings).toEqual([]);
    expect(r.report?.notes).toEqual([expect.stringMatching(/^module\.web \(acme\/web\/aws\) is outside the scanned folder and was not read/)]);
    // Inside the repository, the same module is read.
    const inside = project({ "main.tf": CALL, ".terraform/modules/modules.json": manifest(".terraform/modules/web"), ".terraform/modules/web/main.tf": SSH });
    expect((await runJson([], inside)).findings.map((f) => f.ruleId)).toEqual(["sg-no-ssh-from-internet"]);
  });
});

describe("symbolic links in Terraform module folders", () => {
  const SSH = `resource "aws_security_group" "open" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`;
  const CALL = `module "x" {\n  source = "./modules/x"\n}\n`;
  const ssh = (findings: { ruleId: string; file: string }[]) => findings.filter((f) => f.ruleId === "sg-no-ssh-from-internet").map((f) => f.file);

  it("a called module whose main.tf is a link to a file inside the repository is read as Terraform reads it: SSH open fails the run", async () => {
    const repo = project({ "main.tf": CALL, "shared/open-ssh.tf.txt": SSH, "modules/x/variables.tf": "" });
    symlinkSync("../../shared/open-ssh.tf.txt", join(repo, "modules", "x", "main.tf"));
    const r = await runJson([], repo);
    expect(r.code).toBe(1);
    expect(r.findings).toMatchObject([{ ruleId: "sg-no-ssh-from-internet", file: "modules/x/main.tf", line: 6, address: "module.x.aws_security_group.open" }]);
    expect(r.report?.files).toContain("modules/x/main.tf");
    // Followed, so not listed as a link left out.
    expect(r.report?.links).toEqual([]);
    expect(r.report?.notes).toEqual([]);
    // Scanning only the root's folder reads the module through the call just the same.
    const cdUp = await runJson([basename(repo)], join(repo, ".."));
    expect(ssh(cdUp.findings)).toEqual([`${basename(repo)}/modules/x/main.tf`]);
  });

  it("a root module whose only .tf file is a link inside the repository is checked, at the link's path", async () => {
    const repo = project({ "shared/open.tf": SSH });
    mkdirSync(join(repo, "prod"));
    symlinkSync("../shared/open.tf", join(repo, "prod", "main.tf"));
    const r = await runJson([], repo);
    expect(r.code).toBe(1);
    expect(ssh(r.findings).sort()).toEqual(["prod/main.tf", "shared/open.tf"]);
    expect(r.report?.links).toEqual([]);
  });

  it("links in a module folder that lead out of the scan, nowhere, to a folder or in a loop are not read and are listed; a loop is a finding", async () => {
    const outside = project({ "open.tf": SSH });
    const repo = project({ "main.tf": CALL, "modules/x/variables.tf": "" });
    const x = join(repo, "modules", "x");
    symlinkSync(join(outside, "open.tf"), join(x, "outside.tf"));
    symlinkSync("gone.tf", join(x, "dangling.tf"));
    symlinkSync("..", join(x, "folder.tf"));
    const r = await runJson([], repo);
    // Nothing outside the scan is read: the open SSH rule there is not seen.
    expect(r.code).toBe(0);
    expect(r.findings).toEqual([]);
    expect(r.report?.links).toEqual([
      { path: "modules/x/dangling.tf", target: "gone.tf", why: "its target does not exist" },
      { path: "modules/x/folder.tf", target: "..", why: "a folder, not a file of the module" },
      { path: "modules/x/outside.tf", target: join(outside, "open.tf"), why: "a file outside the scanned folder (links are followed only inside it); the module is checked without it" },
    ]);
    expect(r.report?.notes).toEqual(["3 symbolic links were not followed (--verbose lists each with why)"]);
    const verbose = await runJson(["--verbose"], repo);
    expect(verbose.report?.notes).toContain(`symbolic link modules/x/outside.tf -> ${join(outside, "open.tf")} not followed: a file outside the scanned folder (links are followed only inside it); the module is checked without it`);
    symlinkSync("loop.tf", join(x, "loop.tf"));
    const looped = await runJson([], repo);
    expect(looped.code).toBe(1);
    expect(looped.findings).toMatchObject([{ ruleId: "parse-error", file: "modules/x/loop.tf", line: 1, column: 1, message: "cannot read file: a loop of symbolic links (ELOOP)" }]);
    expect(looped.report?.links.map((l) => [l.path, l.why])).toContainEqual(["modules/x/loop.tf", "a loop of symbolic links (ELOOP)"]);
  });

  it("an automatically loaded variables file that links out of the scan is not read, and a note says so", async () => {
    const root = `variable "cidr" {\n  type = string\n}\nresource "aws_security_group" "sg" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [var.cidr]\n  }\n}\n`;
    const outside = project({ "secret.tfvars": 'cidr = "0.0.0.0/0"\n' });
    const repo = project({ "main.tf": root, "inside.tfvars.txt": 'cidr = "0.0.0.0/0"\n' });
    symlinkSync(join(outside, "secret.tfvars"), join(repo, "terraform.tfvars"));
    const r = await runJson([], repo);
    // The value outside the scan is not read: cidr has no value, so the rule cannot decide.
    expect(r.code).toBe(0);
    expect(r.findings.filter((f) => f.ruleId === "sg-no-ssh-from-internet").map((f) => f.kind)).toEqual(["review"]);
    expect(r.report?.notes).toContain("./terraform.tfvars: a symbolic link to a file outside the scanned folder; its variables are not read");
    // A link that stays inside the scan is read as Terraform reads it.
    rmSync(join(repo, "terraform.tfvars"));
    symlinkSync("inside.tfvars.txt", join(repo, "terraform.tfvars"));
    const inside = await runJson([], repo);
    expect(inside.code).toBe(1);
    expect(ssh(inside.findings)).toEqual(["main.tf"]);
  });

  it("a module folder the walk does not visit (named a root's folder only, module beside it) follows the same rules", async () => {
    const repo = project({ "envs/prod/main.tf": `module "x" {\n  source = "../../modules/x"\n}\n`, "shared/open.tf.txt": SSH, "modules/x/variables.tf": "" });
    symlinkSync("../../shared/open.tf.txt", join(repo, "modules", "x", "main.tf"));
    const r = await runJson(["envs/prod"], repo);
    expect(r.code).toBe(1);
    expect(ssh(r.findings)).toEqual(["modules/x/main.tf"]);
    expect(r.report?.links).toEqual([]);
  });
});

describe("odd files", () => {
  it("a folder named x.yaml is walked as a folder, not read as a file", async () => {
    const dir = project({ "x.yaml/open.yaml": OPEN });
    const walked = await runJson([], dir);
    expect(walked.report?.files).toEqual(["x.yaml/open.yaml"]);
    const named = await runJson(["x.yaml"], dir);
    expect(named.report?.files).toEqual(["x.yaml/open.yaml"]);
    expect(openFound(named.findings, "x.yaml/open.yaml")).toBe(true);
  });

  it("binary files with template names: skipped in a folder, a note when named, a finding at the first byte that is no text when they look like a template", async () => {
    const binary = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x0a]);
    const dir = project({
      "bin.yaml": binary,
      "bin.json": binary,
      "sneaky.yaml": Buffer.concat([Buffer.from("AWSTemplateFormatVersion: x\nResources:\n  A: "), binary, Buffer.from("\n\u0000\u0001: [")]),
      "bin.tf": Buffer.concat([binary, Buffer.from(' resource "x" {')]),
      "open.yaml": OPEN,
    });
    const r = await runJson([], dir);
    expect(r.code).toBe(1);
    // 0xFF, after `  A: ` and the six bytes before it that are text (NUL included).
    const notText = "the file is not valid UTF-8 text: the bytes 0xFF 0xFE are no UTF-8 character";
    expect(r.findings.filter((f) => f.file === "sneaky.yaml")).toMatchObject([{ ruleId: "parse-error", line: 3, column: 12, message: expect.stringContaining(notText) }]);
    expect(r.findings.filter((f) => f.file === "bin.tf")).toMatchObject([{ ruleId: "parse-error", line: 1, column: 7, message: expect.stringContaining(notText) }]);
    expect(r.findings.filter((f) => f.file === "bin.yaml" || f.file === "bin.json")).toEqual([]);
    expect(openFound(r.findings)).toBe(true);
    const named = await runJson(["bin.yaml"], dir);
    expect(named.code).toBe(0);
    expect(named.report?.notes).toEqual([expect.stringMatching(/^bin\.yaml: not a CloudFormation template/)]);
  });

  it("empty files: skipped in a folder, a note when named", async () => {
    const dir = project({ "empty.yaml": "", "empty.json": "", "empty.tf": "", "blank.yaml": "\n\n   \n", "open.yaml": OPEN });
    const r = await runJson([], dir);
    expect(r.findings.filter((f) => f.file !== "open.yaml")).toEqual([]);
    expect(openFound(r.findings)).toBe(true);
    const named = await runJson(["empty.yaml", "empty.json"], dir);
    expect(named.code).toBe(0);
    expect(named.report?.notes).toHaveLength(2);
  });

  it("a named pipe named on the command line is a finding at once, not a wait for a writer", async () => {
    const dir = project({ "open.yaml": OPEN });
    try {
      execFileSync("mkfifo", [join(dir, "pipe.yaml")]);
    } catch {
      return; // no mkfifo on this system: nothing to test
    }
    const r = await runJson(["pipe.yaml", "open.yaml"], dir);
    expect(r.findings.filter((f) => f.file === "pipe.yaml")).toMatchObject([
      { ruleId: "parse-error", message: "cannot read file: not a regular file (a device, socket or named pipe) (ENOTREG)" },
    ]);
    expect(openFound(r.findings)).toBe(true);
    // In a folder, only regular files are read: the pipe is not waited on either.
    expect((await runJson([], dir)).report?.files).toEqual(["open.yaml"]);
  });

  it("a file deleted between discovery and reading is a finding saying so; the others are read", async () => {
    const dir = project({ "a.yaml": template(), "b.yaml": template(), "open.yaml": OPEN });
    const out = await lint({
      paths: ["."],
      cwd: dir,
      rules: builtinRules(),
      // Called before each file is read: the first call removes the second file.
      progress: (done) => {
        if (done === 1) unlinkSync(join(dir, "b.yaml"));
      },
    });
    expect(out.findings.filter((f) => f.file === "b.yaml")).toMatchObject([
      { ruleId: "parse-error", position: { line: 1, column: 1 }, message: "cannot read file: the file no longer exists (deleted or moved during the scan) (ENOENT)" },
    ]);
    expect(out.files).toEqual(["a.yaml", "b.yaml", "open.yaml"]);
    expect(openFound(out.findings)).toBe(true);
  });
});

describe("permissions", () => {
  // Skipped as root, which reads every file whatever its mode; filesystem-denied.test.ts
  // simulates the same case and runs everywhere.
  it.skipIf(isRoot)("an unreadable file and an unreadable folder are findings; the rest is checked (needs an ordinary user: root ignores modes)", async () => {
    const dir = project({ "secret.yaml": template(), "locked/inner.yaml": template(), "open.yaml": OPEN });
    chmodSync(join(dir, "secret.yaml"), 0o000);
    chmodSync(join(dir, "locked"), 0o000);
    try {
      const r = await runJson([], dir);
      expect(r.code).toBe(1);
      expect(r.findings.filter((f) => f.file === "secret.yaml")).toMatchObject([{ ruleId: "parse-error", message: "cannot read file: permission denied (EACCES)" }]);
      expect(r.findings.filter((f) => f.file === "locked")).toMatchObject([
        { ruleId: "parse-error", message: "cannot read folder: permission denied (EACCES); the templates in it were not checked" },
      ]);
      expect(openFound(r.findings)).toBe(true);
    } finally {
      chmodSync(join(dir, "secret.yaml"), 0o644);
      chmodSync(join(dir, "locked"), 0o755);
    }
  });
});

describe("a named Terraform file whose folder cannot be listed", () => {
  it("is a finding that says so, and the other inputs are still linted", async () => {
    const { lintTerraform } = await import("../../src/pipeline/lint.js");
    const dir = project({ "open.yaml": OPEN });
    const gone = { path: "gone/main.tf", absolutePath: join(dir, "gone", "main.tf"), explicit: true };
    const out = await lintTerraform([gone], { cwd: dir, rules: builtinRules() }, () => undefined);
    expect(out.files).toEqual(["gone/main.tf"]);
    expect(out.findings).toMatchObject([
      { ruleId: "parse-error", file: "gone/main.tf", position: { line: 1, column: 1 }, message: expect.stringMatching(/^cannot read file: its folder could not be read: .*ENOENT/) },
    ]);
    const all = await lint({ paths: ["open.yaml"], cwd: dir, rules: builtinRules() });
    expect(openFound(all.findings)).toBe(true);
  });
});
