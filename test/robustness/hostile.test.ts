// Hostile content: keys that name prototypes stay data, nothing in a template is run or
// fetched, and a run writes nothing but its --output, its baseline.
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { project, runJson, template } from "./helpers.js";

const PROTO_KEYS = ["__proto__", "constructor", "prototype"];

/** What the built-in prototypes look like; compared after each run. */
function prototypes(): string {
  return JSON.stringify(
    [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort()),
  );
}

describe("keys named __proto__, constructor, prototype", () => {
  let before: string;
  beforeEach(() => {
    before = prototypes();
  });
  afterEach(() => {
    expect(prototypes()).toBe(before);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  const protoYaml = PROTO_KEYS.map((k) => `      ${k}:\n        polluted: yes\n        ${k}:\n          polluted: yes\n`).join("");
  const protoJson = PROTO_KEYS.map((k) => `"${k}": {"polluted": true, "${k}": {"polluted": true}}`).join(", ");

  it("in a YAML template: in Resources, Properties, Parameters, Mappings and Metadata", async () => {
    const text =
      `AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  __proto__:\n    Type: String\n    Default: polluted\nMappings:\n  __proto__:\n    constructor:\n      prototype: x\n` +
      `Resources:\n  __proto__:\n    Type: AWS::EC2::Instance\n    Metadata:\n      __proto__: { polluted: yes }\n    Properties:\n      GroupDescription: !FindInMap [__proto__, constructor, prototype]\n${protoYaml}` +
      `  constructor:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: !Ref __proto__\n${protoYaml}`;
    const r = await runJson(["t.yaml"], project({ "t.yaml": text }));
    expect([0, 1]).toContain(r.code);
    expect(r.report?.files).toEqual(["t.yaml"]);
    // The instances named __proto__ and constructor are ordinary resources with findings.
    const addresses = new Set(r.findings.map((f) => (f as unknown as { address: string }).address));
    expect(addresses.has("__proto__") && addresses.has("constructor")).toBe(true);
  });

  it("in a JSON template", async () => {
    const text = `{"AWSTemplateFormatVersion": "2010-09-09", "__proto__": {"polluted": true}, "Resources": {"__proto__": {"Type": "AWS::EC2::Instance", "Properties": {${protoJson}}}}}`;
    const r = await runJson(["t.json"], project({ "t.json": text }));
    expect([0, 1]).toContain(r.code);
    expect(r.findings.some((f) => (f as unknown as { address: string }).address === "__proto__")).toBe(true);
  });

  it("in Terraform variables, tfvars (HCL and JSON), --var values and expressions", async () => {
    const dir = project({
      "tf/main.tf": `variable "tags" {\n  default = { __proto__ = { polluted = true }, constructor = "x" }\n}\nvariable "__proto__" {\n  default = "x"\n}\n` +
        `locals {\n  m = merge(var.tags, { prototype = { polluted = true } }, jsondecode("{\\"__proto__\\": {\\"polluted\\": true}}"))\n}\n` +
        `resource "aws_instance" "web" {\n  ami = "ami-1"\n  instance_type = "t3.micro"\n  tags = local.m\n}\n`,
      "tf/terraform.tfvars": `tags = { __proto__ = { polluted = true } }\n`,
      "tf/x.auto.tfvars.json": `{"tags": {"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}}`,
    });
    const r = await runJson(["tf", "--var", 'tags={"__proto__": {"polluted": true}}', "--var", "__proto__=polluted"], dir);
    expect([0, 1]).toContain(r.code);
    expect(r.report?.files).toEqual(["tf/main.tf"]);
  });

  it("in the configuration file", async () => {
    const dir = project({
      ".parapet.yaml": `severity:\n  __proto__: low\n  constructor: low\nparameters:\n  - values:\n      __proto__: polluted\n      constructor: x\n`,
      "t.yaml": template(),
    });
    // Severity overrides of rules that do not exist are configuration errors, reported as such.
    const r = await runJson([], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'parapet: .parapet.yaml:2:3: invalid configuration: severity.__proto__: no rule "__proto__" (see parapet rules)\n' +
        'parapet: .parapet.yaml:3:3: invalid configuration: severity.constructor: no rule "constructor" (see parapet rules)\n',
    );
    const values = await runJson([], project({ ".parapet.yaml": `parameters:\n  - values:\n      __proto__: polluted\n      constructor: x\n`, "t.yaml": template() }));
    expect([0, 1]).toContain(values.code);
    const top = await runJson([], project({ ".parapet.yaml": `__proto__:\n  polluted: yes\n`, "t.yaml": template() }));
    expect(top.code).toBe(2);
    expect(top.stderr).toBe('parapet: .parapet.yaml:1:1: invalid configuration: unknown key "__proto__"\n');
  });
});

describe("names of Object's own members used as types, protocols and functions", () => {
  const NAMES = ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"];

  it("CloudFormation resource types and protocols: resources of an unknown type, no crash", async () => {
    const resources = NAMES.map((n, i) => `  R${i}:\n    Type: ${n}\n  Sg${i}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n        - { IpProtocol: ${n}, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }\n`).join("");
    const r = await runJson(["t.yaml"], project({ "t.yaml": `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${resources}  Web:\n    Type: AWS::EC2::Instance\n` }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.report?.files).toEqual(["t.yaml"]);
    expect(r.findings.filter((f) => f.ruleId === "parse-error")).toEqual([]);
    expect(r.findings.some((f) => f.ruleId === "ec2-imdsv2")).toBe(true);
  });

  it("Terraform resource types, plan resource types and function names", async () => {
    const tf = NAMES.map((n, i) => `resource "${n}" "r${i}" {\n  x = ${n === "__proto__" ? "1" : `${n}(1)`}\n}\n`).join("") + `resource "aws_instance" "web" {\n  ami = "ami-1"\n  tags = { a = toString(1) }\n}\n`;
    const plan = JSON.stringify({ format_version: "1.2", planned_values: { root_module: { resources: NAMES.map((n, i) => ({ address: `${n}.r${i}`, mode: "managed", type: n, name: `r${i}`, values: { protocol: n } })) } } });
    const r = await runJson(["tf", "plan.json"], project({ "tf/main.tf": tf, "plan.json": plan }));
    expect([0, 1]).toContain(r.code);
    expect(r.stderr).toBe("");
    expect(r.report?.files.sort()).toEqual(["plan.json", "tf/main.tf"]);
    expect(r.findings.some((f) => f.file === "tf/main.tf" && f.ruleId === "ec2-imdsv2")).toBe(true);
  });
});

describe("template content is data", () => {
  it("tags that other YAML readers run as code are read as text or reported, never run", async () => {
    const text = template(`      UserData: !!js/function "function () { globalThis.ran = true }"\n      KeyName: !Exec "touch /tmp/parapet-ran"\n`);
    const r = await runJson(["t.yaml"], project({ "t.yaml": text }));
    expect((globalThis as Record<string, unknown>)["ran"]).toBeUndefined();
    expect(r.findings.filter((f) => f.ruleId === "parse-error").map((f) => f.message)).toEqual([
      "unknown tag !!js/function: CloudFormation accepts only its intrinsic function tags",
      "unknown tag !Exec: CloudFormation accepts only its intrinsic function tags",
    ]);
    expect(r.findings.some((f) => f.ruleId === "ec2-imdsv2")).toBe(true);
  });
});

describe("no network", () => {
  const attempts: string[] = [];
  const saved: [object, string, unknown][] = [];
  const block = (owner: object, name: string) => {
    saved.push([owner, name, (owner as Record<string, unknown>)[name]]);
    (owner as Record<string, unknown>)[name] = (...args: unknown[]) => {
      attempts.push(`${name} ${String(args[0]).slice(0, 60)}`);
      throw new Error("network access in a test of parapet");
    };
  };
  beforeEach(() => {
    attempts.length = 0;
    block(net.Socket.prototype, "connect");
    block(net, "connect");
    block(net, "createConnection");
    block(dns, "lookup");
    block(http, "request");
    block(https, "request");
    block(globalThis, "fetch");
  });
  afterEach(() => {
    for (const [owner, name, original] of saved.splice(0)) (owner as Record<string, unknown>)[name] = original;
  });

  it("remote modules, nested stack URLs, includes and a CDK assembly are not fetched", async () => {
    const cdk = fileURLToPath(new URL("../fixtures/cdk/nested/cdk.out", import.meta.url));
    const dir = project({
      "tf/main.tf": `module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\nmodule "git" {\n  source = "git::https://example.com/net.git"\n}\nmodule "s3" {\n  source = "s3::https://s3.amazonaws.com/bucket/m.zip"\n}\n`,
      "cfn.yaml":
        `AWSTemplateFormatVersion: "2010-09-09"\nTransform:\n  Name: AWS::Include\n  Parameters:\n    Location: s3://bucket/snippet.yaml\nResources:\n` +
        `  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://example.com/child.yaml\n`,
    });
    const r = await runJson(["tf", "cfn.yaml", cdk], dir);
    expect([0, 1]).toContain(r.code);
    expect(attempts).toEqual([]);
  });
});

describe("nothing written but the output and the baseline", () => {
  /** Every path in a folder with its size, modification time and content. */
  function snapshot(dir: string): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        const s = statSync(p);
        out.set(relative(dir, p), `${s.mtimeMs}:${s.size}:${e.isFile() ? readFileSync(p, "utf8") : "dir"}`);
      }
    };
    walk(dir);
    return out;
  }

  it("a run in every format, with suppressions and a baseline read, leaves the scanned tree as it was", async () => {
    const dir = project({
      "cfn/t.yaml": template(),
      "cfn/broken.yaml": "AWSTemplateFormatVersion: x\nResources: [\n",
      "tf/main.tf": `resource "aws_instance" "web" {\n  ami = "ami-1"\n}\n`,
      ".parapet.yaml": "fail-on: high\n",
    });
    const before = snapshot(dir);
    for (const format of ["text", "json", "sarif", "junit", "github", "compact", "markdown"]) {
      const r = await runJson(["--format", format, "--report-unused-suppressions"].slice(0, format === "json" ? 0 : 3), dir);
      expect([0, 1]).toContain(r.code);
    }
    expect(snapshot(dir)).toEqual(before);
    // --write-baseline and --output write exactly their files.
    await runJson(["--write-baseline", "base.json"], dir);
    await runJson(["--baseline", "base.json", "--output", "out.json"], dir);
    const after = snapshot(dir);
    expect([...after.keys()].filter((k) => !before.has(k)).sort()).toEqual(["base.json", "out.json"]);
    for (const [k, v] of before) expect(after.get(k)).toBe(v);
  });
});
