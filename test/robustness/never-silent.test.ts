// End to end, as a user runs it: a folder with one unreadable file, one looping symbolic
// link, one UTF-16 template and one file over --max-file-size fails the run (exit 1) and the
// text output names all four, each with why. The binary runs in a child process; as root
// (which reads every file whatever its mode) it runs as the user `nobody` when it can, else the
// unreadable file is left out (filesystem-denied.test.ts simulates it everywhere).
import { spawnSync } from "node:child_process";
import { chmodSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { project } from "./helpers.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "parapet.js");
const OPEN = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }\n`;
const CLOSED = OPEN.replace("0.0.0.0/0", "10.0.0.0/8");
const NOBODY = { uid: 65534, gid: 65534 };

/** The user the binary runs as so that chmod 000 denies reading, or undefined when there is none. */
function ordinaryUser(): { uid?: number; gid?: number } | undefined {
  if (process.getuid?.() !== 0) return {};
  const probe = spawnSync(process.execPath, [BIN, "--version"], { ...NOBODY, encoding: "utf8" });
  return probe.status === 0 ? NOBODY : undefined;
}

function parapet(args: string[], cwd: string, user: { uid?: number; gid?: number }) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, ...user });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The text report's block of one file: its header line and the finding lines under it. */
function block(stdout: string, file: string): string {
  const m = new RegExp(`^${file.replace(/\./g, "\\.")}\\n((?:(?: .*)?\\n)*)`, "m").exec(stdout);
  return m?.[1] ?? "";
}

describe("a folder with every kind of input that cannot be checked as it is", () => {
  const user = ordinaryUser();

  it(`fails the run and names each${user ? "" : " (the unreadable file left out: root, and no other user to run as)"}`, () => {
    const dir = project({
      "secret.yaml": CLOSED,
      "utf16.yaml": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(OPEN, "utf16le")]),
      "big.yaml": CLOSED + `Description: "${"x".repeat(4096)}"\n`,
      "fine.yaml": CLOSED,
    });
    chmodSync(dir, 0o755); // the user the binary runs as must be able to enter it
    symlinkSync("loop.yaml", join(dir, "loop.yaml"));
    if (user) chmodSync(join(dir, "secret.yaml"), 0o000);
    else writeFileSync(join(dir, "secret.yaml"), CLOSED);
    try {
      const r = parapet(["--max-file-size", "4KB"], dir, user ?? {});
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      expect(block(r.stdout, "loop.yaml")).toMatch(/^ +1:1 +high +parse-error +- +cannot read file: a loop of symbolic links \(ELOOP\)$/m);
      expect(block(r.stdout, "utf16.yaml")).toMatch(/^ +8:\d+ +high +sg-no-ssh-from-internet +Sg +Sg allows SSH \(TCP 22\) from the internet$/m);
      expect(block(r.stdout, "utf16.yaml")).toMatch(/^ +1:1 +review +template-encoding +- +the template is UTF-16LE \(it starts with a byte order mark\)/m);
      expect(block(r.stdout, "big.yaml")).toMatch(/^ +1:1 +high +parse-error +- +limit exceeded: the file is 4\.\d KiB \(max-file-size is 4 KiB\); the file was not checked$/m);
      if (user) expect(block(r.stdout, "secret.yaml")).toMatch(/^ +1:1 +high +parse-error +- +cannot read file: permission denied \(EACCES\)$/m);
      else expect(block(r.stdout, "secret.yaml")).toBe("");
      expect(block(r.stdout, "fine.yaml")).toBe("");
      const failures = user ? 4 : 3;
      expect(r.stdout).toMatch(new RegExp(`\\n${failures} failures \\(${failures} high\\), 1 to review in 5 files\\n$`));
    } finally {
      chmodSync(join(dir, "secret.yaml"), 0o644);
    }
  });
});
