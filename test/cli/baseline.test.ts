// Baselines: record today's findings, then report only new ones, even after lines move.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";

const rule = (name: string, port: number) => `  ${name}:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties: { GroupId: sg-1, IpProtocol: tcp, FromPort: ${port}, ToPort: ${port}, CidrIp: 0.0.0.0/0 }\n`;

describe("baselines", () => {
  it("a baseline hides the findings it records, also after they move; new ones are reported", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parapet-baseline-"));
    const only = ["--only", "sg-no-ssh-from-internet,sg-no-rdp-from-internet"];
    writeFileSync(join(dir, "t.yaml"), `Resources:\n${rule("Old", 22)}`);
    // Writing a baseline is set-up: it exits 0 although the finding it records fails.
    const first = await run([...only, "--write-baseline", "baseline.json", "t.yaml"], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("1 failure (1 high)");
    expect(first.stdout).toContain("note: --write-baseline: recorded the findings in baseline.json; a run that writes a baseline exits 0");
    expect((await run([...only, "t.yaml"], dir)).code).toBe(1);
    const baseline = JSON.parse(readFileSync(join(dir, "baseline.json"), "utf8"));
    expect(baseline).toMatchObject({ version: 1, tool: "parapet", fingerprints: [expect.stringMatching(/^[0-9a-f]{32}$/)] });

    // Lines move (a comment and another resource before it) and a new problem appears.
    writeFileSync(join(dir, "t.yaml"), `# moved\nResources:\n${rule("New", 3389)}${rule("Old", 22)}`);
    const second = await run([...only, "--baseline", "baseline.json", "-f", "json", "t.yaml"], dir);
    expect(second.code).toBe(1);
    expect(JSON.parse(second.stdout).findings.map((f: { address: string }) => f.address)).toEqual(["New"]);

    writeFileSync(join(dir, "t.yaml"), `# moved\nResources:\n${rule("Old", 22)}`);
    expect((await run([...only, "--baseline", "baseline.json", "t.yaml"], dir)).code).toBe(0);
  });

  it("a file that is not a baseline is a usage error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parapet-baseline-"));
    writeFileSync(join(dir, "t.yaml"), `Resources:\n${rule("Old", 22)}`);
    writeFileSync(join(dir, "other.json"), "{}");
    expect(await run(["--baseline", "other.json", "t.yaml"], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining("--baseline other.json: not a parapet baseline") });
    expect(await run(["--baseline", "missing.json", "t.yaml"], dir)).toMatchObject({ code: 2, stderr: "parapet: --baseline missing.json: file not found\n" });
  });

  it("a baseline that cannot be written exits 2 naming the option and the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parapet-baseline-"));
    writeFileSync(join(dir, "t.yaml"), `Resources:\n${rule("Old", 22)}`);
    const out = await run(["--write-baseline", "no/such/folder/b.json", "t.yaml"], dir);
    expect(out).toMatchObject({ code: 2, stdout: "", stderr: "parapet: --write-baseline no/such/folder/b.json: cannot write (ENOENT)\n" });
  });
});
