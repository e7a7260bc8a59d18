// parapet diff: a broadened IAM statement and a new ingress rule are named, next to the
// findings the change introduces.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";

const stack = (wide: boolean) => `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }]
      Policies:
        - PolicyName: app
          PolicyDocument:
            Statement: [{ Effect: Allow, Action: ${wide ? '"*"' : "s3:GetObject"}, Resource: ${wide ? '"*"' : "arn:aws:s3:::bucket/*"} }]
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }
${wide ? "        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }\n" : ""}`;

describe("parapet diff", () => {
  it("names a broadened IAM statement and a new ingress rule, and the findings they bring", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parapet-diff-"));
    mkdirSync(join(dir, "v1"));
    mkdirSync(join(dir, "v2"));
    writeFileSync(join(dir, "v1", "stack.yaml"), stack(false));
    writeFileSync(join(dir, "v2", "stack.yaml"), stack(true));
    const out = await run(["diff", "v1", "v2", "--only", "sg-no-ssh-from-internet,iam-instance-role-least-privilege"], dir);
    expect(out.stdout).toContain("== stack.yaml: permissions broadened");
    expect(out.stdout).toMatch(/IAM Statement Changes[\s\S]*│ \+ │ \*\s+│ Allow  │ \*[\s\S]*Security Group Changes[\s\S]*│ \+ │.*TCP 22 .*Everyone \(IPv4\)/);
    expect(out.stdout).toMatch(/The change introduces 2 findings:\n.*iam-instance-role-least-privilege\]\n.*sg-no-ssh-from-internet\]/);
    expect(out.code).toBe(1);
  }, 30_000);

  it("takes a git ref as the base, and writes Markdown for a PR comment", async () => {
    const repo = mkdtempSync(join(tmpdir(), "parapet-diff-git-"));
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=p", "-c", "user.email=p@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: repo, stdio: "pipe" });
    git("init", "-q");
    writeFileSync(join(repo, "stack.yaml"), stack(false));
    git("add", ".");
    git("commit", "-q", "-m", "base");
    writeFileSync(join(repo, "stack.yaml"), stack(true));
    const out = await run(["diff", "HEAD", "--format", "markdown", "--only", "sg-no-ssh-from-internet"], repo);
    expect(out.stdout).toContain("### `stack.yaml`");
    expect(out.stdout).toContain("## Findings this change introduces");
    expect(out.stdout).toMatch(/- `stack\.yaml:\d+` \*\*high\*\* Web allows SSH/);
    const same = await run(["diff", "HEAD", "--only", "sg-no-ssh-from-internet"], repo);
    expect(same.stdout).toContain("permissions broadened");
  }, 30_000);
});
