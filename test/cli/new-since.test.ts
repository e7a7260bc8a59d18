// --new-since: a throwaway repository with two commits; only what the second one introduces
// is reported, including a finding on a resource that existed before.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=parapet", "-c", "user.email=parapet@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, stdio: "pipe" });

const template = (sshOpen: boolean) => `Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }
${sshOpen ? "        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }\n" : ""}  Data:
    Type: AWS::EC2::Volume
    Properties: { Size: 10, AvailabilityZone: eu-west-1a }
`;

describe("--new-since", () => {
  it("reports only the findings the change introduces", async () => {
    const repo = mkdtempSync(join(tmpdir(), "parapet-pr-"));
    git(repo, "init", "-q", "-b", "main");
    writeFileSync(join(repo, "stack.yaml"), template(false));
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "base");
    writeFileSync(join(repo, "stack.yaml"), template(true));
    git(repo, "commit", "-q", "-am", "open ssh");
    writeFileSync(join(repo, "new.yaml"), "Resources:\n  Logs:\n    Type: AWS::EC2::Volume\n    Properties: { Size: 1, AvailabilityZone: eu-west-1a }\n");

    const only = ["--only", "sg-no-ssh-from-internet,ebs-encrypted", "-f", "json"];
    const all = JSON.parse((await run([...only, "."], repo)).stdout).findings.map((f: { ruleId: string; address: string }) => `${f.ruleId} ${f.address}`);
    expect(all).toEqual(["ebs-encrypted Logs", "sg-no-ssh-from-internet Web", "ebs-encrypted Data"]);

    const out = await run([...only, "--new-since", "HEAD~1", "."], repo);
    expect(out.code).toBe(1);
    const fresh = JSON.parse(out.stdout).findings.map((f: { ruleId: string; address: string }) => `${f.ruleId} ${f.address}`);
    // The old unencrypted volume is not re-reported; the SSH rule on the old group and the new file's volume are.
    expect(fresh).toEqual(["ebs-encrypted Logs", "sg-no-ssh-from-internet Web"]);

    const none = await run([...only, "--new-since", "HEAD", "stack.yaml"], repo);
    expect(JSON.parse(none.stdout).findings).toEqual([]);
    expect(none.code).toBe(0);
  });

  it("an unknown ref or a folder outside git is a usage error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parapet-nogit-"));
    writeFileSync(join(dir, "t.yaml"), template(false));
    expect(await run(["--new-since", "main", "t.yaml"], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining("is not inside a git repository") });
    git(dir, "init", "-q");
    expect(await run(["--new-since", "nope", "t.yaml"], dir)).toMatchObject({ code: 2, stderr: 'parapet: --new-since: unknown git ref "nope"\n' });
  });
});
