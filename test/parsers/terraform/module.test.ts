// Terraform modules end to end: variables in precedence order, locals, count / for_each,
// dynamic blocks, local and nested modules, downloaded modules, and the pre-commit case.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanTerraform } from "../../../src/parsers/terraform/project.js";
import type { VariableOptions, VariableSource } from "../../../src/model/variable-options.js";
import { lint } from "../../../src/pipeline/lint.js";
import { builtinRules } from "../../../src/rules/load.js";
import { Unknown, type Resolved } from "../../../src/values/value.js";
import { edgesOf } from "../../helpers/graph.js";
import { view } from "../../helpers/view.js";
import { TERRAFORM_KINDS } from "../../../src/parsers/terraform/adapters.js";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "parapet-tf-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const noVars: VariableOptions = { sources: [], env: {} };
/** The rule these tests are about: other rules' findings are not their concern. */
const ebsOnly = () => builtinRules().filter((r) => r.id === "ebs-encrypted");

async function nodesOf(files: Record<string, string>, variables: VariableOptions = noVars, dirs = ["."]) {
  const root = tree(files);
  const scan = await scanTerraform(dirs.map((d) => join(root, d)), root, variables);
  return { root, scan, nodes: scan.roots.flatMap((r) => r.nodes) };
}

function attr(nodes: Awaited<ReturnType<typeof nodesOf>>["nodes"], address: string, name: string): unknown {
  const node = nodes.find((n) => n.address === address && !n.childPath);
  if (!node) throw new Error(`no node ${address}`);
  return view((node.attributes as Record<string, Resolved>)[name] ?? null);
}

const VOLUME = (encrypted: string) => `resource "aws_ebs_volume" "v" {\n  availability_zone = "eu-west-1a"\n  encrypted = ${encrypted}\n}\n`;

describe("variables", () => {
  const decl = `variable "enc" {\n  default = "default"\n}\n${VOLUME("var.enc")}`;

  it.each<[string, Record<string, string>, VariableSource[], Record<string, string>, string]>([
    ["the default", {}, [], {}, "default"],
    ["TF_VAR_ over the default", {}, [], { TF_VAR_enc: "env" }, "env"],
    ["terraform.tfvars over TF_VAR_", { "terraform.tfvars": 'enc = "tfvars"\n' }, [], { TF_VAR_enc: "env" }, "tfvars"],
    ["terraform.tfvars.json over terraform.tfvars", { "terraform.tfvars": 'enc = "tfvars"\n', "terraform.tfvars.json": '{"enc": "json"}' }, [], {}, "json"],
    ["*.auto.tfvars over terraform.tfvars, in name order", { "terraform.tfvars": 'enc = "tfvars"\n', "a.auto.tfvars": 'enc = "a"\n', "b.auto.tfvars": 'enc = "b"\n' }, [], {}, "b"],
    ["--var over *.auto.tfvars", { "a.auto.tfvars": 'enc = "a"\n' }, [{ kind: "var", name: "enc", value: "cli" }], {}, "cli"],
    [
      "--var and --var-file in the order given",
      { "x.tfvars": 'enc = "file"\n' },
      [{ kind: "var", name: "enc", value: "cli" }, { kind: "file", path: "x.tfvars" }],
      {},
      "file",
    ],
  ])("%s", async (_name, extra, sources, env, want) => {
    const root = tree({ "main.tf": decl, ...extra });
    const resolved = sources.map((s) => (s.kind === "file" ? { ...s, path: join(root, s.path) } : s));
    const scan = await scanTerraform([root], root, { sources: resolved, env });
    const volume = scan.roots[0]!.nodes.find((n) => n.address === "aws_ebs_volume.v")!;
    expect(volume.attributes["encrypted"]).toBe(want);
  });

  it.each<[string, Record<string, string>, VariableSource[], Record<string, string>]>([
    ["terraform.tfvars", { "terraform.tfvars": 'enc = "tfvars"\n' }, [], {}],
    ["--var", {}, [{ kind: "var", name: "enc", value: "tfvars" }], {}],
    ["TF_VAR_", {}, [], { TF_VAR_enc: "tfvars" }],
  ])("a value from %s for a variable the root does not declare is used, with a note", async (_name, extra, sources, env) => {
    const root = tree({ "main.tf": VOLUME("var.enc"), ...extra });
    const scan = await scanTerraform([root], root, { sources, env });
    expect(scan.roots[0]!.nodes.find((n) => n.address === "aws_ebs_volume.v")!.attributes["encrypted"]).toBe("tfvars");
    expect(scan.notes).toEqual([expect.stringContaining("var.enc is used but not declared")]);
  });

  it("an undeclared variable with no value anywhere stays unknown and names the problem", async () => {
    const { nodes, scan } = await nodesOf({ "main.tf": VOLUME("var.enc"), "terraform.tfvars": 'other = "x"\n' });
    expect(attr(nodes, "aws_ebs_volume.v", "encrypted")).toMatchObject({ unknown: "var.enc is not declared in the root module" });
    expect(scan.notes).toEqual([]);
  });

  it("a variable with no value is unknown with a reason that names it", async () => {
    const { nodes } = await nodesOf({ "main.tf": `variable "enc" {}\n${VOLUME("var.enc")}` });
    expect(attr(nodes, "aws_ebs_volume.v", "encrypted")).toEqual({ unknown: "var.enc has no value" });
  });

  it("locals, string templates and functions", async () => {
    const { nodes } = await nodesOf({
      "main.tf": [
        'variable "env" { default = "prod" }',
        'locals {\n  name = "web-${var.env}"\n  tags = merge({ a = "1" }, { env = var.env })\n  cidrs = concat(["10.0.0.0/8"], [cidrsubnet("10.1.0.0/16", 8, 2)])\n}',
        'resource "aws_security_group" "s" {\n  name = local.name\n  tags = local.tags\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = local.cidrs\n  }\n}',
      ].join("\n"),
    });
    expect(attr(nodes, "aws_security_group.s", "name")).toBe("web-prod");
    const rule = nodes.find((n) => n.kind === "aws.ec2.sg_rule")!;
    expect(view(rule.attributes["cidr_ipv4"]!)).toEqual(["10.0.0.0/8", "10.1.2.0/24"]);
  });

  it("a local that refers to itself is unknown, not a hang", async () => {
    const { nodes } = await nodesOf({ "main.tf": `locals {\n  a = local.b\n  b = local.a\n}\n${VOLUME("local.a")}` });
    expect(attr(nodes, "aws_ebs_volume.v", "encrypted")).toMatchObject({ unknown: expect.stringContaining("refers to itself") });
  });
});

describe("count, for_each and dynamic blocks", () => {
  it("count known to be 0 leaves the resource out, also through a conditional", async () => {
    const { nodes } = await nodesOf({
      "main.tf": `variable "on" { default = false }\nresource "aws_ebs_volume" "a" {\n  count = 0\n}\nresource "aws_ebs_volume" "b" {\n  count = var.on ? 1 : 0\n}\nresource "aws_ebs_volume" "c" {\n  count = var.on ? 0 : 2\n}\n`,
    });
    expect(nodes.map((n) => n.address)).toEqual(["aws_ebs_volume.c[0]", "aws_ebs_volume.c[1]"]);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(2);
  });

  it("count.index and each.value are bound per instance", async () => {
    const { nodes } = await nodesOf({
      "main.tf": `resource "aws_ebs_volume" "a" {\n  count = 2\n  encrypted = count.index == 1\n}\nresource "aws_ebs_volume" "b" {\n  for_each = { x = true, y = false }\n  encrypted = each.value\n}\n`,
    });
    const values = (address: string) => nodes.filter((n) => n.address === address).map((n) => n.attributes["encrypted"]);
    expect(values("aws_ebs_volume.a[0]")).toEqual([false]);
    expect(values("aws_ebs_volume.a[1]")).toEqual([true]);
    expect(values('aws_ebs_volume.b["x"]')).toEqual([true]);
    expect(values('aws_ebs_volume.b["y"]')).toEqual([false]);
  });

  it("an unknown count keeps one node whose count.index is unknown", async () => {
    const { nodes } = await nodesOf({ "main.tf": `variable "n" {}\nresource "aws_ebs_volume" "a" {\n  count = var.n\n  encrypted = count.index == 0\n}\n` });
    expect(nodes).toHaveLength(1);
    expect(nodes[0]!.attributes["encrypted"]).toBeInstanceOf(Unknown);
  });

  it("dynamic blocks expand over a known for_each, with a custom iterator", async () => {
    const { nodes } = await nodesOf({
      "main.tf": `locals { rules = [{ port = 22, cidr = "0.0.0.0/0" }, { port = 443, cidr = "10.0.0.0/8" }] }\nresource "aws_security_group" "s" {\n  dynamic "ingress" {\n    for_each = local.rules\n    iterator = rule\n    content {\n      from_port = rule.value.port\n      to_port = rule.value.port\n      protocol = "tcp"\n      cidr_blocks = [rule.value.cidr]\n    }\n  }\n}\n`,
    });
    const rules = nodes.filter((n) => n.kind === "aws.ec2.sg_rule");
    expect(rules.map((r) => [r.attributes["from_port"], view(r.attributes["cidr_ipv4"]!)])).toEqual([
      [22, ["0.0.0.0/0"]],
      [443, ["10.0.0.0/8"]],
    ]);
    // Positions of generated blocks point into the dynamic block's content.
    expect(rules[1]!.childPath).toEqual(["ingress", 1]);
    expect(rules[1]!.source.locate(["resource", "aws_security_group", "s", 0, "ingress", 1, "cidr_blocks"])?.line).toBe(10);
  });

  it("a count that may be 0 or a for_each that may be empty leaves failures for review; an unknown for_each fails once", async () => {
    const root = tree({
      "main.tf": [
        'variable "create" {}',
        'variable "names" {}',
        'resource "aws_ebs_volume" "a" {\n  count = var.create ? 1 : 0\n}',
        'resource "aws_ebs_volume" "b" {\n  for_each = var.names\n}',
        'resource "aws_ebs_volume" "c" {\n  count = var.create ? 1 : 2\n}',
        'resource "aws_ebs_volume" "d" {\n  for_each = var.create ? var.names : {}\n}',
        'resource "aws_ebs_volume" "e" {\n  for_each = var.names\n  encrypted = each.value\n}',
        "",
      ].join("\n"),
    });
    const out = await lint({ paths: ["."], cwd: root, rules: ebsOnly(), terraform: noVars });
    expect(out.findings.map((f) => [f.address, f.kind, f.reason ?? ""])).toEqual([
      ["aws_ebs_volume.a", "review", expect.stringContaining("created only if its count is not 0")],
      // Every element of var.names gives a volume without encryption.
      ["aws_ebs_volume.b", "fail", ""],
      // The count is 1 or 2: the first instance exists either way, the second may not.
      ["aws_ebs_volume.c[0]", "fail", ""],
      ["aws_ebs_volume.c[1]", "review", 'aws_ebs_volume.c[1] is created only if its count is more than 1, which cannot be decided: the condition "var.create" cannot be decided: var.create has no value'],
      ["aws_ebs_volume.d", "review", expect.stringContaining("one instance per element of for_each, which may be empty")],
      // Encryption differs by element: undecided, whatever the collection holds.
      ["aws_ebs_volume.e", "review", "each.value is not known: the for_each of aws_ebs_volume.e cannot be computed: var.names has no value"],
    ]);
  });

  it.each<[string, string, [string, string, string][]]>([
    [
      "a count of a known list's length or 0 evaluates each instance the list may give",
      'count = var.on ? length(local.enc) : 0\n  encrypted = local.enc[count.index]',
      [["aws_ebs_volume.v[0]", "review", 'aws_ebs_volume.v[0] is created only if its count is not 0, which cannot be decided: the condition "var.on" cannot be decided: var.on has no value']],
    ],
    [
      "a count of 0 or 1 keeps the plain address, with count.index 0",
      'count = var.on ? 1 : 0\n  encrypted = local.enc[count.index]',
      [["aws_ebs_volume.v", "review", 'aws_ebs_volume.v is created only if its count is not 0, which cannot be decided: the condition "var.on" cannot be decided: var.on has no value']],
    ],
    [
      "a count of 0 or 1 whose instance passes gives nothing",
      'count = var.on ? 1 : 0\n  encrypted = local.enc[count.index + 1]',
      [],
    ],
    [
      "a count that cannot be computed names what it depends on, not count.index",
      'count = var.n\n  encrypted = local.enc[count.index]',
      [["aws_ebs_volume.v", "review", "count.index is not known: the count of aws_ebs_volume.v cannot be computed: var.n has no value"]],
    ],
    [
      "a for_each over one of a few known maps evaluates each key any of them has",
      'for_each = var.on ? { a = false, b = true } : {}\n  encrypted = each.value',
      [['aws_ebs_volume.v["a"]', "review", 'aws_ebs_volume.v["a"] is created only if its for_each has the key "a", which cannot be decided: the condition "var.on" cannot be decided: var.on has no value']],
    ],
    [
      "a key in every possible map exists either way",
      'for_each = var.on ? { a = false } : { a = false, b = false }\n  encrypted = each.value',
      [
        ['aws_ebs_volume.v["a"]', "fail", ""],
        ['aws_ebs_volume.v["b"]', "review", 'aws_ebs_volume.v["b"] is created only if its for_each has the key "b", which cannot be decided: the condition "var.on" cannot be decided: var.on has no value'],
      ],
    ],
    [
      "a count above the instances parapet expands says so",
      'count = 100\n  encrypted = count.index > 0',
      [
        ["aws_ebs_volume.v", "review", "count.index is not known: aws_ebs_volume.v has 100 instances, more than parapet evaluates one by one (max-instances is 64)"],
        ["aws_ebs_volume.v", "fail", ""],
      ],
    ],
  ])("%s", async (_name, body, want) => {
    const root = tree({
      "main.tf": `variable "on" {}\nvariable "n" {}\nlocals {\n  enc = [false, true]\n}\nresource "aws_ebs_volume" "v" {\n  ${body}\n}\n`,
    });
    const out = await lint({ paths: ["."], cwd: root, rules: ebsOnly(), terraform: noVars });
    expect(out.findings.map((f) => [f.address, f.kind, f.reason ?? ""])).toEqual(want);
  });

  it("dynamic blocks over an unknown for_each are unknown", async () => {
    const { nodes } = await nodesOf({
      "main.tf": `variable "ports" {}\nresource "aws_security_group" "s" {\n  dynamic "ingress" {\n    for_each = var.ports\n    content {\n      from_port = ingress.value\n      to_port = ingress.value\n      protocol = "tcp"\n      cidr_blocks = ["0.0.0.0/0"]\n    }\n  }\n}\n`,
    });
    const rule = nodes.find((n) => n.kind === "aws.ec2.sg_rule")!;
    expect(rule.attributes["from_port"]).toBeInstanceOf(Unknown);
    expect((rule.attributes["from_port"] as Unknown).reason).toContain("var.ports");
  });
});

describe("modules", () => {
  it("local modules get their inputs, nested modules their addresses", async () => {
    const { nodes, scan } = await nodesOf({
      "main.tf": `module "web" {\n  source = "./modules/web"\n  encrypt = false\n}\n`,
      "modules/web/main.tf": `variable "encrypt" {}\nmodule "disk" {\n  source = "../disk"\n  enc = var.encrypt\n}\n`,
      "modules/disk/main.tf": `variable "enc" {}\n${VOLUME("var.enc")}output "id" { value = aws_ebs_volume.v.id }\n`,
    }, noVars, [".", "modules/web", "modules/disk"]);
    expect(scan.roots).toHaveLength(1);
    expect(nodes.map((n) => [n.address, n.attributes["encrypted"]])).toEqual([["module.web.module.disk.aws_ebs_volume.v", false]]);
    expect(nodes[0]!.source.path).toBe("modules/disk/main.tf");
  });

  it.each([
    ["null to a nullable = false variable takes its default", "null", "true", "false", true],
    ["null to a nullable variable stays null: the argument is left out, and a volume is then not encrypted", "null", "true", "true", false],
    ["a value to a nullable = false variable is used", "false", "true", "false", false],
    ["null to a nullable = false variable without a default stays null", "null", undefined, "false", false],
    ["a conditional that may give null takes the default in that branch", "var.on ? false : null", "true", "false", { possible: [false, true] }],
  ])("%s", async (_name, given, fallback, nullable, expected) => {
    const { nodes } = await nodesOf({
      "main.tf": `variable "on" { type = bool }\nmodule "ng" {\n  source = "./mod"\n  encrypt = ${given}\n}\n`,
      "mod/main.tf": `variable "encrypt" {\n  type = bool\n${fallback === undefined ? "" : `  default = ${fallback}\n`}  nullable = ${nullable}\n}\n${VOLUME("var.encrypt")}`,
    }, noVars, [".", "mod"]);
    const value = attr(nodes, "module.ng.aws_ebs_volume.v", "encrypted");
    if (typeof expected === "object") expect((value as { possible?: unknown[] }).possible?.sort()).toEqual(expected.possible.sort());
    else expect(value).toBe(expected);
  });

  it("modules downloaded by terraform init are found through .terraform/modules/modules.json", async () => {
    const { nodes, scan } = await nodesOf({
      "main.tf": `module "sg" {\n  source = "registry.example/acme/sg/aws"\n  version = "1.0.0"\n  enc = true\n}\nmodule "missing" {\n  source = "git::https://example.com/x.git"\n}\n`,
      ".terraform/modules/modules.json": JSON.stringify({ Modules: [{ Key: "", Source: "", Dir: "." }, { Key: "sg", Source: "registry.example/acme/sg/aws", Dir: ".terraform/modules/sg" }] }),
      ".terraform/modules/sg/main.tf": `variable "enc" {}\n${VOLUME("var.enc")}`,
    });
    expect(nodes.map((n) => [n.address, n.attributes["encrypted"]])).toEqual([["module.sg.aws_ebs_volume.v", true]]);
    expect(scan.notes).toEqual([expect.stringContaining("module.missing (git::https://example.com/x.git) was not scanned")]);
  });

  it.each([
    ["names a folder beside the caller: Terraform reads it as a registry address", { "modules/disk/main.tf": VOLUME("false") }, "module.d (modules/disk) is read by Terraform as a registry address, not as the folder beside it: a local module source must start with ./ or ../ (write ./modules/disk); not scanned"],
    ["names no folder: a remote module to download", {}, "module.d (modules/disk) was not scanned: it is not in this repository and not downloaded (run terraform init)"],
  ])("a module source without ./ that %s", async (_, files, note) => {
    const { nodes, scan } = await nodesOf({ ...files, "main.tf": `module "d" {\n  source = "modules/disk"\n}\n` });
    expect(nodes).toEqual([]);
    expect(scan.notes).toEqual([note]);
  });

  it("a module source that leaves the scanned folder is not read", async () => {
    const root = tree({ "outside/main.tf": VOLUME("false"), "project/main.tf": `module "x" {\n  source = "../outside"\n}\n` });
    const scan = await scanTerraform([join(root, "project")], join(root, "project"), noVars);
    expect(scan.roots[0]!.nodes).toEqual([]);
    expect(scan.notes).toEqual([expect.stringContaining("outside the scanned folder")]);
  });

  it("a module that calls itself stops at the depth limit with a finding that fails the run, at the call", async () => {
    const root = tree({ "main.tf": `module "again" {\n  source = "./"\n}\n${VOLUME("true")}` });
    const out = await lint({ paths: ["."], cwd: root, rules: ebsOnly(), terraform: noVars });
    const limits = out.findings.filter((f) => f.ruleId === "parse-error");
    expect(limits.map((f) => [f.kind, f.file, f.position.line])).toEqual([["fail", "main.tf", 1]]);
    expect(limits[0]!.message).toMatch(/^limit exceeded: module\.again(\.module\.again){16} nests module calls more than 16 deep \(fixed limit: module nesting\); the modules it calls were not checked: a module that calls itself never ends/);
  });
});

describe("the pre-commit case", () => {
  it("a named file is evaluated with its folder, and only its findings are reported", async () => {
    const root = tree({
      "variables.tf": `variable "enc" { default = false }\n`,
      "a.tf": VOLUME("var.enc"),
      "b.tf": `resource "aws_ebs_volume" "other" {\n  availability_zone = "eu-west-1a"\n}\n`,
    });
    const out = await lint({ paths: ["a.tf"], cwd: root, rules: ebsOnly(), terraform: noVars });
    expect(out.findings.map((f) => [f.ruleId, f.file, f.address, f.position.line])).toEqual([["ebs-encrypted", "a.tf", "aws_ebs_volume.v", 3]]);
    expect(out.files).toEqual(["a.tf"]);
    const all = await lint({ paths: ["."], cwd: root, rules: ebsOnly(), terraform: noVars });
    expect(all.findings.map((f) => f.address).sort()).toEqual(["aws_ebs_volume.other", "aws_ebs_volume.v"]);
  });

  it("invalid HCL is a parse error at the line hcl2json names, and other modules are still linted", async () => {
    const root = tree({ "bad/main.tf": `resource "aws_ebs_volume" "v" {\n  encrypted = \n}\n`, "good/main.tf": VOLUME("false") });
    const out = await lint({ paths: ["."], cwd: root, rules: ebsOnly(), terraform: noVars });
    expect(out.findings.map((f) => [f.ruleId, f.file, f.position.line])).toEqual([
      ["parse-error", "bad/main.tf", 2],
      ["ebs-encrypted", "good/main.tf", 3],
    ]);
  });
});

describe("models of registry modules that are not downloaded", () => {
  it.each<[unknown, number | undefined]>([
    ["1.0.4", 1],
    ["= 2.1.0", 2],
    ["~> 3.0", 3],
    [">= 3.0, < 4.0", 3],
    [">= 2.0", undefined],
    [undefined, undefined],
  ])("version %j pins major %j", async (constraint, major) => {
    const { pinnedMajor } = await import("../../../src/parsers/terraform/models.js");
    expect(pinnedMajor(constraint as never)).toBe(major);
  });

  it("evaluates the model with the call's inputs and reports at the module block", async () => {
    const { nodes, scan } = await nodesOf({
      "main.tf": [
        "# workers",
        'module "asg" {',
        '  source  = "terraform-aws-modules/autoscaling/aws"',
        '  version = "~> 3.0"',
        '  lc_name = "workers"',
        '  iam_instance_profile = "workers"',
        '  ebs_block_device = [{ device_name = "/dev/xvdb", encrypted = true }]',
        '  root_block_device = [{ volume_size = 50 }]',
        "}",
        'module "sg" {',
        '  source  = "registry.terraform.io/terraform-aws-modules/security-group/aws"',
        '  version = "5.1.0"',
        '  ingress_rules = ["ssh-tcp", "https-443-tcp"]',
        '  ingress_cidr_blocks = ["0.0.0.0/0"]',
        "}",
        'module "latest" {',
        '  source = "terraform-aws-modules/autoscaling/aws"',
        "}",
        "",
      ].join("\n"),
    });
    const lc = nodes.filter((n) => n.address === "module.asg.aws_launch_configuration.this[0]");
    expect(lc.map((n) => [n.kind, n.attributes["encrypted"] ?? n.attributes["iam_instance_profile"]])).toEqual([
      ["aws.autoscaling.launch_configuration", "workers"],
      ["aws.ebs.volume", false], // root_block_device without encrypted
      ["aws.ebs.volume", true],
    ]);
    expect(lc.every((n) => n.source.path === "main.tf" && n.source.locate(["anything"])?.line === 2)).toBe(true);
    const rules = nodes.filter((n) => n.address.startsWith("module.sg.aws_security_group_rule.ingress_rules["));
    expect(rules.map((n) => [n.attributes["from_port"], view(n.attributes["cidr_ipv4"]!)])).toEqual([
      [22, ["0.0.0.0/0"]],
      [443, ["0.0.0.0/0"]],
    ]);
    // hcl2json lists blocks by name.
    expect(scan.notes).toEqual([
      expect.stringContaining("module.asg (terraform-aws-modules/autoscaling/aws) is not downloaded: parapet evaluated its model"),
      expect.stringContaining("module.latest (terraform-aws-modules/autoscaling/aws) was not scanned"),
      expect.stringContaining("module.sg (registry.terraform.io/terraform-aws-modules/security-group/aws) is not downloaded"),
    ]);
  });

  it("a nested block in a module call and a name declared twice are invalid Terraform", async () => {
    const root = tree({
      "a.tf": 'module "m" {\n  source = "./m"\n  ingress {\n    from_port = 22\n  }\n}\n',
      "b.tf": 'module "m" {\n  source = "./m"\n}\n',
      "m/main.tf": "",
    });
    const out = await lint({ paths: ["."], cwd: root, rules: ebsOnly(), terraform: noVars });
    expect(out.findings.map((f) => [f.ruleId, f.file, f.position.line, f.message])).toEqual([
      ["parse-error", "a.tf", 3, 'invalid Terraform: module "m" has a nested "ingress" block, but a module call takes arguments only'],
      ["parse-error", "b.tf", 1, 'invalid Terraform: module "m" is declared twice (first in a.tf)'],
    ]);
  });
});

describe("models of the ec2-instance and vpc registry modules", () => {
  it("an instance with user data and the module's IMDS default; a VPC whose flow log is off", async () => {
    const { nodes } = await nodesOf({
      "main.tf": [
        'module "web" {',
        '  source     = "terraform-aws-modules/ec2-instance/aws"',
        '  version    = "~> 3.0"',
        '  monitoring = true',
        '  user_data  = "#!/bin/bash\\necho hi"',
        "}",
        'module "net" {',
        '  source          = "terraform-aws-modules/vpc/aws"',
        '  version         = "3.7.0"',
        '  public_subnets  = ["10.0.101.0/24"]',
        '  enable_flow_log = false',
        "}",
        "",
      ].join("\n"),
    });
    const instance = nodes.find((n) => n.address === "module.web.aws_instance.this[0]")!;
    expect(instance.attributes).toMatchObject({ monitoring: true, user_data: "#!/bin/bash\necho hi", metadata_options: { http_tokens: "optional" } });
    expect(nodes.filter((n) => n.address.startsWith("module.net.")).map((n) => n.address).sort()).toEqual(["module.net.aws_subnet.public[0]", "module.net.aws_vpc.this[0]"]);
    expect(nodes.some((n) => n.address.startsWith("module.net.aws_flow_log.this"))).toBe(false);
  });
});

describe("Terraform JSON syntax", () => {
  const config = {
    "//": { metadata: { stackName: "app" } },
    provider: { aws: [{ region: "eu-west-1" }] },
    resource: { aws_ebs_volume: { v: { availability_zone: "eu-west-1a", encrypted: false } } },
  };

  it.each<[string, unknown, boolean]>([
    ["resources, a provider and a comment key", config, true],
    ["a module call only", { module: { web: { source: "./web" } } }, true],
    ["a data source only", { data: { aws_ami: { a: { most_recent: true } } } }, true],
    ["variables and outputs but nothing created or read", { variable: { a: {} }, output: { b: { value: 1 } } }, false],
    ["an empty resource section", { resource: {} }, false],
    ["a key Terraform does not know", { resource: config.resource, name: "package" }, false],
    ["a package manifest", { name: "app", version: "1.0.0", dependencies: {} }, false],
    ["a CloudFormation template", { Resources: { V: { Type: "AWS::EC2::Volume" } } }, false],
    ["a list", [config], false],
    ["a string", "resource", false],
  ])("%s → %s", async (_name, data, want) => {
    const { isTerraformJsonConfig } = await import("../../../src/parsers/terraform/json-config.js");
    expect(isTerraformJsonConfig(data)).toBe(want);
  });

  it("a .json file in Terraform syntax is linted as a root of its own, with a note and real positions", async () => {
    const text = JSON.stringify(config, null, 2);
    const root = tree({ "stack/cdk.json": text, "stack/main.tf": VOLUME("true") });
    const out = await lint({ paths: ["."], cwd: root, rules: ebsOnly() });
    expect(out.findings.map((f) => [f.file, f.address, f.position.line])).toEqual([
      ["stack/cdk.json", "aws_ebs_volume.v", text.split("\n").findIndex((l) => l.includes('"encrypted"')) + 1],
    ]);
    expect(out.files).toContain("stack/cdk.json");
    expect(out.notes).toEqual([expect.stringContaining("stack/cdk.json: Terraform JSON configuration in a file Terraform does not read")]);
  });

  it("a .tf.json file reports positions in the file, whether a block is written as an object or a list", async () => {
    const asObject = JSON.stringify(config, null, 2);
    const asList = JSON.stringify({ resource: { aws_ebs_volume: { v: [{ availability_zone: "eu-west-1a", encrypted: false }] } } }, null, 2);
    for (const text of [asObject, asList]) {
      const root = tree({ "main.tf.json": text });
      const out = await lint({ paths: ["."], cwd: root, rules: ebsOnly() });
      expect(out.findings.map((f) => [f.file, f.position.line])).toEqual([["main.tf.json", text.split("\n").findIndex((l) => l.includes('"encrypted"')) + 1]]);
    }
  });
});

describe("instances named by their keys", () => {
  /** Addresses of the security-group rule nodes with their port and CIDR blocks. */
  async function rulesOf(files: Record<string, string>, variables: VariableOptions = noVars) {
    const { nodes } = await nodesOf(files, variables);
    return nodes
      .filter((n) => n.kind === "aws.ec2.sg_rule")
      .map((n) => [n.address, view(n.attributes["from_port"]!), view(n.attributes["cidr_ipv4"] ?? null)]);
  }
  const RULE = (forEach: string, port: string, cidr: string) =>
    `resource "aws_security_group_rule" "r" {\n  ${forEach}\n  type = "ingress"\n  security_group_id = "sg-1"\n  protocol = "tcp"\n  from_port = ${port}\n  to_port = ${port}\n  cidr_blocks = [${cidr}]\n}\n`;

  it.each<[string, Record<string, string>, VariableSource[], unknown[]]>([
    [
      "toset() of a list from terraform.tfvars",
      { "main.tf": `variable "ports" {}\n${RULE("for_each = toset(var.ports)", "tonumber(each.key)", '"0.0.0.0/0"')}`, "terraform.tfvars": 'ports = ["22", "443"]\n' },
      [],
      [
        ['aws_security_group_rule.r["22"]', 22, ["0.0.0.0/0"]],
        ['aws_security_group_rule.r["443"]', 443, ["0.0.0.0/0"]],
      ],
    ],
    [
      "a for expression over a variable's default, through a local",
      {
        "main.tf": `variable "rules" {\n  default = [{ name = "ssh", port = 22, cidr = "10.0.0.0/8" }, { name = "web", port = 443, cidr = "0.0.0.0/0" }]\n}\nlocals {\n  by_name = { for r in var.rules : r.name => r }\n}\n${RULE("for_each = local.by_name", "each.value.port", "each.value.cidr")}`,
      },
      [],
      [
        ['aws_security_group_rule.r["ssh"]', 22, ["10.0.0.0/8"]],
        ['aws_security_group_rule.r["web"]', 443, ["0.0.0.0/0"]],
      ],
    ],
    [
      "setproduct and flatten of two lists, keys built from both",
      {
        "main.tf": `variable "ports" { default = [22, 3389] }\nvariable "cidrs" { default = ["10.0.0.0/8", "0.0.0.0/0"] }\nlocals {\n  pairs = { for p in setproduct(var.ports, var.cidrs) : "\${p[0]}-\${p[1]}" => { port = p[0], cidr = p[1] } if p[0] != 3389 || p[1] != "0.0.0.0/0" }\n  flat = flatten([for p in var.ports : [for c in var.cidrs : { port = p, cidr = c }]])\n}\n${RULE("for_each = local.pairs", "each.value.port", "each.value.cidr")}`,
      },
      [],
      [
        ['aws_security_group_rule.r["22-10.0.0.0/8"]', 22, ["10.0.0.0/8"]],
        ['aws_security_group_rule.r["22-0.0.0.0/0"]', 22, ["0.0.0.0/0"]],
        ['aws_security_group_rule.r["3389-10.0.0.0/8"]', 3389, ["10.0.0.0/8"]],
      ],
    ],
    [
      "count from length() of a --var list, values by count.index",
      { "main.tf": `variable "cidrs" {}\n${RULE("count = length(var.cidrs)", "22", "var.cidrs[count.index]")}` },
      [{ kind: "var", name: "cidrs", value: '["10.0.0.0/8", "0.0.0.0/0"]' }],
      [
        ["aws_security_group_rule.r[0]", 22, ["10.0.0.0/8"]],
        ["aws_security_group_rule.r[1]", 22, ["0.0.0.0/0"]],
      ],
    ],
    [
      "keys(), values(), lookup(), merge(), range() and a conditional over known values",
      {
        "main.tf": `variable "env" { default = "prod" }\nlocals {\n  base = { ssh = 22 }\n  extra = var.env == "prod" ? { rdp = 3389 } : {}\n  ports = merge(local.base, local.extra)\n  idx = { for i in range(length(keys(local.ports))) : keys(local.ports)[i] => values(local.ports)[i] }\n}\n${RULE("for_each = local.idx", 'lookup(local.ports, each.key, 0)', '"0.0.0.0/0"')}`,
      },
      [],
      [
        ['aws_security_group_rule.r["rdp"]', 3389, ["0.0.0.0/0"]],
        ['aws_security_group_rule.r["ssh"]', 22, ["0.0.0.0/0"]],
      ],
    ],
    [
      "each.value in a nested block and in a dynamic block of a for_each resource",
      {
        "main.tf": `variable "groups" {\n  default = { web = [80, 443], admin = [22] }\n}\nresource "aws_security_group" "g" {\n  for_each = var.groups\n  name = each.key\n  dynamic "ingress" {\n    for_each = each.value\n    content {\n      from_port = ingress.value\n      to_port = ingress.value\n      protocol = "tcp"\n      cidr_blocks = [each.key == "admin" ? "10.0.0.0/8" : "0.0.0.0/0"]\n    }\n  }\n  egress {\n    from_port = 0\n    to_port = 0\n    protocol = "-1"\n    cidr_blocks = [each.key == "admin" ? "10.0.0.0/8" : "0.0.0.0/0"]\n  }\n}\n`,
      },
      [],
      [
        ['aws_security_group.g["admin"]', 22, ["10.0.0.0/8"]],
        ['aws_security_group.g["admin"]', 0, ["10.0.0.0/8"]],
        ['aws_security_group.g["web"]', 80, ["0.0.0.0/0"]],
        ['aws_security_group.g["web"]', 443, ["0.0.0.0/0"]],
        ['aws_security_group.g["web"]', 0, ["0.0.0.0/0"]],
      ],
    ],
  ])("%s", async (_name, files, sources, want) => {
    expect(await rulesOf(files, { sources, env: {} })).toEqual(want);
  });

  it("a module call with for_each is one module instance per key, with each.value in its inputs and outputs by key", async () => {
    const { nodes } = await nodesOf({
      "main.tf": [
        'variable "disks" {\n  default = { logs = true, scratch = false }\n}',
        'module "disk" {\n  source    = "./disk"\n  for_each  = var.disks\n  encrypted = each.value\n}',
        'module "empty" {\n  source   = "./disk"\n  for_each = {}\n}',
        'resource "aws_ebs_volume" "copy" {\n  availability_zone = "a"\n  encrypted = module.disk["scratch"].encrypted\n}',
        'resource "aws_ebs_volume" "all" {\n  availability_zone = "a"\n  encrypted = alltrue([for d in module.disk : d.encrypted])\n}',
        "",
      ].join("\n"),
      "disk/main.tf": 'variable "encrypted" {}\nresource "aws_ebs_volume" "v" {\n  availability_zone = "a"\n  encrypted = var.encrypted\n}\noutput "encrypted" { value = aws_ebs_volume.v.encrypted }\n',
    });
    expect(nodes.map((n) => [n.address, n.attributes["encrypted"]])).toEqual([
      ["aws_ebs_volume.all", false],
      ["aws_ebs_volume.copy", false],
      ['module.disk["logs"].aws_ebs_volume.v', true],
      ['module.disk["scratch"].aws_ebs_volume.v', false],
    ]);
  });

  it("a module call whose count may be 0 makes its resources' failures reviews; one that is 1 names instance [0]", async () => {
    const root = tree({
      "main.tf": 'variable "on" {}\nmodule "maybe" {\n  source = "./disk"\n  count  = var.on ? 1 : 0\n}\nmodule "one" {\n  source = "./disk"\n  count  = 1\n}\n',
      "disk/main.tf": 'resource "aws_ebs_volume" "v" {\n  availability_zone = "a"\n}\n',
    });
    const out = await lint({ paths: ["."], cwd: root, rules: ebsOnly(), terraform: noVars });
    expect(out.findings.map((f) => [f.address, f.kind, f.file, f.position.line])).toEqual([
      ["module.maybe.aws_ebs_volume.v", "review", "disk/main.tf", 1],
      ["module.one[0].aws_ebs_volume.v", "fail", "disk/main.tf", 1],
    ]);
  });

  it("each instance of a for_each resource gives its own finding at the block's lines", async () => {
    const root = tree({
      "main.tf": 'variable "disks" {}\nresource "aws_ebs_volume" "v" {\n  for_each = var.disks\n  availability_zone = "a"\n  encrypted = each.value\n}\n',
      "terraform.tfvars": "disks = { a = false, b = true, c = false }\n",
    });
    const out = await lint({ paths: ["."], cwd: root, rules: ebsOnly(), terraform: noVars });
    expect(out.findings.map((f) => [f.address, f.kind, f.position.line])).toEqual([
      ['aws_ebs_volume.v["a"]', "fail", 5],
      ['aws_ebs_volume.v["c"]', "fail", 5],
    ]);
  });
});

describe("references to an instance of a counted or for_each resource", () => {
  /** The edges of the root's instance nodes, by address. */
  async function instanceEdges(hcl: string): Promise<string[]> {
    const { nodes } = await nodesOf({ "main.tf": hcl });
    // The references of the instance itself (not its root volume's owner edge).
    return edgesOf(nodes, TERRAFORM_KINDS).filter((e) => e.startsWith("aws_instance.") && !e.includes(" -owner-> "));
  }
  const PROFILES = (meta: string, name: string) => `resource "aws_iam_instance_profile" "p" {\n  ${meta}\n  name = ${name}\n  name_prefix = "p-"\n}\n`;
  const INSTANCE = (profile: string) => `resource "aws_instance" "web" {\n  ami = "ami-1"\n  iam_instance_profile = ${profile}\n}\n`;

  it.each<[string, string, string[]]>([
    [
      "[0] of a counted profile whose name the provider computes (set to null)",
      `variable "use_prefix" { default = true }\n${PROFILES("count = 1", 'var.use_prefix ? null : "p"')}${INSTANCE("aws_iam_instance_profile.p[0].name")}`,
      ["aws_instance.web -iam_instance_profile-> aws_iam_instance_profile.p[0]"],
    ],
    [
      "a conditional on a module-style input that picks the created profile",
      `variable "create" { default = true }\nvariable "given" { default = null }\n${PROFILES("count = var.create ? 1 : 0", "null")}${INSTANCE("var.create ? aws_iam_instance_profile.p[0].name : var.given")}`,
      ["aws_instance.web -iam_instance_profile-> aws_iam_instance_profile.p[0]"],
    ],
    [
      "[1] reaches the second instance, not the first",
      `${PROFILES("count = 2", "null")}${INSTANCE("aws_iam_instance_profile.p[1].name")}`,
      ["aws_instance.web -iam_instance_profile-> aws_iam_instance_profile.p[1]"],
    ],
    [
      "[1].name evaluated with that instance's count.index",
      `${PROFILES("count = 2", '"p-${count.index}"')}${INSTANCE("aws_iam_instance_profile.p[1].name")}`,
      ["aws_instance.web -iam_instance_profile-> aws_iam_instance_profile.p[1]"],
    ],
    [
      '["b"] of a for_each profile, named by each.value',
      `${PROFILES('for_each = { a = "one", b = "two" }', "each.value")}${INSTANCE('aws_iam_instance_profile.p["b"].name')}`,
      ['aws_instance.web -iam_instance_profile-> aws_iam_instance_profile.p["b"]'],
    ],
    [
      "the name of a whole profile held in a local",
      `locals {\n  profile = aws_iam_instance_profile.p\n}\n${PROFILES("", '"p"')}${INSTANCE("local.profile.name")}`,
      ["aws_instance.web -iam_instance_profile-> aws_iam_instance_profile.p"],
    ],
    [
      "the name of one of two whole profiles chosen by a conditional in a local",
      `variable "create" { default = true }\nlocals {\n  profile = var.create ? aws_iam_instance_profile.p[0] : data.aws_iam_instance_profile.given\n}\n${PROFILES("count = var.create ? 1 : 0", "null")}${INSTANCE("local.profile.name")}`,
      ["aws_instance.web -iam_instance_profile-> aws_iam_instance_profile.p[0]"],
    ],
    [
      '["a"] of a for_each profile whose name is computed',
      `${PROFILES("for_each = toset([\"a\", \"b\"])", "null")}${INSTANCE('aws_iam_instance_profile.p["a"].name')}`,
      ['aws_instance.web -iam_instance_profile-> aws_iam_instance_profile.p["a"]'],
    ],
  ])("%s", async (_name, hcl, want) => {
    expect(await instanceEdges(hcl)).toEqual(want);
  });

  it("a whole resource passed through a local into a module keeps its reference: the flow log is the VPC's", async () => {
    const { nodes } = await nodesOf({
      "main.tf": `resource "aws_vpc" "main" {\n  count = 1\n  cidr_block = "10.0.0.0/16"\n}\nlocals {\n  vpc = aws_vpc.main[0]\n}\nmodule "logs" {\n  source = "./logs"\n  vpc_id = local.vpc.id\n}\n`,
      "logs/main.tf": `variable "vpc_id" {}\nresource "aws_flow_log" "f" {\n  vpc_id = var.vpc_id\n  traffic_type = "ALL"\n  log_destination = "arn:aws:s3:::logs"\n  log_destination_type = "s3"\n}\n`,
    }, noVars, [".", "logs"]);
    expect(edgesOf(nodes, TERRAFORM_KINDS).filter((e) => e.includes("aws_flow_log"))).toEqual(["module.logs.aws_flow_log.f -resource-> aws_vpc.main[0]"]);
  });

  it("an argument set to null reads as known only after apply, an argument set to a value as that value", async () => {
    const { nodes } = await nodesOf({ "main.tf": `${PROFILES("count = 2", 'count.index == 0 ? null : "second"')}${INSTANCE("aws_iam_instance_profile.p[0].name")}resource "aws_instance" "other" {\n  ami = "ami-1"\n  iam_instance_profile = aws_iam_instance_profile.p[1].name\n}\n` });
    expect(attr(nodes, "aws_instance.web", "iam_instance_profile")).toMatchObject({ unknown: "aws_iam_instance_profile.p[0].name is known only after apply" });
    expect(attr(nodes, "aws_instance.other", "iam_instance_profile")).toBe("second");
  });
});

describe("outputs of module calls, whatever the order of the blocks", () => {
  const DISK = { "disk/main.tf": 'variable "on" { default = true }\noutput "encrypted" { value = var.on }\n' };
  const USE = (expression: string) => `resource "aws_ebs_volume" "v" {\n  availability_zone = "a"\n  encrypted = ${expression}\n}\n`;

  it.each<[string, Record<string, string>, unknown]>([
    [
      "a call whose input is the output of a call declared after it, in another file",
      {
        "a.tf": 'module "a_user" {\n  source = "./user"\n  encrypted = module.z_disk.encrypted\n}\n',
        "z.tf": 'module "z_disk" {\n  source = "./disk"\n}\n',
        "user/main.tf": `variable "encrypted" {}\n${USE("var.encrypted")}`,
        ...DISK,
      },
      true,
    ],
    [
      "a call that is not downloaded: the reason names its source and version",
      {
        "main.tf": 'module "a_user" {\n  source = "./user"\n  encrypted = module.vpc.vpc_id != ""\n}\nmodule "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "~> 5.0"\n}\n',
        "user/main.tf": `variable "encrypted" {}\n${USE("var.encrypted")}`,
      },
      { unknown: "module.vpc (terraform-aws-modules/vpc/aws ~> 5.0) is not downloaded: run terraform init to check its values" },
    ],
    [
      "a call from a git source without a version",
      { "main.tf": `module "net" {\n  source = "git::https://example.com/net.git"\n}\n${USE("module.net.encrypted")}` },
      { unknown: "module.net (git::https://example.com/net.git) is not downloaded: run terraform init to check its values" },
    ],
    [
      "a call with count 0 is an empty list, not an undeclared module",
      { "main.tf": `module "off" {\n  source = "./disk"\n  count = 0\n}\n${USE("length(module.off) == 0")}`, ...DISK },
      true,
    ],
  ])("%s", async (_name, files, want) => {
    const { nodes } = await nodesOf(files);
    const volume = nodes.find((n) => n.kind === "aws.ebs.volume")!;
    expect(view(volume.attributes["encrypted"]!)).toEqual(want);
  });
});

describe("data sources with a few possible values", () => {
  it.each<[string, string, unknown]>([
    ["dns_suffix", "data.aws_partition.current.dns_suffix", ["amazonaws.com", "amazonaws.com.cn"]],
    ["partition, in an ARN", '"arn:${data.aws_partition.current.partition}:iam::aws:policy/ReadOnlyAccess"', ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws-cn:iam::aws:policy/ReadOnlyAccess", "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"]],
    ["an attribute parapet does not know", "data.aws_partition.current.other", undefined],
    ["a partition data source that is not declared", "data.aws_partition.missing.dns_suffix", undefined],
  ])("data.aws_partition: %s", async (_name, expression, want) => {
    const { nodes } = await nodesOf({ "main.tf": `data "aws_partition" "current" {}\nresource "aws_ebs_volume" "v" {\n  availability_zone = "a"\n  kms_key_id = ${expression}\n}\n` });
    const value = nodes[0]!.attributes["kms_key_id"] as Unknown;
    expect(value).toBeInstanceOf(Unknown);
    expect(value.reason).toMatch(/is read when Terraform plans/);
    expect(value.possible).toEqual(want);
  });

  it("an EC2 trust policy written with the partition's DNS suffix is an EC2 trust policy", async () => {
    const root = tree({
      "main.tf": [
        'data "aws_partition" "current" {}',
        'data "aws_iam_policy_document" "assume" {\n  statement {\n    actions = ["sts:AssumeRole"]\n    principals {\n      type        = "Service"\n      identifiers = ["ec2.${data.aws_partition.current.dns_suffix}"]\n    }\n  }\n}',
        'resource "aws_iam_role" "app" {\n  name_prefix        = "app-"\n  assume_role_policy = data.aws_iam_policy_document.assume.json\n}',
        'resource "aws_iam_role_policy_attachment" "admin" {\n  role       = aws_iam_role.app.name\n  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}',
        "",
      ].join("\n"),
    });
    const rules = builtinRules().filter((r) => r.id === "iam-instance-role-least-privilege");
    const out = await lint({ paths: ["."], cwd: root, rules, terraform: noVars });
    expect(out.findings.map((f) => [f.address, f.kind])).toEqual([["aws_iam_role.app", "fail"]]);
  });
});

describe("each.value of a for_each over a literal map, through module inputs", () => {
  it("a dynamic root block from an optional object input and volumes from a map input are decided per instance", async () => {
    const root = tree({
      "main.tf": [
        "locals {\n  servers = {\n    one = { root = { encrypted = true } }\n    two = { root = { encrypted = false } }\n    three = {}\n  }\n}",
        'module "server" {\n  source = "./server"\n  for_each = local.servers\n  root_block_device = try(each.value.root, null)\n}',
        'module "disks" {\n  source = "./server"\n  volumes = {\n    data = { encrypted = true }\n    logs = { encrypted = false }\n  }\n}',
        "",
      ].join("\n"),
      "server/main.tf": [
        'variable "root_block_device" {\n  type    = object({ encrypted = optional(bool) })\n  default = null\n}',
        'variable "volumes" {\n  type    = map(object({ encrypted = optional(bool) }))\n  default = {}\n}',
        'resource "aws_instance" "this" {\n  ami = "ami-1"\n  dynamic "root_block_device" {\n    for_each = var.root_block_device != null ? [var.root_block_device] : []\n    content {\n      encrypted = root_block_device.value.encrypted\n    }\n  }\n}',
        'resource "aws_ebs_volume" "this" {\n  for_each = var.volumes\n  availability_zone = "a"\n  encrypted = each.value.encrypted\n}',
        "",
      ].join("\n"),
    });
    const out = await lint({ paths: ["."], cwd: root, rules: ebsOnly(), terraform: noVars });
    // "three" and module.disks have no root block (the dynamic block is over nothing): their
    // root volume comes from the image, not encrypted, as with an empty block.
    expect(out.findings.map((f) => [f.address, f.kind])).toEqual([
      ["module.disks.aws_instance.this", "fail"],
      ['module.server["three"].aws_instance.this', "fail"],
      ['module.server["two"].aws_instance.this', "fail"],
      ['module.disks.aws_ebs_volume.this["logs"]', "fail"],
    ]);
  });
});

describe("files read by file() and templatefile()", () => {
  const instance = (userData: string) => `resource "aws_instance" "web" {\n  user_data = ${userData}\n}\n`;
  const callsMod = 'module "m" {\n  source = "./mod"\n  who = "child"\n}\n';
  const modReads = (userData: string) => `variable "who" {}\n${instance(userData)}`;

  it.each<[string, Record<string, string>, string, unknown]>([
    ["a template beside the root module", { "main.tf": instance('templatefile("${path.module}/ud.sh", { name = "web" })'), "ud.sh": "echo ${name}\n" }, "aws_instance.web", "echo web\n"],
    ["a file named relative to the root module's folder", { "main.tf": instance('file("scripts/ud.sh")'), "scripts/ud.sh": "echo ${raw}\n" }, "aws_instance.web", "echo ${raw}\n"],
    ["path.module of a called module is its own folder", { "main.tf": callsMod, "mod/main.tf": modReads('templatefile("${path.module}/t.tpl", { who = var.who })'), "mod/t.tpl": "hi ${who}" }, "module.m.aws_instance.web", "hi child"],
    ["path.root from a called module is the root's folder", { "main.tf": callsMod, "mod/main.tf": modReads('file("${path.root}/r.txt")'), "r.txt": "root file" }, "module.m.aws_instance.web", "root file"],
    ["path.cwd is the root's folder too", { "main.tf": instance('file("${path.cwd}/r.txt")'), "r.txt": "cwd" }, "aws_instance.web", "cwd"],
    // User data is read decoded: the base64 text comes back as the script.
    ["filebase64", { "main.tf": instance('filebase64("${path.module}/ud.sh")'), "ud.sh": "#!/bin/sh\n" }, "aws_instance.web", "#!/bin/sh\n"],
    ["a missing file", { "main.tf": instance('file("${path.module}/gone.sh")') }, "aws_instance.web", { unknown: "file gone.sh does not exist (Terraform would fail)" }],
    ["a file outside the scanned folder", { "main.tf": instance('file("../../etc/hostname")') }, "aws_instance.web", { unknown: expect.stringMatching(/^file .*hostname is outside the scanned folder; parapet does not read it$/) }],
  ])("%s", async (_name, files, address, want) => {
    const { nodes } = await nodesOf(files);
    expect(attr(nodes, address, "user_data")).toEqual(want);
  });

  it("does not read a file larger than the file-size limit", async () => {
    const root = tree({ "main.tf": instance('file("${path.module}/big.sh")'), "big.sh": "x".repeat(2048) });
    const scan = await scanTerraform([root], root, noVars, [], { maxFileSize: 1024 });
    expect(attr(scan.roots[0]!.nodes, "aws_instance.web", "user_data")).toEqual({ unknown: "file big.sh is larger than the file-size limit (max-file-size is 1 KiB); parapet did not read it" });
  });

  it("does not follow a symbolic link out of the scanned folder", async () => {
    const outside = tree({ "secret.txt": "outside" });
    const root = tree({ "main.tf": instance('file("${path.module}/link.txt")') });
    symlinkSync(join(outside, "secret.txt"), join(root, "link.txt"));
    const scan = await scanTerraform([root], root, noVars);
    expect(attr(scan.roots[0]!.nodes, "aws_instance.web", "user_data")).toEqual({ unknown: "file link.txt is outside the scanned folder; parapet does not read it" });
  });

  it("renders a template that a module input passes down, and lists no template as a Terraform file", async () => {
    const { scan, nodes } = await nodesOf({
      "main.tf": 'module "m" {\n  source = "./mod"\n  ud = templatefile("${path.module}/ud.tpl", { port = 8080 })\n}\n',
      "mod/main.tf": `variable "ud" {}\n${instance("var.ud")}`,
      "ud.tpl": "listen ${port}",
    });
    expect(attr(nodes, "module.m.aws_instance.web", "user_data")).toBe("listen 8080");
    expect(scan.roots[0]!.files.map((f) => f.source.path).sort()).toEqual(["main.tf", "mod/main.tf"]);
  });

  it("reports a nested block in a module call once, though the call is evaluated again for its templates", async () => {
    const { scan } = await nodesOf({
      "main.tf": 'module "m" {\n  source = "./mod"\n  ud = templatefile("${path.module}/ud.tpl", {})\n  ingress {\n    port = 1\n  }\n}\n',
      "mod/main.tf": `variable "ud" {}\n${instance("var.ud")}`,
      "ud.tpl": "x ${1}",
    });
    const diagnostics = scan.roots[0]!.files.flatMap((f) => f.diagnostics.map((d) => d.message));
    expect(diagnostics.filter((m) => m.includes('nested "ingress" block'))).toHaveLength(1);
  });
});
