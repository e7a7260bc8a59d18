// Terraform findings that used to be "review" only because a value was unknown, decided
// through the CLI from what is known about the value: a variable's validation, the form of
// ids and data sources, and strings built from known and unknown parts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/parapet.js", import.meta.url));

/** `address kind` of each finding of `rule` for the file. */
function findings(name: string, text: string, rule: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "parapet-tfshapes-"));
  writeFileSync(join(dir, name), text);
  const r = spawnSync(process.execPath, [bin, "--format", "json", name], { cwd: dir, encoding: "utf8" });
  expect(r.stderr).toBe("");
  const out = JSON.parse(r.stdout) as { findings: { ruleId: string; kind: string; address: string }[] };
  return out.findings.filter((f) => f.ruleId === rule).map((f) => `${f.address} ${f.kind}`).sort();
}

const SSH_TF = `variable "peer" {
  type = string
  validation {
    condition     = can(regex("^\\\\d+\\\\.\\\\d+\\\\.\\\\d+\\\\.\\\\d+/(1[6-9]|2[0-8])$", var.peer))
    error_message = "A /16 to /28 block."
  }
}
variable "anywhere" {
  type = string
  validation {
    condition     = contains(["0.0.0.0/0"], var.anywhere)
    error_message = "Only the internet."
  }
}
variable "free" {
  type = string
}
data "http" "ip" {
  url = "https://ipv4.icanhazip.com"
}
resource "aws_security_group_rule" "from_peer" {
  type              = "ingress"
  security_group_id = "sg-12345678"
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = [var.peer]
}
resource "aws_security_group_rule" "from_anywhere" {
  type              = "ingress"
  security_group_id = "sg-12345678"
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = [var.anywhere]
}
resource "aws_security_group_rule" "from_free" {
  type              = "ingress"
  security_group_id = "sg-12345678"
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = [var.free]
}
resource "aws_security_group_rule" "from_my_ip" {
  type              = "ingress"
  security_group_id = "sg-12345678"
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["\${chomp(data.http.ip.response_body)}/32"]
}
`;

const USER_DATA_TF = `variable "token" {
  type = string
}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
resource "aws_security_group" "web" {
  vpc_id = "vpc-12345678"
}
resource "aws_instance" "named" {
  ami       = "ami-12345678"
  user_data = <<-EOT
    #!/bin/bash
    aws configure set region \${data.aws_region.current.name}
    echo "\${format("%s:%s", data.aws_caller_identity.current.account_id, aws_security_group.web.id)}" > /etc/owner
  EOT
}
resource "aws_instance" "leaky" {
  ami       = "ami-12345678"
  user_data = format("export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI; aws configure set region %s", data.aws_region.current.name)
}
resource "aws_instance" "open" {
  ami              = "ami-12345678"
  user_data_base64 = base64encode("aws configure set aws_secret_access_key \${var.token}")
}
`;

describe("Terraform values decided from what is known about them", () => {
  it("SSH from a variable validated to /16-/28 passes, from one validated to 0.0.0.0/0 fails, from a free one stays for review; a /32 after a data source passes", () => {
    expect(findings("ssh.tf", SSH_TF, "sg-no-ssh-from-internet")).toEqual(["aws_security_group_rule.from_anywhere fail", "aws_security_group_rule.from_free review"]);
  });

  it("user data that names the region, account and a group id passes, format() with a literal secret fails, a free variable stays for review", () => {
    expect(findings("user-data.tf", USER_DATA_TF, "ec2-no-secrets-in-user-data")).toEqual(["aws_instance.leaky fail", "aws_instance.open review"]);
  });
});
