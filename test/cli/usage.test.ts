// How parapet answers a wrong invocation: errors name the command and the argument typed,
// sub-commands refuse options and formats they do not take, misspelt names get the nearest
// one; and the habits users bring from other linters (--quiet, --soft-fail, their option names).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";
import { didYouMean, editDistance, nearestName } from "../../src/names.js";

const fixtures = fileURLToPath(new URL("../fixtures/cli/", import.meta.url));

/** Exit 2, nothing on stdout, exactly these lines on stderr. */
async function usageError(args: string[], cwd: string, ...lines: string[]) {
  const out = await run(args, cwd);
  expect(out).toEqual({ code: 2, stdout: "", stderr: lines.map((l) => `parapet: ${l}\n`).join("") });
}

describe("the nearest name", () => {
  it.each([
    ["kitten", "sitting", 3],
    ["formt", "format", 1],
    ["fromat", "format", 1], // two neighbours swapped
    ["", "abc", 3],
    ["same", "same", 0],
  ])("editDistance(%j, %j) is %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it.each([
    ["formt", ["format", "output", "only"], "format"],
    ["FORMAT", ["format"], "format"], // case is ignored
    ["presett", ["preset", "skip"], "preset"],
    ["x", ["y", "format"], "y"], // one edit is allowed even for a short name
    ["sarf", ["sarif", "text"], "sarif"],
    ["banana", ["format", "output"], undefined], // nothing near: no guess
    ["ignore", ["suppress"], undefined],
  ])("nearestName(%j) is %j", (name, candidates, expected) => {
    expect(nearestName(name, candidates)).toBe(expected);
  });

  it("didYouMean writes the hint, or nothing", () => {
    expect(didYouMean("formt", ["format"], (n) => `--${n}`)).toBe(" (did you mean --format?)");
    expect(didYouMean("zzzzzz", ["format"])).toBe("");
  });
});

describe("unknown options", () => {
  it("suggest the nearest option", async () => {
    await usageError(["--formt", "json", "clean"], fixtures, "unknown option '--formt' (did you mean --format?) (see parapet --help)");
    await usageError(["--fail-on-undecide", "clean"], fixtures, "unknown option '--fail-on-undecide' (did you mean --fail-on-undecided?) (see parapet --help)");
    await usageError(["--frobnicate"], fixtures, "unknown option '--frobnicate' (see parapet --help)");
  });

  it("name parapet's equivalent of another linter's option", async () => {
    await usageError(["--list-checks"], fixtures, "unknown option '--list-checks' (parapet's equivalent: parapet rules) (see parapet --help)");
    await usageError(["--skip-check", "x", "clean"], fixtures, "unknown option '--skip-check' (parapet's equivalent: --skip) (see parapet --help)");
    await usageError(["--compact", "clean"], fixtures, "unknown option '--compact' (parapet's equivalent: -f compact) (see parapet --help)");
  });

  it("--help points users of other linters to the equivalents", async () => {
    const help = (await run(["--help"], fixtures)).stdout;
    expect(help).toMatch(/^ {2}--list-checks +parapet rules$/m);
    expect(help).toMatch(/^ {2}--compact +-f compact$/m);
    expect(help).toMatch(/^ {2}--create-baseline +--write-baseline$/m);
    expect(help).toMatch(/^ {6}--soft-fail /m);
    expect(help).toMatch(/^ {2}-q, --quiet /m);
  });
});

describe("sub-commands take only their own options and formats", () => {
  it.each([
    [["rules", "--format", "sarif"], "rules: --format sarif is not supported (rules writes text or json)"],
    [["diff", "HEAD", "--format", "json"], "diff: --format json is not supported (diff writes text or markdown)"],
    [["explain", "ebs-encrypted", "-f", "json"], "explain: --format json is not supported (explain writes text)"],
    [["test", "--format", "sarif"], "test: --format sarif is not supported (test writes text)"],
    [["rules", "--var", "a=b"], "rules: --var is not an option of this command (it takes --format, --output, --preset, --only, --skip, --rules, --config)"],
    [["rules", "--fail-on", "high"], "rules: --fail-on is not an option of this command (it takes --format, --output, --preset, --only, --skip, --rules, --config)"],
    [["explain", "ebs-encrypted", "--only", "ebs-encrypted"], "explain: --only is not an option of this command (it takes --format, --output, --rules, --config)"],
    [["test", "--quiet"], "test: --quiet is not an option of this command (it takes --format, --output)"],
    [["diff", "HEAD", "--baseline", "b.json"], expect.stringMatching(/^diff: --baseline is not an option of this command \(it takes --format, --output, --param, .*--max-depth/)],
    [["rules", "ebs"], 'rules: takes no arguments (got "ebs"); narrow the list with --only, --skip or --preset'],
  ])("%j exits 2", async (args, line) => {
    const out = await run(args, fixtures);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe("");
    expect(out.stderr.split("\n").filter(Boolean)).toEqual([typeof line === "string" ? `parapet: ${line}` : expect.stringMatching(/^parapet: /)]);
    if (typeof line !== "string") expect(out.stderr.slice("parapet: ".length)).toEqual(line);
  });

  it("the formats and options a sub-command takes work", async () => {
    expect((await run(["rules", "--format", "json", "--only", "ebs-encrypted"], fixtures)).code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), "parapet-usage-"));
    const out = await run(["rules", "--only", "ebs-encrypted", "-o", "rules.txt"], dir);
    expect(out).toMatchObject({ code: 0, stdout: "" });
    expect(readFileSync(join(dir, "rules.txt"), "utf8")).toMatch(/^ebs-encrypted\s+high/m);
  });

  it("a lint run names the format it does not know, with the nearest one", async () => {
    await usageError(["-f", "sarf", "clean"], fixtures, '--format: unknown format "sarf" (did you mean "sarif"?) (choose one of text, json, sarif, compact, github, junit, markdown)');
  });
});

describe("errors name the command and the argument typed", () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.name=parapet", "-c", "user.email=parapet@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, stdio: "pipe" });

  it("diff with a base that is neither a path nor a git ref blames diff, not --new-since", async () => {
    const repo = mkdtempSync(join(tmpdir(), "parapet-usage-"));
    git(repo, "init", "-q", "-b", "main");
    writeFileSync(join(repo, "t.yaml"), "Resources: {}\n");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "base");
    await usageError(["diff", "nosuchref"], repo, 'diff: "nosuchref" is not a file, a folder or a git ref');
    await usageError(["--new-since", "nosuchref", "."], repo, '--new-since: unknown git ref "nosuchref"');
    await usageError(["diff", "main", "nohead"], repo, 'diff: head "nohead" is not a file or folder');
    await usageError(["diff"], repo, "diff: needs a base: a git ref, a folder or a file (parapet diff <base> [head])");
    const outside = mkdtempSync(join(tmpdir(), "parapet-nogit-"));
    const out = await run(["diff", "nosuchref"], outside);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^parapet: diff: "nosuchref" is not a file or folder, and .* is not inside a git repository to read it as a git ref\n$/);
  });

  it("a rule folder that cannot be read is named with the option, command or key that gave it", async () => {
    await usageError(["--rules", "nosuchdir", "clean"], fixtures, "--rules nosuchdir: cannot read rule folder (ENOENT)");
    await usageError(["test", "nosuchdir"], fixtures, "test nosuchdir: cannot read rule folder (ENOENT)");
    const dir = mkdtempSync(join(tmpdir(), "parapet-usage-"));
    writeFileSync(join(dir, ".parapet.yaml"), "preset: strict\nrules: [policies]\n");
    writeFileSync(join(dir, "t.yaml"), "Resources: {}\n");
    await usageError(["t.yaml"], dir, `.parapet.yaml:2:9: rules[0] ${join(dir, "policies")}: cannot read rule folder (ENOENT)`);
  });

  it("a --var-file that cannot be opened is an error even when no Terraform file is linted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parapet-usage-"));
    writeFileSync(join(dir, "t.yaml"), "Resources: {}\n");
    await usageError(["--var-file", "missing.tfvars", "t.yaml"], dir, "--var-file missing.tfvars: file not found");
    await usageError(["--var-file", ".", "t.yaml"], dir, "--var-file .: not a file");
    writeFileSync(join(dir, ".parapet.yaml"), "var-files: [env/prod.tfvars]\n");
    await usageError(["t.yaml"], dir, "--var-file env/prod.tfvars (from .parapet.yaml): file not found");
    writeFileSync(join(dir, "prod.tfvars"), 'region = "eu-west-1"\n');
    writeFileSync(join(dir, ".parapet.yaml"), "var-files: [prod.tfvars]\n");
    expect((await run(["--var-file", "prod.tfvars", "t.yaml"], dir)).code).toBe(0);
  });

  it("explain, --preset and --skip name themselves", async () => {
    await usageError(["explain"], fixtures, "explain: takes one rule id (see parapet rules)");
    await usageError(["--preset", "stritc", "clean"], fixtures, '--preset: unknown preset "stritc" (did you mean "strict"?) (choose from recommended, strict, account)');
    await usageError(["--only", "ebs-encryptd", "clean"], fixtures, '--only: no rule or category "ebs-encryptd" (did you mean "ebs-encrypted"?) (see parapet rules)');
  });
});

describe("habits of other linters", () => {
  const only = ["--only", "sg-no-ssh-from-internet"];

  it("--soft-fail exits 0 on failing findings and reports them unchanged", async () => {
    const failing = await run([...only, "-f", "json", "mixed/open-ssh.yaml"], fixtures);
    expect(failing.code).toBe(1);
    const soft = await run([...only, "-f", "json", "--soft-fail", "mixed/open-ssh.yaml"], fixtures);
    expect(soft.code).toBe(0);
    expect(soft.stdout).toBe(failing.stdout);
    // A wrong invocation is still one.
    expect((await run(["--soft-fail", "--format", "xml", "mixed"], fixtures)).code).toBe(2);
  });

  it("--quiet prints only the findings that fail the run, and the summary", async () => {
    const args = [...only, "--no-color", "mixed/open-ssh.yaml", "mixed/admin.yaml"];
    const full = await run(args, fixtures);
    const quiet = await run([...args, "--quiet"], fixtures);
    expect(quiet.code).toBe(full.code);
    expect(full.stdout).toContain("review"); // admin.yaml's finding cannot be decided
    expect(quiet.stdout).not.toContain("mixed/admin.yaml");
    expect(quiet.stdout).toContain("mixed/open-ssh.yaml");
    const summary = (text: string) => text.trimEnd().split("\n").at(-1);
    expect(summary(quiet.stdout)).toBe(summary(full.stdout)); // the summary still counts everything
    expect(summary(quiet.stdout)).toMatch(/1 to review/);
    // Findings to review that fail the run (--fail-on-undecided) are shown.
    expect((await run([...args, "--quiet", "--fail-on-undecided"], fixtures)).stdout).toContain("mixed/admin.yaml");
    // compact likewise; machine formats keep every finding.
    const compact = (await run([...args, "-q", "-f", "compact"], fixtures)).stdout.trim().split("\n");
    expect(compact).toEqual([expect.stringMatching(/^mixed\/open-ssh\.yaml:\d+:\d+: high: .*\[sg-no-ssh-from-internet\]$/)]);
    const json = JSON.parse((await run([...args, "-q", "-f", "json"], fixtures)).stdout);
    expect(json.findings).toHaveLength(2);
  });
});
