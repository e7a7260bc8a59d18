// Terraform adapters as a table: HCL snippet → canonical graph nodes.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ResourceGraph } from "../../../src/graph/graph.js";
import { linkScope } from "../../../src/graph/link.js";
import { TERRAFORM_KINDS } from "../../../src/parsers/terraform/adapters.js";
import { scanTerraform } from "../../../src/parsers/terraform/project.js";
import { view } from "../../helpers/view.js";

async function nodes(hcl: string) {
  const dir = mkdtempSync(join(tmpdir(), "parapet-tf-adapt-"));
  writeFileSync(join(dir, "main.tf"), hcl);
  const scan = await scanTerraform([dir], dir, { sources: [], env: {} });
  return scan.roots[0]!.nodes;
}

type Row = [string, string, { kind: string; address: string; childPath?: (string | number)[]; attributes: Record<string, unknown> }[]];

const rows: Row[] = [
  [
    "aws_instance: profile, launch template, monitoring default, block devices",
    `resource "aws_instance" "web" {
  iam_instance_profile = "web"
  launch_template {
    name    = "lt"
    version = "$Latest"
  }
  metadata_options { http_tokens = "required" }
  root_block_device { volume_size = 8 }
  ebs_block_device {
    device_name = "/dev/xvdb"
    encrypted   = "true"
  }
  ebs_block_device {
    device_name = "/dev/xvdc"
    snapshot_id = "snap-1"
  }
}`,
    [
      {
        kind: "aws.ec2.instance",
        address: "aws_instance.web",
        attributes: { iam_instance_profile: "web", launch_template: { name: "lt", version: "$Latest" }, monitoring: false, metadata_options: { http_tokens: "required" } },
      },
      { kind: "aws.ebs.volume", address: "aws_instance.web", childPath: ["root_block_device", 0], attributes: { encrypted: false, attachment: "block_device" } },
      { kind: "aws.ebs.volume", address: "aws_instance.web", childPath: ["ebs_block_device", 0], attributes: { encrypted: true, device_name: "/dev/xvdb" } },
      {
        kind: "aws.ebs.volume",
        address: "aws_instance.web",
        childPath: ["ebs_block_device", 1],
        attributes: { encrypted: { unknown: "the volume is created from snapshot snap-1 and is encrypted if that snapshot is" } },
      },
    ],
  ],
  [
    "aws_launch_template: profile block, metadata, block device mappings with ebs only",
    `resource "aws_launch_template" "lt" {
  name = "lt"
  iam_instance_profile { arn = "arn:aws:iam::1:instance-profile/x" }
  monitoring { enabled = true }
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs { encrypted = "false" }
  }
  block_device_mappings {
    device_name  = "/dev/xvdb"
    virtual_name = "ephemeral0"
  }
}`,
    [
      { kind: "aws.ec2.launch_template", address: "aws_launch_template.lt", attributes: { name: "lt", iam_instance_profile: { arn: "arn:aws:iam::1:instance-profile/x" }, monitoring: true } },
      { kind: "aws.ebs.volume", address: "aws_launch_template.lt", childPath: ["block_device_mappings", 0], attributes: { encrypted: false, device_name: "/dev/xvda" } },
    ],
  ],
  [
    "aws_launch_configuration: monitoring defaults to true",
    `resource "aws_launch_configuration" "lc" {
  image_id = "ami-1"
}`,
    [
      { kind: "aws.autoscaling.launch_configuration", address: "aws_launch_configuration.lc", attributes: { monitoring: true } },
      // No root_block_device: the root volume of its instances comes from the image, as for an empty block.
      { kind: "aws.ebs.volume", address: "aws_launch_configuration.lc", childPath: ["root_block_device"], attributes: { encrypted: false, attachment: "block_device" } },
    ],
  ],
  [
    "aws_security_group inline rules, aws_security_group_rule, aws_vpc_security_group_*_rule",
    `resource "aws_security_group" "sg" {
  ingress {
    from_port        = 22
    to_port          = 22
    protocol         = "TCP"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group_rule" "r" {
  type              = "ingress"
  security_group_id = aws_security_group.sg.id
  from_port         = "3389"
  to_port           = "3389"
  protocol          = "6"
  cidr_blocks       = ["10.0.0.0/8"]
}
resource "aws_vpc_security_group_egress_rule" "e" {
  security_group_id = aws_security_group.sg.id
  ip_protocol       = "udp"
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = "0.0.0.0/0"
}`,
    [
      { kind: "aws.ec2.security_group", address: "aws_security_group.sg", attributes: {} },
      {
        kind: "aws.ec2.sg_rule",
        address: "aws_security_group.sg",
        childPath: ["ingress", 0],
        attributes: { direction: "ingress", protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: ["0.0.0.0/0"], cidr_ipv6: ["::/0"] },
      },
      { kind: "aws.ec2.sg_rule", address: "aws_security_group.sg", childPath: ["egress", 0], attributes: { direction: "egress", protocol: "all", cidr_ipv4: ["0.0.0.0/0"] } },
      {
        kind: "aws.ec2.sg_rule",
        address: "aws_security_group_rule.r",
        attributes: { direction: "ingress", protocol: "tcp", from_port: 3389, to_port: 3389, cidr_ipv4: ["10.0.0.0/8"] },
      },
      {
        kind: "aws.ec2.sg_rule",
        address: "aws_vpc_security_group_egress_rule.e",
        attributes: { direction: "egress", protocol: "udp", from_port: 53, cidr_ipv4: ["0.0.0.0/0"] },
      },
    ],
  ],
  [
    "aws_ebs_volume, aws_iam_instance_profile, aws_cloudtrail defaults",
    `resource "aws_ebs_volume" "v" { size = 1 }
resource "aws_iam_instance_profile" "p" { role = "app" }
resource "aws_cloudtrail" "t" { s3_bucket_name = "logs" }`,
    [
      // hcl2json lists resource types by name.
      { kind: "aws.cloudtrail.trail", address: "aws_cloudtrail.t", attributes: { is_logging: true, is_multi_region: false, log_file_validation: false, s3_bucket: "logs" } },
      { kind: "aws.ebs.volume", address: "aws_ebs_volume.v", attributes: { encrypted: false, attachment: "volume" } },
      { kind: "aws.iam.instance_profile", address: "aws_iam_instance_profile.p", attributes: { roles: ["app"] } },
    ],
  ],
  [
    "aws_spot_instance_request: an instance, with the instance's arguments, defaults and block devices",
    `resource "aws_spot_instance_request" "spot" {
  spot_price = "0.03"
  iam_instance_profile = "web"
  associate_public_ip_address = true
  user_data = "echo hi"
  metadata_options { http_tokens = "required" }
  root_block_device { encrypted = true }
}`,
    [
      {
        kind: "aws.ec2.instance",
        address: "aws_spot_instance_request.spot",
        attributes: { iam_instance_profile: "web", associate_public_ip: true, monitoring: false, user_data: "echo hi", metadata_options: { http_tokens: "required" } },
      },
      { kind: "aws.ebs.volume", address: "aws_spot_instance_request.spot", childPath: ["root_block_device", 0], attributes: { encrypted: true, attachment: "block_device" } },
    ],
  ],
  [
    "a resource without a canonical kind keeps its native type and arguments",
    `resource "aws_s3_bucket" "b" { bucket = "logs" }`,
    [{ kind: "aws_s3_bucket", address: "aws_s3_bucket.b", attributes: { bucket: "logs" } }],
  ],
];

describe("Terraform adapters: HCL snippet → graph nodes", () => {
  it.each(rows)("%s", async (_name, hcl, expected) => {
    const got = (await nodes(hcl)).map((n) => ({
      kind: n.kind,
      address: n.address,
      ...(n.childPath ? { childPath: [...n.childPath] } : {}),
      attributes: view(n.attributes) as Record<string, unknown>,
    }));
    expect(got).toMatchObject(expected);
    expect(got).toHaveLength(expected.length);
  });

  it("references become edges: rule → group, instance → profile and launch template", async () => {
    const list = await nodes(`resource "aws_security_group" "sg" {}
resource "aws_security_group_rule" "r" {
  type = "ingress"
  security_group_id = aws_security_group.sg.id
}
resource "aws_iam_instance_profile" "p" { name = "app" }
resource "aws_launch_template" "lt" { name = "lt" }
resource "aws_instance" "i" {
  iam_instance_profile = aws_iam_instance_profile.p.name
  launch_template { id = aws_launch_template.lt.id }
}
resource "aws_ebs_encryption_by_default" "on" {}`);
    const graph = new ResourceGraph();
    for (const n of list) graph.addNode(n);
    linkScope(graph, list, TERRAFORM_KINDS);
    const edges = list.flatMap((n) => graph.edgesFrom(n).map((e) => `${graph.node(e.from)!.address} -${e.type}-> ${graph.node(e.to)!.address}`));
    expect(edges.sort()).toEqual([
      "aws_instance.i -iam_instance_profile-> aws_iam_instance_profile.p",
      "aws_instance.i -launch_template-> aws_launch_template.lt",
      // Neither the instance nor its template describes a root volume: the image's is the instance's.
      "aws_instance.i -owner-> aws_instance.i",
      "aws_security_group_rule.r -security_group-> aws_security_group.sg",
    ]);
    expect(graph.fact(list[0]!.scope, "ebs_encryption_by_default")).toBe(true);
  });
});
