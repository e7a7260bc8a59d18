// Terraform user data written with templatefile() and file(), and counts that take one of a
// few values, decided through the CLI: the template is read and rendered, each possible
// instance of a count is checked.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/parapet.js", import.meta.url));

interface Finding {
  ruleId: string;
  kind: string;
  address: string;
  reason: string | null;
}

/** The findings of `rule` when parapet lints the folder made of `files`. */
function findings(files: Record<string, string>, rule: string): Finding[] {
  const dir = mkdtempSync(join(tmpdir(), "parapet-tftemplate-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const r = spawnSync(process.execPath, [bin, "--format", "json", "--only", rule, "."], { cwd: dir, encoding: "utf8" });
  const out = JSON.parse(r.stdout) as { findings: Finding[] };
  return out.findings.filter((f) => f.ruleId === rule);
}

const INSTANCE = (userData: string) => `variable "port" {
  default = 8080
}
resource "aws_instance" "web" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  user_data     = ${userData}
}
`;

const TEMPLATE_FILE = (template: string) => `data "template_file" "ud" {\n  template = ${template}\n  vars = {\n    port = var.port\n  }\n}\n`;

describe("user data from template files", () => {
  const SECRETS = "ec2-no-secrets-in-user-data";

  it.each<[string, Record<string, string>, string[]]>([
    ["a clean template passes", { "main.tf": INSTANCE('templatefile("${path.module}/ud.sh", { port = var.port })'), "ud.sh": "#!/bin/sh\nbusybox httpd -p ${port}\n" }, []],
    [
      "a key written in the template fails",
      { "main.tf": INSTANCE('templatefile("${path.module}/ud.sh", { port = var.port })'), "ud.sh": "#!/bin/sh\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n" },
      ["aws_instance.web fail"],
    ],
    ["a key behind an if that is false passes", { "main.tf": INSTANCE('templatefile("${path.module}/ud.sh", { on = false })'), "ud.sh": "%{ if on ~}\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n%{ endif ~}\necho ok\n" }, []],
    ["a template in a module's folder, through path.module", { "main.tf": 'module "web" {\n  source = "./web"\n}\n', "web/main.tf": INSTANCE('templatefile("${path.module}/tpl/ud.sh", { port = var.port })'), "web/tpl/ud.sh": "echo ${port}\n" }, []],
    ["file() reads the script as it is", { "main.tf": INSTANCE('file("${path.module}/ud.sh")'), "ud.sh": "#!/bin/sh\necho '${not_a_variable}'\n" }, []],
    [
      "data.template_file rendered from a clean file passes",
      { "main.tf": TEMPLATE_FILE('file("${path.module}/ud.sh")') + INSTANCE("data.template_file.ud.rendered"), "ud.sh": "#!/bin/sh\nbusybox httpd -p ${port}\n" },
      [],
    ],
    [
      "data.template_file with vars written as a block (Terraform 0.11) passes",
      { "main.tf": 'data "template_file" "ud" {\n  template = file("${path.module}/ud.sh")\n  vars {\n    port = "${var.port}"\n  }\n}\n' + INSTANCE("data.template_file.ud.rendered"), "ud.sh": "#!/bin/sh\nbusybox httpd -p ${port}\n" },
      [],
    ],
    [
      "data.template_file with a key in its inline template fails",
      { "main.tf": TEMPLATE_FILE('"export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\\necho $${port}"') + INSTANCE("data.template_file.ud.rendered") },
      ["aws_instance.web fail"],
    ],
  ])("%s", (_name, files, want) => {
    expect(findings(files, SECRETS).map((f) => `${f.address} ${f.kind}`)).toEqual(want);
  });

  it("a missing template stays to review and says which file", () => {
    const [f] = findings({ "main.tf": INSTANCE('templatefile("${path.module}/gone.sh", {})') }, SECRETS);
    expect(f?.kind).toBe("review");
    expect(f?.reason).toBe("file gone.sh does not exist (Terraform would fail)");
  });
});

describe("counts of a known list's length, created or not", () => {
  it("checks each rule the list gives and names what decides creation", () => {
    const tf = `data "aws_availability_zones" "available" {}
locals {
  create = length(data.aws_availability_zones.available.names) > 0
  rules = [
    { rule_number = 100, from_port = 1024, to_port = 65535, cidr_block = "0.0.0.0/0" },
    { rule_number = 110, from_port = 443, to_port = 443, cidr_block = "0.0.0.0/0" },
  ]
}
resource "aws_network_acl_rule" "in" {
  count          = local.create ? length(local.rules) : 0
  network_acl_id = "acl-12345678"
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  rule_number    = local.rules[count.index].rule_number
  from_port      = local.rules[count.index].from_port
  to_port        = local.rules[count.index].to_port
  cidr_block     = local.rules[count.index].cidr_block
}
`;
    const out = findings({ "main.tf": tf }, "nacl-no-admin-ports-from-internet");
    // [0] admits RDP (3389 is in 1024-65535) if it is created; [1] (443) passes.
    expect(out.map((f) => `${f.address} ${f.kind}`)).toEqual(["aws_network_acl_rule.in[0] review"]);
    expect(out[0]!.reason).toBe(
      'aws_network_acl_rule.in[0] is created only if its count is not 0, which cannot be decided: the condition "local.create" cannot be decided: data.aws_availability_zones.available is read when Terraform plans',
    );
    expect(out[0]!.reason).not.toContain("count.index");
  });
});
