// Unreadable files and folders, simulated: the tests run as root in CI, and root reads every
// file whatever its mode. node:fs answers EACCES for paths named "denied" (see
// filesystem.test.ts for the same case with real permissions, as an ordinary user).
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { project, runJson, template } from "./helpers.js";

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const denied = (path: unknown) => String(path).includes("denied");
  const eacces = (path: unknown) => Object.assign(new Error(`EACCES: permission denied, open '${String(path)}'`), { code: "EACCES" });
  return {
    ...fs,
    default: fs,
    openSync: (path: string, ...rest: unknown[]) => {
      if (denied(path)) throw eacces(path);
      return (fs.openSync as (...a: unknown[]) => number)(path, ...rest);
    },
    readdir: (path: string, ...rest: unknown[]) => {
      const callback = rest[rest.length - 1] as (e: unknown) => void;
      if (denied(path)) return void setImmediate(() => callback(eacces(path)));
      return (fs.readdir as (...a: unknown[]) => void)(path, ...rest);
    },
  };
});

const OPEN = `Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }\n`;

describe("permission denied (simulated)", () => {
  it("an unreadable file and folder are findings with file and line; the rest is checked", async () => {
    const dir = project({ "denied.yaml": template(), "denied-folder/inner.yaml": template(), "open.yaml": OPEN });
    const r = await runJson([], dir);
    expect(r.code).toBe(1);
    expect(r.findings.filter((f) => f.file.startsWith("denied"))).toMatchObject([
      { file: "denied-folder", ruleId: "parse-error", line: 1, column: 1, message: "cannot read folder: permission denied (EACCES); the templates in it were not checked" },
      { file: "denied.yaml", ruleId: "parse-error", line: 1, column: 1, message: "cannot read file: permission denied (EACCES)" },
    ]);
    expect(r.findings.some((f) => f.file === "open.yaml" && f.ruleId === "sg-no-ssh-from-internet")).toBe(true);
  });

  it("an unreadable .tf file is a finding of that file; the module's other files are still read", async () => {
    const dir = project({
      "tf/denied.tf": `variable "x" {}\n`,
      "tf/main.tf": `resource "aws_security_group" "open" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`,
    });
    const r = await runJson(["tf"], dir);
    expect(r.findings.filter((f) => f.file === "tf/denied.tf")).toMatchObject([{ ruleId: "parse-error", message: "cannot read file: permission denied (EACCES)" }]);
    expect(r.findings.some((f) => f.file === "tf/main.tf" && f.ruleId === "sg-no-ssh-from-internet")).toBe(true);
  });
});

describe("every input that cannot be checked as it is, together (simulated denial)", () => {
  it("an unreadable file, a looping link, a UTF-16 template and a file over the size limit fail the run, each named", async () => {
    const dir = project({
      "denied.yaml": template(),
      "utf16.yaml": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(OPEN, "utf16le")]),
      "big.yaml": template(`      ImageId: ami-12345678\n      UserData: "${"x".repeat(4096)}"\n`),
    });
    symlinkSync("loop.yaml", join(dir, "loop.yaml"));
    const r = await runJson(["--max-file-size", "4KB"], dir);
    expect(r.code).toBe(1);
    expect(r.findings.filter((f) => f.kind === "fail").map((f) => [f.file, f.ruleId, f.message])).toEqual([
      ["big.yaml", "parse-error", expect.stringMatching(/^limit exceeded: the file is 4\.\d KiB \(max-file-size is 4 KiB\)/)],
      ["denied.yaml", "parse-error", "cannot read file: permission denied (EACCES)"],
      ["loop.yaml", "parse-error", "cannot read file: a loop of symbolic links (ELOOP)"],
      ["utf16.yaml", "sg-no-ssh-from-internet", "Sg allows SSH (TCP 22) from the internet"],
    ]);
  });
});
