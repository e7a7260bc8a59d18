import { describe, expect, it } from "vitest";
import { createLocator } from "../../../src/parsers/terraform/locator.js";
import type { Position, PropertyPath } from "../../../src/source/location.js";

const at = (line: number, column: number, endLine: number, endColumn: number): Position => ({ line, column, endLine, endColumn });

interface Row {
  name: string;
  hcl: string;
  cases: [PropertyPath, Position | undefined][];
}

const lines = (...l: string[]) => l.join("\n") + "\n";

const SG = ["resource", "aws_security_group", "web", 0] as const;

const rows: Row[] = [
  {
    name: "attributes and blocks with two labels",
    hcl: lines(
      'resource "aws_instance" "web" {',
      '  ami           = "ami-123"',
      '  instance_type = "t3.micro"',
      "}",
    ),
    cases: [
      [["resource", "aws_instance", "web", 0, "instance_type"], at(3, 3, 3, 29)],
      [["resource", "aws_instance", "web", 0, "ami"], at(2, 3, 2, 28)],
      [["resource", "aws_instance", "web", 0], at(1, 1, 4, 2)],
      // Without the index: the first block with these labels.
      [["resource", "aws_instance", "web"], at(1, 1, 4, 2)],
      [["resource"], at(1, 1, 4, 2)],
      [["resource", "aws_instance", "web", 1], undefined],
      [["resource", "aws_instance", "db", 0], undefined],
      [["resource", "aws_instance", "web", 0, "key_name"], undefined],
      [["resource", "aws_instance", "web", "ami"], undefined],
      [["data", "aws_instance", "web", 0], undefined],
      [[], undefined],
    ],
  },
  {
    name: "nested blocks, list items and one-line blocks",
    hcl: lines(
      'resource "aws_security_group" "web" {',
      "  ingress {",
      "    from_port   = 22",
      '    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]',
      "  }",
      "  ingress { from_port = 443 }",
      "}",
    ),
    cases: [
      [[...SG, "ingress", 0, "cidr_blocks", 1], at(4, 34, 4, 45)],
      [[...SG, "ingress", 0, "cidr_blocks", 0], at(4, 20, 4, 32)],
      [[...SG, "ingress", 0, "cidr_blocks"], at(4, 5, 4, 46)],
      [[...SG, "ingress", 0, "from_port"], at(3, 5, 3, 21)],
      [[...SG, "ingress", 0], at(2, 3, 5, 4)],
      [[...SG, "ingress", 1], at(6, 3, 6, 30)],
      [[...SG, "ingress", 1, "from_port"], at(6, 13, 6, 28)],
      [[...SG, "ingress", 2], undefined],
      [[...SG, "ingress", 0, "cidr_blocks", 2], undefined],
      [[...SG, "ingress", 0, "cidr_blocks", "x"], undefined],
      // A literal scalar has nothing inside it.
      [[...SG, "ingress", 0, "from_port", 0], undefined],
    ],
  },
  {
    name: "blocks of the same type are numbered in source order, per parent body",
    hcl: lines(
      'resource "aws_security_group" "web" {',
      "  ingress { from_port = 1 }",
      "  egress { from_port = 2 }",
      "  ingress { from_port = 3 }",
      "}",
      'resource "aws_instance" "web" {}',
      'resource "aws_security_group" "web" {',
      '  name = "again"',
      "}",
    ),
    cases: [
      [[...SG, "ingress", 1, "from_port"], at(4, 13, 4, 26)],
      [[...SG, "egress", 0, "from_port"], at(3, 12, 3, 25)],
      [["resource", "aws_security_group", "web", 1, "name"], at(8, 3, 8, 17)],
      [["resource", "aws_security_group", "web", 1], at(7, 1, 9, 2)],
      [["resource", "aws_instance", "web", 0], at(6, 1, 6, 33)],
      [["resource", "aws_security_group", "web", 1, "ingress", 0], undefined],
    ],
  },
  {
    name: "locals and variables",
    hcl: lines("locals { a = 1 }", "locals {", "  b = 2", "}", 'variable "x" { default = 1 }'),
    cases: [
      [["locals", 0, "a"], at(1, 10, 1, 15)],
      [["locals", 1, "b"], at(3, 3, 3, 8)],
      [["locals", 1], at(2, 1, 4, 2)],
      [["locals", 0, "b"], undefined],
      [["locals", 2], undefined],
      [["variable", "x", 0, "default"], at(5, 16, 5, 27)],
      [["variable", "x", 0], at(5, 1, 5, 29)],
    ],
  },
  {
    name: "dynamic blocks",
    hcl: lines(
      'resource "aws_security_group" "d" {',
      '  dynamic "ingress" {',
      "    for_each = var.rules",
      "    content {",
      "      from_port = ingress.value.port",
      "    }",
      "  }",
      "}",
    ),
    cases: [
      [["resource", "aws_security_group", "d", 0, "dynamic", "ingress", 0, "content", 0, "from_port"], at(5, 7, 5, 37)],
      [["resource", "aws_security_group", "d", 0, "dynamic", "ingress", 0, "for_each"], at(3, 5, 3, 25)],
      [["resource", "aws_security_group", "d", 0, "dynamic", "ingress", 0], at(2, 3, 7, 4)],
      [["resource", "aws_security_group", "d", 0, "dynamic", "egress", 0], undefined],
    ],
  },
  {
    name: "object literals: bare and quoted keys, commas, nesting",
    hcl: lines(
      'resource "aws_instance" "t" {',
      "  tags = {",
      '    Name    = "web"',
      '    "Owner" = "ops"',
      "  }",
      '  labels = { a = 1, b = { c = [1, { d = "x" }] } }',
      "}",
    ),
    cases: [
      [["resource", "aws_instance", "t", 0, "tags", "Name"], at(3, 5, 3, 20)],
      [["resource", "aws_instance", "t", 0, "tags", "Owner"], at(4, 5, 4, 20)],
      [["resource", "aws_instance", "t", 0, "tags"], at(2, 3, 5, 4)],
      [["resource", "aws_instance", "t", 0, "tags", "Missing"], undefined],
      [["resource", "aws_instance", "t", 0, "tags", 0], undefined],
      [["resource", "aws_instance", "t", 0, "labels", "a"], at(6, 14, 6, 19)],
      [["resource", "aws_instance", "t", 0, "labels", "b"], at(6, 21, 6, 49)],
      [["resource", "aws_instance", "t", 0, "labels", "b", "c", 1], at(6, 35, 6, 46)],
      [["resource", "aws_instance", "t", 0, "labels", "b", "c", 1, "d"], at(6, 37, 6, 44)],
    ],
  },
  {
    name: "object keys spelled as in hcl2json's output",
    hcl: lines("locals {", '  k = { (var.k) = 1, "${var.p}" = 2, a.b = 3, z: 4, "q\\"r" = 5 }', "}"),
    cases: [
      [["locals", 0, "k", "${(var.k)}"], at(2, 9, 2, 20)],
      [["locals", 0, "k", "${var.p}"], at(2, 22, 2, 36)],
      [["locals", 0, "k", "a.b"], at(2, 38, 2, 45)],
      [["locals", 0, "k", "z"], at(2, 47, 2, 51)],
      [["locals", 0, "k", 'q"r'], at(2, 53, 2, 63)],
    ],
  },
  {
    name: "expressions that cannot be followed stop at the attribute or item",
    hcl: lines(
      'resource "aws_security_group" "web" {',
      '  tags        = merge(var.tags, { Name = "x" })',
      "  cidrs       = var.cidrs",
      "  ports       = [for p in var.ports : p]",
      '  mixed       = ["10.0.0.0/8", var.extra]',
      "  picked      = [1, 2][0]",
      "}",
    ),
    cases: [
      [[...SG, "tags", "Name"], at(2, 3, 2, 48)],
      [[...SG, "cidrs", 0], at(3, 3, 3, 26)],
      [[...SG, "ports", 0], at(4, 3, 4, 41)],
      [[...SG, "mixed", 1, 0], at(5, 32, 5, 41)],
      [[...SG, "mixed", 0, 0], undefined],
      [[...SG, "picked", 0], at(6, 3, 6, 26)],
    ],
  },
  {
    name: "comments",
    hcl: lines(
      "# top comment { not a block",
      '// another "comment" {',
      "/* block",
      "   comment { */",
      'resource "aws_instance" "c" { # trailing {',
      '  ami = "x" // the image',
      '  /* inline */ key_name = "k" # why',
      "  tags = { # open",
      '    Name = "n" // name',
      "    /* } */",
      "  }",
      "}",
    ),
    cases: [
      [["resource", "aws_instance", "c", 0], at(5, 1, 12, 2)],
      [["resource", "aws_instance", "c", 0, "ami"], at(6, 3, 6, 12)],
      [["resource", "aws_instance", "c", 0, "key_name"], at(7, 16, 7, 30)],
      [["resource", "aws_instance", "c", 0, "tags", "Name"], at(9, 5, 9, 15)],
      [["resource", "aws_instance", "c", 0, "tags"], at(8, 3, 11, 4)],
    ],
  },
  {
    name: "strings with escapes, interpolations, nested strings and templates",
    hcl: lines(
      "locals {",
      '  a = "${join(",", [for s in x : "${s}-y"])}"',
      '  b = "} { \\" ${"}"} $${x} %{ if true }{%{ endif }"',
      '  c = "\\\\"',
      "  d = 1",
      "}",
    ),
    cases: [
      [["locals", 0, "a"], at(2, 3, 2, 46)],
      [["locals", 0, "b"], at(3, 3, 3, 52)],
      [["locals", 0, "c"], at(4, 3, 4, 11)],
      [["locals", 0, "d"], at(5, 3, 5, 8)],
      [["locals", 0, "a", 0], at(2, 3, 2, 46)],
    ],
  },
  {
    name: "heredocs",
    hcl: lines(
      "locals {",
      "  script = <<EOF",
      'resource "fake" "x" {',
      "  c = 1",
      "}",
      "EOF",
      "  indented = <<-EOT",
      "    hello } ${var.x}",
      "    EOT",
      "  list = [<<A",
      "a ] }",
      "A",
      '  , "b"]',
      "  after = true",
      "}",
    ),
    cases: [
      [["locals", 0, "script"], at(2, 3, 6, 4)],
      [["locals", 0, "indented"], at(7, 3, 9, 8)],
      [["locals", 0, "list", 0], at(10, 11, 12, 2)],
      [["locals", 0, "list", 1], at(13, 5, 13, 8)],
      [["locals", 0, "list"], at(10, 3, 13, 9)],
      [["locals", 0, "after"], at(14, 3, 14, 15)],
      [["locals", 0, "c"], undefined],
      [["resource"], undefined],
    ],
  },
  {
    name: "expressions spanning lines",
    hcl: lines(
      "locals {",
      "  m = {",
      "    for k, v in var.x : k => {",
      "      a = v",
      "    }",
      "  }",
      "  f = concat(",
      '    ["a"],',
      '    ["b"],',
      "  )",
      "  t = [",
      "    1,",
      "    { x = 2,",
      "      y = 3 },",
      "  ]",
      "  g = 1",
      "}",
    ),
    cases: [
      [["locals", 0, "m"], at(2, 3, 6, 4)],
      [["locals", 0, "m", "a"], at(2, 3, 6, 4)],
      [["locals", 0, "f"], at(7, 3, 10, 4)],
      [["locals", 0, "t", 1, "y"], at(14, 7, 14, 12)],
      [["locals", 0, "t", 1], at(13, 5, 14, 14)],
      [["locals", 0, "t"], at(11, 3, 15, 4)],
      [["locals", 0, "g"], at(16, 3, 16, 8)],
      [["locals", 0, "a"], undefined],
      [["locals", 0, "t", 0, "x"], undefined],
    ],
  },
  {
    name: "bare labels",
    hcl: lines("resource aws_instance web {", '  ami = "x"', "}", "provider aws { region = var.r }"),
    cases: [
      [["resource", "aws_instance", "web", 0, "ami"], at(2, 3, 2, 12)],
      [["provider", "aws", 0, "region"], at(4, 16, 4, 30)],
    ],
  },
  {
    name: "CRLF line endings and a byte order mark (not counted)",
    hcl: "\uFEFFlocals {\r\n  a = 1\r\n  b = [1,\r\n    2]\r\n}\r\n",
    cases: [
      [["locals", 0], at(1, 1, 5, 2)],
      [["locals", 0, "a"], at(2, 3, 2, 8)],
      [["locals", 0, "b", 1], at(4, 5, 4, 6)],
      [["locals", 0, "b"], at(3, 3, 4, 7)],
    ],
  },
  {
    name: "columns count UTF-16 code units",
    hcl: lines("locals {", '  e = "🎉🎉"', '  f = { "é" = 1 }', "}"),
    cases: [
      [["locals", 0, "e"], at(2, 3, 2, 13)],
      [["locals", 0, "f", "é"], at(3, 9, 3, 16)],
    ],
  },
  {
    name: "recovery from syntax errors",
    hcl: lines(
      "}",
      "garbage ) ] here",
      "= 3",
      'resource "aws_instance" "ok" {',
      "  ami = \"x\"",
      "  bad line here",
      "  = nothing",
      "  key_name = ",
      "}",
    ),
    cases: [
      [["resource", "aws_instance", "ok", 0, "ami"], at(5, 3, 5, 12)],
      [["resource", "aws_instance", "ok", 0], at(4, 1, 9, 2)],
      [["resource", "aws_instance", "ok", 0, "key_name"], at(8, 3, 8, 13)],
      [["garbage"], undefined],
    ],
  },
  {
    name: "an unterminated string ends at its line",
    hcl: lines('resource "aws_instance" "a" {', '  ami = "x', "  key_name = 1", "}"),
    cases: [
      [["resource", "aws_instance", "a", 0, "ami"], at(2, 3, 2, 11)],
      [["resource", "aws_instance", "a", 0, "key_name"], at(3, 3, 3, 15)],
    ],
  },
];

describe("createLocator", () => {
  for (const row of rows) {
    describe(row.name, () => {
      const locator = createLocator(row.hcl);
      for (const [path, expected] of row.cases) {
        it(`${JSON.stringify(path)} → ${expected ? `${expected.line}:${expected.column}-${expected.endLine}:${expected.endColumn}` : "undefined"}`, () => {
          expect(locator.locate(path)).toEqual(expected);
        });
      }
    });
  }

  it("descends through deeply nested blocks and literal values", () => {
    const depth = 60;
    let hcl = "";
    for (let i = 0; i < depth; i++) hcl += `${"  ".repeat(i)}level "l${i}" {\n`;
    hcl += `${"  ".repeat(depth)}value = ${"[".repeat(40)}1, 2${"]".repeat(40)}\n`;
    for (let i = depth - 1; i >= 0; i--) hcl += `${"  ".repeat(i)}}\n`;
    const path: (string | number)[] = [];
    for (let i = 0; i < depth; i++) path.push("level", `l${i}`, 0);
    const locator = createLocator(hcl);
    const valueLine = depth + 1;
    const valueColumn = depth * 2 + 1;
    const valueEnd = valueColumn + "value = ".length + 40 + 4 + 40;
    expect(locator.locate([...path, "value"])).toEqual(at(valueLine, valueColumn, valueLine, valueEnd));
    const into = [...path, "value", ...Array<number>(39).fill(0), 1];
    const itemColumn = valueColumn + "value = ".length + 40 + 3;
    expect(locator.locate(into)).toEqual(at(valueLine, itemColumn, valueLine, itemColumn + 1));
    expect(locator.locate(path.slice(0, 3))).toEqual(at(1, 1, 2 * depth + 1, 2));
  });

  it("never throws on broken or pathological text", () => {
    const broken = [
      '"',
      "locals {",
      'locals { a = "${',
      "locals { a = <<EOF\nno end",
      "locals { a = /* never closed",
      "]]]]]}}}})))",
      "{{{{{{[[[[((((",
      'resource "a" "b" { x = [1, 2\n}\nresource "a" "c" { y = 1 }',
      "a = b = c\n== \n<<\n<<-\n<<-1\n\"${\"${\"${",
      "x".repeat(1000),
      "[".repeat(100_000),
      "a { ".repeat(20_000),
      "a = " + "{ b = ".repeat(20_000),
      '"${'.repeat(2_000),
    ];
    for (const text of broken) {
      const locator = createLocator(text);
      expect(() => locator.locate(["locals", 0, "a"])).not.toThrow();
      expect(() => locator.locate(["resource", "a", "c", 0, "y"])).not.toThrow();
      expect(() => locator.locate(["a", 0, "a", 0])).not.toThrow();
    }
    // Every prefix of a realistic file is read without throwing.
    const full = REALISTIC[0]!;
    for (let n = 0; n <= full.length; n += 7) {
      const locator = createLocator(full.slice(0, n));
      expect(() => locator.locate(["resource", "aws_security_group", "web", 0, "ingress", 0, "cidr_blocks", 0])).not.toThrow();
    }
  });

  it("reads a file with 5,000 blocks quickly", () => {
    const blocks: string[] = [];
    for (let i = 0; i < 5000; i++) {
      blocks.push(
        [
          `resource "aws_security_group" "sg${i}" {`,
          `  name = "sg-${i}" # comment`,
          "  ingress {",
          `    from_port   = ${i}`,
          '    cidr_blocks = ["10.0.0.0/8", "${var.extra}"]',
          "  }",
          `  tags = { Name = "sg${i}", Index = ${i} }`,
          "}",
        ].join("\n"),
      );
    }
    const text = blocks.join("\n") + "\n";
    const started = performance.now();
    const locator = createLocator(text);
    for (let i = 0; i < 5000; i++) {
      const pos = locator.locate(["resource", "aws_security_group", `sg${i}`, 0, "ingress", 0, "cidr_blocks", 1]);
      expect(pos?.line).toBe(i * 8 + 5);
      expect(locator.locate(["resource", "aws_security_group", `sg${i}`, 0, "tags", "Index"])?.line).toBe(i * 8 + 7);
    }
    const elapsed = performance.now() - started;
    // Not a timing assertion (CI machines vary); the log shows it for a human reader.
    console.log(`5,000 blocks (${text.length} characters) scanned and located 10,000 times in ${elapsed.toFixed(0)} ms`);
  });
});

// ---- Cross-check against @cdktf/hcl2json ---------------------------------------------------

const REALISTIC: string[] = [
  `# Web tier
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
  backend "s3" {
    bucket = "state"
    key    = "web/terraform.tfstate"
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { Project = "web", "Cost-Center" = "42" }
  }
}

provider "aws" {
  alias  = "east"
  region = "us-east-1"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "rules" {
  type = list(object({
    port  = number
    cidrs = list(string)
  }))
  default = [
    { port = 22, cidrs = ["10.0.0.0/8"] },
    { port = 443, cidrs = ["0.0.0.0/0", "::/0"] },
  ]
}

locals {
  name   = "web-\${var.region}"
  ports  = [for r in var.rules : r.port]
  common = merge(var.tags, { Owner = "ops" })
  script = <<-EOT
    #!/bin/bash
    echo "hello { world }"
  EOT
}

resource "aws_security_group" "web" {
  name        = local.name
  description = "web servers"
  vpc_id      = data.aws_vpc.main.id

  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] // too open
  }

  ingress {
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  dynamic "egress" {
    for_each = var.rules
    content {
      from_port   = egress.value.port
      to_port     = egress.value.port
      protocol    = "tcp"
      cidr_blocks = egress.value.cidrs
    }
  }

  tags = {
    Name = "web"
    Tier = "frontend"
  }
}

data "aws_vpc" "main" {
  filter {
    name   = "tag:Name"
    values = ["main"]
  }
}
`,
  `resource "aws_instance" "app" {
  count                  = 2
  ami                    = data.aws_ami.ubuntu.id
  instance_type          = "t3.micro"
  iam_instance_profile   = aws_iam_instance_profile.app.name
  vpc_security_group_ids = [aws_security_group.app.id]
  user_data              = <<EOF
#!/bin/bash
cat > /etc/app.conf <<'CONF'
{ "port": 8080 }
CONF
EOF

  root_block_device {
    encrypted   = true
    volume_size = 20
  }

  ebs_block_device {
    device_name = "/dev/sdf"
    encrypted   = false
  }

  ebs_block_device {
    device_name = "/dev/sdg"
    encrypted   = var.encrypt ? true : false
  }

  metadata_options {
    http_tokens = "required"
  }

  lifecycle {
    ignore_changes = [ami, tags["Name"]]
  }

  tags = {
    Name = "app-\${count.index}"
  }
}

resource "aws_launch_template" "app" {
  name_prefix = "app-"
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      encrypted   = true
      volume_size = 30
    }
  }
  network_interfaces {
    associate_public_ip_address = false
    security_groups             = [aws_security_group.app.id]
  }
}

resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  kms_key_id                    = aws_kms_key.trail.arn

  event_selector {
    read_write_type           = "All"
    include_management_events = true
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }
}

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Action    = "sts:AssumeRole"
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}

resource "aws_vpc_security_group_ingress_rule" "rdp" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 3389
  to_port           = 3389
  ip_protocol       = "tcp"
}

module "network" {
  source  = "./modules/network"
  cidr    = "10.0.0.0/16"
  subnets = { a = "10.0.1.0/24", b = "10.0.2.0/24" }
}

output "ids" {
  value = { for k, v in aws_instance.app : k => v.id }
}
`,
  `# Tricky syntax: braces in comments and strings { } [ ] ( )
/* a block comment with a fake
resource "x" "y" { a = 1 } */
locals {
  joined   = "\${join(",", [for s in var.names : "\${s}-\${upper("}")}"])}"
  rendered = <<-EOT
    %{ for n in var.names ~}
    \${n} { }
    %{ endfor ~}
  EOT
  keys     = { (var.k) = 1, "\${var.p}" = 2, plain: 3 }
  items    = [
    "a", // first
    <<-B
      two }
    B
    ,
    { nested = ["x", { deep = true }] },
  ]
  called = lookup(
    { a = "b" },
    "a",
    null
  )
  empty_l = []
  empty_o = {}
}

resource aws_security_group "mixed" {
  ingress { from_port = 22 }
  ingress {
    from_port = 23 # { not a brace
  }
  egress { to_port = "}" }
}

resource "aws_security_group" "mixed" {
  description = "second body with the same labels"
}
`,
  "\uFEFFlocals {\r\n  a = 1\r\n  nested = {\r\n    list = [\r\n      { x = 1 },\r\n      { \"y z\" = [true, null] },\r\n    ]\r\n  }\r\n}\r\nresource aws_s3_bucket logs {\r\n  bucket = \"logs\"\r\n}\r\n",
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The source text from `pos` to the end of its line. */
function textAt(text: string, pos: Position): string {
  const l = text.replace(/^\uFEFF/, "").split("\n");
  return l[pos.line - 1]!.slice(pos.column - 1);
}

/** True when `written` starts with `key`, quoted or not, as hcl2json spells keys. */
function startsWithKey(written: string, key: string): boolean {
  if (written.startsWith(key) || written.startsWith(JSON.stringify(key))) return true;
  // Keys written as `(expr)` come back from hcl2json as `${(expr)}`.
  return key.startsWith("${") && key.endsWith("}") && written.startsWith(key.slice(2, -1));
}

describe("paths of @cdktf/hcl2json's output", () => {
  for (const [n, hcl] of REALISTIC.entries()) {
    it(`locates every block and attribute of realistic file #${n + 1}`, async () => {
      const { parse } = await import("@cdktf/hcl2json");
      const json = (await parse(`file${n}.tf`, hcl)) as Record<string, Json>;
      const locator = createLocator(hcl);
      const checked: string[] = [];
      const problems: string[] = [];

      const expectKey = (path: PropertyPath, key: string): Position | undefined => {
        const pos = locator.locate(path);
        checked.push(JSON.stringify(path));
        if (!pos) problems.push(`${JSON.stringify(path)}: not found`);
        else if (!startsWithKey(textAt(hcl, pos), key)) problems.push(`${JSON.stringify(path)}: found ${JSON.stringify(textAt(hcl, pos))}`);
        return pos;
      };

      const walkBody = (path: PropertyPath, body: Record<string, Json>): void => {
        for (const [key, value] of Object.entries(body)) {
          const here = [...path, key];
          const pos = expectKey(here, key);
          if (!pos) continue;
          // The source says whether this is an attribute (`key =`) or a block (`key {`, `key "label"`).
          const afterKey = textAt(hcl, pos).slice(key.length).trimStart();
          if (afterKey.startsWith("=")) walkValue(here, value);
          else walkBlocks(here, value, key);
        }
      };

      const walkBlocks = (path: PropertyPath, value: Json, type: string): void => {
        if (Array.isArray(value)) {
          value.forEach((body, i) => {
            const pos = locator.locate([...path, i]);
            checked.push(JSON.stringify([...path, i]));
            if (!pos || !textAt(hcl, pos).startsWith(type)) problems.push(`${JSON.stringify([...path, i])}: block not found`);
            walkBody([...path, i], body as Record<string, Json>);
          });
        } else if (value && typeof value === "object") {
          for (const [label, inner] of Object.entries(value)) walkBlocks([...path, label], inner, type);
        }
      };

      const walkValue = (path: PropertyPath, value: Json): void => {
        if (Array.isArray(value)) {
          value.forEach((item, i) => {
            const pos = locator.locate([...path, i]);
            checked.push(JSON.stringify([...path, i]));
            if (!pos) problems.push(`${JSON.stringify([...path, i])}: item not found`);
            walkValue([...path, i], item);
          });
        } else if (value && typeof value === "object") {
          for (const [key, inner] of Object.entries(value)) {
            if (expectKey([...path, key], key)) walkValue([...path, key], inner);
          }
        }
        // Strings (including "${...}" expressions), numbers, booleans and null end the walk.
      };

      walkBody([], json);
      expect(problems).toEqual([]);
      expect(checked.length).toBeGreaterThan(10);
    });
  }
});
