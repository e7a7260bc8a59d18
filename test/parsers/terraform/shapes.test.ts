// Terraform unknowns that carry what is known about them: a variable's type and validation
// blocks, the documented form of attributes known only after apply and of data sources, and
// strings built from known and unknown parts. Each row: HCL → the value (its shape, possible
// values or parts) → what an operator decides on it.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanTerraform } from "../../../src/parsers/terraform/project.js";
import type { VariableSource } from "../../../src/model/variable-options.js";
import { neverInternet, shapeExcludes, shapeOf, unknownMayMatch } from "../../../src/rules/shape-tests.js";
import { ABSENT, Unknown, type Resolved } from "../../../src/values/value.js";
import { view } from "../../helpers/view.js";

/** The value of `v = EXPR` in a resource of a type without a canonical kind, next to `decls`. */
async function probe(decls: string, expr: string, sources: VariableSource[] = []): Promise<Resolved> {
  const root = mkdtempSync(join(tmpdir(), "parapet-tfshapes-"));
  writeFileSync(join(root, "main.tf"), `${decls}\nresource "probe" "p" {\n  v = ${expr}\n}\n`);
  const scan = await scanTerraform([root], root, { sources, env: {} });
  const node = scan.roots.flatMap((r) => r.nodes).find((n) => n.address === "probe.p");
  return (node?.attributes as Record<string, Resolved> | undefined)?.["v"] ?? ABSENT;
}

function unknown(v: Resolved): Unknown {
  if (!(v instanceof Unknown)) throw new Error(`expected an unknown, got ${JSON.stringify(view(v))}`);
  return v;
}

const excludes = (v: Resolved, literal: string | number | boolean) => shapeExcludes(shapeOf(unknown(v)), literal);
const ACCESS_KEY = "(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])";
/** True when the value may hold an access key id (false: it cannot). */
const mayHoldKey = (v: Resolved) => unknownMayMatch(unknown(v), ACCESS_KEY, true) !== false;

const variable = (name: string, body: string) => `variable "${name}" {\n${body}\n}`;
const validated = (name: string, type: string, condition: string) =>
  variable(name, `  type = ${type}\n  validation {\n    condition     = ${condition}\n    error_message = "invalid"\n  }`);

describe("a variable without a value: its type", () => {
  it.each<[string, string, (v: Resolved) => void]>([
    ["number: a number, never the text all", "number", (v) => {
      expect(unknown(v).shape?.type).toBe("number");
      expect(excludes(v, "all")).toBe(true);
      expect(excludes(v, "22")).toBe(false);
    }],
    ["bool: never the text yes", "bool", (v) => {
      expect(excludes(v, "yes")).toBe(true);
      expect(excludes(v, true)).toBe(false);
    }],
    ["string: any text, a secret included", "string", (v) => {
      expect(unknown(v).shape).toEqual({ type: "string" });
      expect(mayHoldKey(v)).toBe(true);
    }],
    ["list(number): a list of numbers", "list(number)", (v) => {
      expect(unknown(v).shape?.type).toBe("list");
      expect(unknown(v).shape?.pattern).toBeDefined();
      expect(excludes(v, "22")).toBe(true);
    }],
    ["set(string): a list", "set(string)", (v) => expect(unknown(v).shape).toEqual({ type: "list" })],
    ["any: nothing", "any", (v) => expect(unknown(v).shape).toBeUndefined()],
  ])("%s", async (_name, type, check) => {
    check(await probe(variable("x", `  type = ${type}`), "var.x"));
  });

  it("object({...}): an object whose attributes are unknown, each with its type's shape", async () => {
    const v = await probe(variable("net", "  type = object({ cidr = string, port = optional(number, 22) })"), "var.net");
    expect(view(v)).toEqual({ cidr: { unknown: "var.net has no value" }, port: { unknown: "var.net has no value" } });
    const port = (v as Record<string, Resolved>)["port"]!;
    expect(excludes(port, "all")).toBe(true);
  });
});

describe("a variable without a value: its validation blocks", () => {
  it.each<[string, string, (v: Resolved) => void]>([
    ["contains([literals], var.x): the possible values", validated("x", "string", 'contains(["t3.micro", "t3.small"], var.x)'), (v) => {
      expect(view(v)).toEqual({ unknown: "var.x has no value", possible: ["t3.micro", "t3.small"] });
    }],
    ["contains of numbers, converted to the type", validated("x", "string", "contains([22, 443], var.x)"), (v) => {
      expect(unknown(v).possible).toEqual(["22", "443"]);
    }],
    ["an anchored regex: the pattern of the whole value", validated("x", "string", 'can(regex("^sg-[0-9a-f]+$", var.x))'), (v) => {
      expect(excludes(v, "vpc-1234")).toBe(true);
      expect(excludes(v, "sg-12ab")).toBe(false);
      expect(excludes(v, "sg-12ab x")).toBe(true);
      expect(mayHoldKey(v)).toBe(false);
    }],
    ["a regex anchored at the start only: any text may follow", validated("x", "string", 'can(regex("^sg-", var.x))'), (v) => {
      expect(excludes(v, "vpc-1")).toBe(true);
      expect(excludes(v, "sg-anything at all")).toBe(false);
    }],
    ["a regex that allows /16 to /28 only: never a CIDR open to the internet",
      validated("x", "string", 'can(regex("^\\\\d+\\\\.\\\\d+\\\\.\\\\d+\\\\.\\\\d+/(1[6-9]|2[0-8])$", var.x))'), (v) => {
      expect(neverInternet(unknown(v))).toBe(true);
    }],
    ["a regex that allows any prefix length: may be open", validated("x", "string", 'can(regex("^[0-9./]+$", var.x))'), (v) => {
      expect(neverInternet(unknown(v))).toBe(false);
    }],
    ["startswith(var.x, ...): a prefix", validated("x", "string", 'startswith(var.x, "arn:")'), (v) => {
      expect(excludes(v, "sg-1")).toBe(true);
      expect(excludes(v, "arn:aws:iam::123456789012:role/a")).toBe(false);
    }],
    ["length(var.x) <= N: a longer text is ruled out", validated("x", "string", "length(var.x) <= 8"), (v) => {
      expect(unknown(v).shape?.maxLength).toBe(8);
      expect(excludes(v, "abcdefghi")).toBe(true);
    }],
    ["N < length(var.x): the operands swapped", validated("x", "string", "3 < length(var.x)"), (v) => {
      expect(unknown(v).shape?.minLength).toBe(4);
    }],
    ["var.x >= N && var.x <= M: bounds on the number", validated("x", "number", "var.x >= 1024 && var.x <= 65535"), (v) => {
      expect(excludes(v, 22)).toBe(true);
      expect(excludes(v, 8080)).toBe(false);
    }],
    ["two validation blocks both hold", `variable "x" {
  type = string
  validation {
    condition = length(var.x) >= 2
    error_message = "short"
  }
  validation {
    condition = can(regex("^[a-z]+$", var.x))
    error_message = "letters"
  }
}`, (v) => {
      expect(excludes(v, "a")).toBe(true);
      expect(excludes(v, "A1")).toBe(true);
      expect(excludes(v, "ab")).toBe(false);
    }],
    ["an || is left out (the value may be null or anything the other side allows)", validated("x", "string", 'var.x == null || contains(["a"], var.x)'), (v) => {
      expect(view(v)).toEqual({ unknown: "var.x has no value" });
      expect(unknown(v).shape).toEqual({ type: "string" });
    }],
    ["a condition on another variable is left out", `${variable("allowed", "  type = list(string)")}\n${validated("x", "string", "contains(var.allowed, var.x)")}`, (v) => {
      expect(unknown(v).possible).toBeUndefined();
    }],
    ["a regex JavaScript reads differently (an RE2 flag) is left out", validated("x", "string", 'can(regex("(?i)^sg-", var.x))'), (v) => {
      expect(unknown(v).shape).toEqual({ type: "string" });
    }],
  ])("%s", async (_name, decls, check) => {
    check(await probe(decls, "var.x"));
  });
});

describe("a variable's type converts the value it is given", () => {
  const net = "  type = object({ name = string, port = optional(number, 22), cidr = optional(string) })";
  it.each<[string, string, string, VariableSource[], unknown]>([
    ["a missing optional attribute takes its default", net + '\n  default = { name = "a" }', "var.net", [], { name: "a", port: 22 }],
    ["a null optional attribute takes its default", net + '\n  default = { name = "a", port = null }', "var.net", [], { name: "a", port: 22 }],
    ["a given attribute is kept", net + '\n  default = { name = "a", port = 443 }', "var.net", [], { name: "a", port: 443 }],
    ["defaults inside a list of objects", "  type = list(object({ port = optional(number, 443) }))\n  default = [{}, { port = 80 }]", "var.net", [], [{ port: 443 }, { port: 80 }]],
    ["defaults inside a map of objects", "  type = map(object({ on = optional(bool, true) }))\n  default = { a = {} }", "var.net", [], { a: { on: true } }],
    ["a number given as text on the command line is a number", "  type = number", "var.net", [{ kind: "var", name: "net", value: "22" }], 22],
    ["a boolean given as text is a boolean", "  type = bool", "var.net", [{ kind: "var", name: "net", value: "false" }], false],
    ["a number given to a string variable is text", "  type = string\n  default = 8080", "var.net", [], "8080"],
  ])("%s", async (_name, body, expr, sources, want) => {
    expect(view(await probe(variable("net", body), expr, sources))).toEqual(want);
  });
});

describe("a module argument is converted to the called module's variable type", () => {
  it("a missing optional attribute of the argument takes its default", async () => {
    const root = mkdtempSync(join(tmpdir(), "parapet-tfshapes-"));
    mkdirSync(join(root, "m"));
    writeFileSync(join(root, "main.tf"), 'module "m" {\n  source = "./m"\n  net = { name = "a" }\n}\n');
    writeFileSync(join(root, "m", "main.tf"), `${variable("net", "  type = object({ name = string, port = optional(number, 22) })")}\nresource "probe" "p" {\n  v = var.net.port\n}\n`);
    const scan = await scanTerraform([root], root, { sources: [], env: {} });
    const node = scan.roots.flatMap((r) => r.nodes).find((n) => n.address === "module.m.probe.p");
    expect((node?.attributes as Record<string, Resolved> | undefined)?.["v"]).toBe(22);
  });
});

describe("attributes known only after apply, and data sources", () => {
  const decls = `resource "aws_security_group" "web" {}
resource "aws_vpc" "declared" { cidr_block = "10.0.0.0/16" }
resource "aws_vpc" "ipam" { ipv4_ipam_pool_id = "ipam-pool-1" }
resource "aws_kms_key" "k" {}
resource "aws_iam_role" "r" {}
resource "aws_iam_access_key" "k" { user = "u" }
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_availability_zones" "az" {}`;
  it.each<[string, string, (v: Resolved) => void]>([
    ["a security group id: sg-..., secret-free, never a CIDR", "aws_security_group.web.id", (v) => {
      expect(view(v)).toEqual({ unknown: "aws_security_group.web.id is known only after apply", ref: { target: "aws_security_group.web", attribute: "id" } });
      expect(excludes(v, "0.0.0.0/0")).toBe(true);
      expect(neverInternet(unknown(v))).toBe(true);
      expect(mayHoldKey(v)).toBe(false);
    }],
    ["a VPC id", "aws_vpc.ipam.id", (v) => expect(excludes(v, "sg-12345678")).toBe(true)],
    ["a VPC's declared cidr_block is its value", "aws_vpc.declared.cidr_block", (v) => expect(v).toBe("10.0.0.0/16")],
    ["a VPC's cidr_block from IPAM says nothing", "aws_vpc.ipam.cidr_block", (v) => expect(unknown(v).shape).toBeUndefined()],
    ["a KMS key's key_id", "aws_kms_key.k.key_id", (v) => {
      expect(excludes(v, "alias/aws/ebs")).toBe(true);
      expect(excludes(v, "1234abcd-12ab-34cd-56ef-1234567890ab")).toBe(false);
    }],
    ["any AWS resource's arn is an ARN", "aws_iam_role.r.arn", (v) => {
      expect(excludes(v, "*")).toBe(true);
      expect(mayHoldKey(v)).toBe(false);
    }],
    ["an access key's id and secret say nothing", "aws_iam_access_key.k.secret", (v) => expect(unknown(v).shape).toBeUndefined()],
    ["the region", "data.aws_region.current.name", (v) => {
      expect(view(v)).toEqual({ unknown: "data.aws_region.current is read when Terraform plans" });
      expect(excludes(v, "true")).toBe(true);
      expect(excludes(v, "eu-west-1")).toBe(false);
    }],
    ["the account id: 12 digits", "data.aws_caller_identity.current.account_id", (v) => {
      expect(excludes(v, "123")).toBe(true);
      expect(excludes(v, "123456789012")).toBe(false);
    }],
    ["the partition: one of the few partitions there are", "data.aws_partition.current.partition", (v) => {
      expect(unknown(v).possible).toContain("aws-cn");
      expect(unknown(v).possible).not.toContain("azure");
    }],
    ["the zones: a list", "data.aws_availability_zones.az.names", (v) => expect(unknown(v).shape?.type).toBe("list")],
    ["one of the zones", "data.aws_availability_zones.az.names[0]", (v) => {
      expect(excludes(v, "eu-west-1a")).toBe(false);
      expect(excludes(v, "eu-west-1")).toBe(true);
    }],
    ["another data source says nothing", "data.aws_iam_role.r.name", (v) => expect(unknown(v).shape).toBeUndefined()],
  ])("%s", async (_name, expr, check) => {
    check(await probe(decls, expr));
  });
});

describe("strings built from parts keep them in order", () => {
  const decls = `variable "env" { type = string }
variable "key" { type = string }
resource "aws_security_group" "web" {}
resource "aws_subnet" "a" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}`;
  const partsOf = (v: Resolved) => (unknown(v).parts ?? []).map((p) => (typeof p === "string" ? p : `<${p.reason}>`));
  it.each<[string, string, (v: Resolved) => void]>([
    ["an interpolation", '"${var.env}-${data.aws_region.current.name}"', (v) => {
      expect(partsOf(v)).toEqual(["<var.env has no value>", "-", "<data.aws_region.current is read when Terraform plans>"]);
    }],
    ["ids and the region hold no key", '"sg=${aws_security_group.web.id} region=${data.aws_region.current.name}"', (v) => expect(mayHoldKey(v)).toBe(false)],
    ["a free variable may hold one", '"export KEY=${var.key}"', (v) => expect(mayHoldKey(v)).toBe(true)],
    ["format()", 'format("%s:%s/%d", aws_security_group.web.id, data.aws_caller_identity.current.account_id, 8)', (v) => {
      expect(partsOf(v)).toEqual([
        "<aws_security_group.web.id is known only after apply>",
        ":",
        "<data.aws_caller_identity.current is read when Terraform plans>",
        "/8",
      ]);
      expect(mayHoldKey(v)).toBe(false);
    }],
    ["format() keeps its known text", 'format("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE %s", var.env)', (v) => {
      expect(unknown(v).fragments).toContain("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE ");
    }],
    ["join()", 'join(",", [aws_subnet.a.id, "subnet-1234abcd"])', (v) => {
      expect(partsOf(v)).toEqual(["<aws_subnet.a.id is known only after apply>", ",subnet-1234abcd"]);
    }],
    ["base64encode() of such a string is the string (user data is read decoded)", 'base64encode("region=${data.aws_region.current.name}")', (v) => {
      expect(partsOf(v)).toEqual(["region=", "<data.aws_region.current is read when Terraform plans>"]);
    }],
  ])("%s", async (_name, expr, check) => {
    check(await probe(decls, expr));
  });
});
