// Dependency cycles of a Terraform configuration, as a table: files → the cycle errors
// (file, message, line, column) parapet reports. self, count.index, each, lifecycle
// arguments and references the same way make no loop.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanTerraform } from "../../../src/parsers/terraform/project.js";

const REFUSED = "; Terraform refuses to plan a configuration whose values depend on each other in a loop (Error: Cycle)";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "parapet-tf-cycles-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** The cycle errors of every file the roots read: [file, message, line, column]. */
async function cycleErrors(files: Record<string, string>, dirs = ["."]): Promise<[string, string, number, number][]> {
  const root = tree(files);
  const scan = await scanTerraform(dirs.map((d) => join(root, d)), root, { sources: [], env: {} });
  const out: [string, string, number, number][] = [];
  const seen = new Set<string>();
  for (const file of scan.roots.flatMap((r) => r.files)) {
    if (seen.has(file.source.path)) continue;
    seen.add(file.source.path);
    for (const d of file.diagnostics) if (d.message.startsWith("cyclic")) out.push([file.source.path, d.message, d.line, d.column]);
  }
  return out;
}

const BUCKET = (name: string, body: string) => `resource "aws_s3_bucket" "${name}" {\n${body}}\n`;

type Row = [name: string, files: Record<string, string>, errors: [file: string, message: string, line: number, column: number][]];

const rows: Row[] = [
  [
    "locals that refer to each other",
    { "main.tf": `locals {\n  a = "\${local.b}-x"\n  b = upper(local.a)\n  c = local.a\n}\n` },
    [["main.tf", `cyclic reference: local.a → local.b → local.a${REFUSED}`, 2, 3]],
  ],
  [
    "a local that refers to itself",
    { "main.tf": `locals {\n  a = [for x in local.a : x]\n}\n` },
    [["main.tf", `cyclic reference: local.a → local.a${REFUSED}`, 2, 3]],
  ],
  [
    "resources whose attributes refer to each other, through a local and depends_on",
    {
      "main.tf":
        BUCKET("a", `  bucket = local.name\n`) +
        `locals {\n  name = "\${aws_s3_bucket.b.id}-a"\n}\n` +
        BUCKET("b", `  bucket = "b"\n  depends_on = [aws_s3_bucket.a]\n`),
    },
    [["main.tf", `cyclic reference: aws_s3_bucket.a → local.name → aws_s3_bucket.b → aws_s3_bucket.a${REFUSED}`, 1, 1]],
  ],
  [
    "a data source and a resource",
    {
      "main.tf":
        `data "aws_iam_policy_document" "p" {\n  statement {\n    actions = ["s3:GetObject"]\n    resources = ["\${aws_s3_bucket.a.arn}/*"]\n  }\n}\n` +
        BUCKET("a", `  bucket = "a"\n  policy = data.aws_iam_policy_document.p.json\n`),
    },
    [["main.tf", `cyclic reference: data.aws_iam_policy_document.p → aws_s3_bucket.a → data.aws_iam_policy_document.p${REFUSED}`, 1, 1]],
  ],
  [
    "a resource that names itself (not self) in an argument",
    { "main.tf": BUCKET("a", `  count  = 2\n  bucket = "x-\${aws_s3_bucket.a[0].id}"\n`) },
    [["main.tf", `cyclic reference: aws_s3_bucket.a → aws_s3_bucket.a${REFUSED}`, 1, 1]],
  ],
  [
    "no loop: self in provisioner and connection blocks, count.index, each, lifecycle arguments, references the same way, a for variable named like a resource type",
    {
      "main.tf":
        `resource "aws_instance" "web" {\n  count = 2\n  ami = "ami-\${count.index}"\n  tags = { for aws_s3_bucket in [{ logs = "x" }] : "k" => aws_s3_bucket.logs }\n` +
        `  provisioner "local-exec" {\n    command = "echo \${self.id}"\n    connection {\n      host = self.public_ip\n    }\n  }\n` +
        `  lifecycle {\n    ignore_changes = [tags]\n    replace_triggered_by = [aws_s3_bucket.logs.id]\n  }\n}\n` +
        `resource "aws_s3_bucket" "logs" {\n  for_each = toset(["a"])\n  bucket = "\${each.key}-\${aws_instance.web[0].id}"\n  depends_on = [aws_instance.web]\n}\n`,
    },
    [],
  ],
  [
    "module outputs and inputs that feed each other",
    {
      "main.tf": `module "a" {\n  source = "./a"\n  x = module.b.out\n}\nmodule "b" {\n  source = "./b"\n  y = module.a.out\n}\n`,
      "a/main.tf": `variable "x" {}\noutput "out" {\n  value = "\${var.x}-a"\n}\n`,
      "b/main.tf": `variable "y" {}\noutput "out" {\n  value = var.y\n}\n`,
    },
    [["a/main.tf", `cyclic reference: module.a.var.x → module.b.output.out → module.b.var.y → module.a.output.out → module.a.var.x${REFUSED}`, 1, 1]],
  ],
  [
    "no loop: module outputs feed each other's inputs, but no output depends on the input it feeds",
    {
      "main.tf": `module "a" {\n  source = "./a"\n  x = module.b.out\n}\nmodule "b" {\n  source = "./b"\n  y = module.a.fixed\n}\n`,
      "a/main.tf": `variable "x" {}\noutput "out" {\n  value = var.x\n}\noutput "fixed" {\n  value = "a"\n}\n`,
      "b/main.tf": `variable "y" {}\noutput "out" {\n  value = "b"\n}\n`,
    },
    [],
  ],
  [
    "a loop inside a module called twice is one error, named as the module writes it",
    {
      "main.tf": `module "one" {\n  source = "./m"\n}\nmodule "two" {\n  source = "./m"\n}\n`,
      "m/main.tf": `locals {\n  a = local.b\n  b = local.a\n}\n`,
    },
    [["m/main.tf", `cyclic reference: local.a → local.b → local.a${REFUSED}`, 2, 3]],
  ],
  [
    "a module call's depends_on is a dependency of the resources inside it",
    {
      "main.tf": `module "m" {\n  source = "./m"\n  depends_on = [aws_s3_bucket.a]\n}\n` + BUCKET("a", `  bucket = module.m.name\n`),
      "m/main.tf": `resource "aws_s3_bucket" "inner" {\n  bucket = "inner"\n}\noutput "name" {\n  value = aws_s3_bucket.inner.id\n}\n`,
    },
    [["m/main.tf", `cyclic reference: module.m.aws_s3_bucket.inner → aws_s3_bucket.a → module.m.output.name → module.m.aws_s3_bucket.inner${REFUSED}`, 1, 1]],
  ],
  [
    "Terraform JSON syntax: depends_on names references bare",
    {
      "main.tf.json": JSON.stringify({
        resource: { aws_s3_bucket: { a: { bucket: "${aws_s3_bucket.b.id}" }, b: { bucket: "b", depends_on: ["aws_s3_bucket.a"] } } },
      }),
    },
    [["main.tf.json", `cyclic reference: aws_s3_bucket.a → aws_s3_bucket.b → aws_s3_bucket.a${REFUSED}`, 1, 31]],
  ],
];

describe("dependency cycles are configuration errors", () => {
  it.each(rows)("%s", async (_name, files, errors) => {
    expect(await cycleErrors(files)).toEqual(errors);
  });

});
