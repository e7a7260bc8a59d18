// Suppressions written as comments in YAML and HCL, on or above a property or a resource.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lint } from "../../src/pipeline/lint.js";
import { builtinRules } from "../../src/rules/load.js";

const rules = () => builtinRules().filter((r) => ["sg-no-ssh-from-internet", "ebs-encrypted"].includes(r.id));

async function findings(file: string, text: string) {
  const dir = mkdtempSync(join(tmpdir(), "parapet-comments-"));
  writeFileSync(join(dir, file), text);
  const out = await lint({ paths: ["."], cwd: dir, rules: rules(), terraform: { sources: [], env: {} } });
  return out.findings.map((f) => ({ rule: f.ruleId, address: f.address, suppressed: f.suppressions?.[0]?.justification ?? null, message: f.message }));
}

const SG = (comment: { above?: string; trailing?: string; resource?: string }) => `Resources:
${comment.resource ? `  ${comment.resource}\n` : ""}  Bastion:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: bastion
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
${comment.above ? `          ${comment.above}\n` : ""}          CidrIp: 0.0.0.0/0${comment.trailing ? ` ${comment.trailing}` : ""}
  Data:
    Type: AWS::EC2::Volume
    Properties: { Size: 1, AvailabilityZone: a }
`;

describe("comment suppressions", () => {
  it.each([
    ["a trailing comment on the property", { trailing: "# parapet:ignore sg-no-ssh-from-internet VPN only" }],
    ["a comment on the line above the property", { above: "# parapet:ignore sg-no-ssh-from-internet VPN only" }],
    ["a comment above the resource", { resource: "# parapet:ignore sg-no-ssh-from-internet VPN only" }],
  ])("%s suppresses that finding only", async (_name, comment) => {
    expect(await findings("t.yaml", SG(comment))).toMatchObject([
      { rule: "sg-no-ssh-from-internet", address: "Bastion", suppressed: "VPN only" },
      { rule: "ebs-encrypted", address: "Data", suppressed: null },
    ]);
  });

  it("another rule's id does not apply; * applies to every rule", async () => {
    expect((await findings("t.yaml", SG({ trailing: "# parapet:ignore ebs-encrypted wrong one" })))[0]!.suppressed).toBeNull();
    expect((await findings("t.yaml", SG({ resource: "# parapet:ignore * legacy stack" })))[0]!.suppressed).toBe("legacy stack");
  });

  it("needs a reason, and comes back after its until day", async () => {
    expect((await findings("t.yaml", SG({ trailing: "# parapet:ignore sg-no-ssh-from-internet" })))[0]!.message).toContain("it gives no reason");
    const expired = (await findings("t.yaml", SG({ trailing: "# parapet:ignore sg-no-ssh-from-internet VPN until=2020-02-01" })))[0]!;
    expect(expired.suppressed).toBeNull();
    expect(expired.message).toContain("expired on 2020-02-01");
  });

  it("works in HCL with # and // comments", async () => {
    const hcl = `resource "aws_security_group" "bastion" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # parapet:ignore sg-no-ssh-from-internet office VPN
  }
}

// parapet:ignore ebs-encrypted scratch disk, wiped nightly
resource "aws_ebs_volume" "scratch" {
  availability_zone = "eu-west-1a"
  size              = 10
}
`;
    expect(await findings("main.tf", hcl)).toMatchObject([
      { rule: "sg-no-ssh-from-internet", suppressed: "office VPN" },
      { rule: "ebs-encrypted", suppressed: "scratch disk, wiped nightly" },
    ]);
  });
});

describe("--report-unused-suppressions", () => {
  it("lists the suppressions of every form that matched no finding, with where they are written", async () => {
    const { run } = await import("../../src/cli.js");
    const dir = mkdtempSync(join(tmpdir(), "parapet-unused-"));
    writeFileSync(
      join(dir, "t.yaml"),
      SG({ trailing: "# parapet:ignore sg-no-ssh-from-internet VPN only" }).replace(
        "  Data:\n    Type: AWS::EC2::Volume\n",
        "  Data:\n    Type: AWS::EC2::Volume\n    Metadata: { parapet: { suppress: [{ rule: sg-no-rdp-from-internet, reason: none here }] } }\n",
      ) + "  # parapet:ignore ebs-encrypted nothing below\n",
    );
    writeFileSync(join(dir, ".parapet.yaml"), "only: [sg-no-ssh-from-internet, ebs-encrypted]\nsuppressions:\n  - { rule: ebs-encrypted, paths: ['other/**'], reason: elsewhere }\n");
    const out = await run(["--report-unused-suppressions", "-f", "json", "t.yaml"], dir);
    const notes = JSON.parse(out.stdout).notes as string[];
    expect(notes).toEqual([
      "unused suppression of ebs-encrypted at t.yaml:15: it matched no finding",
      "unused suppression of sg-no-rdp-from-internet at t.yaml: Metadata of Data: it matched no finding",
      "unused suppression of ebs-encrypted at .parapet.yaml: suppressions[0]: it matched no finding",
    ]);
  });
});
