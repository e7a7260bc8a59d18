// Generators of hostile inputs for the fuzz suite: mutations of valid templates (the rule
// examples), random HCL, random Terraform plans and CDK manifests, random command lines.
import fc from "fast-check";
import { builtinRules } from "../../src/rules/load.js";

const examples = builtinRules().flatMap((r) => r.examples);
export const CORPUS = {
  yaml: examples.filter((e) => e.format === "cloudformation" && !e.file.endsWith(".json")).map((e) => e.template),
  json: examples.filter((e) => e.format === "cloudformation" && e.file.endsWith(".json")).map((e) => e.template),
  hcl: examples.filter((e) => e.format === "terraform" && e.file.endsWith(".tf")).map((e) => e.template),
};

/** A 50 MB scalar: made once, shared by every input that uses it. */
const HUGE = "A".repeat(50 * 1024 * 1024);

/** Text a mutation puts into a template: syntax that parsers treat specially, and noise. */
const TOKENS = [
  "!Ref ", "!GetAtt ", "!Sub ", "!If ", "!Join ", "!Select ", "!Bogus ", "!!binary ", "!!js/function ", "!!python/object ", "!!map ", "!!seq ",
  "&a ", "*a", "*missing", "<<: *a\n", "? ", "- ", ": ", "|\n", ">-\n", "---\n", "...\n", "%YAML 1.2\n", "#", "'", '"', "\\", "\t", "\r", "\u0000",
  "{", "}", "[", "]", ",", "${", "%{", "}}", "<<EOF\n", "\nEOF\n", "/*", "*/", "//", "=", "==", "=>", "...", "[*]", "\uFEFF", "\u2028", "\uD800",
  "__proto__", "constructor", "prototype", "Fn::If", "Fn::Sub", "Ref", "Condition", "AWS::NoValue", "Fn::ForEach::Loop", "Type", "Properties",
  "-1", "1e309", "0x1F", "NaN", ".inf", "~", "null", "true", "9007199254740993", "\"0.0.0.0/0\"", "0.0.0.0/0", "::/0",
];

export type Mutation = (text: string) => string;

const at = (text: string, n: number) => (text.length === 0 ? 0 : n % (text.length + 1));

/** Invalid UTF-8 put into the bytes, decoded as parapet decodes a file. */
const invalidUtf8 = (pos: number, bytes: number[]): Mutation => (text) => {
  const buf = Buffer.from(text, "utf8");
  const i = at(buf.toString("latin1"), pos) % (buf.length + 1);
  return Buffer.concat([buf.subarray(0, i), Buffer.from(bytes), buf.subarray(i)]).toString("utf8");
};

function deepNesting(open: string, close: string, depth: number): Mutation {
  return (text) => {
    const line = text.indexOf(": ");
    const i = line < 0 ? text.length : line + 2;
    return text.slice(0, i) + open.repeat(depth) + close.repeat(depth) + text.slice(i);
  };
}

function aliasBomb(levels: number): Mutation {
  let bomb = "\nBomb:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (let i = 1; i < levels; i++) bomb += `  l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(", ")}]\n`;
  return (text) => text + bomb;
}

/** One mutation of a template's text. */
export function mutation(kind: "yaml" | "json" | "hcl"): fc.Arbitrary<Mutation> {
  const pos = fc.nat();
  const [open, close] = kind === "yaml" ? ["[", "]"] : kind === "json" ? ['{"a":', "}"] : ["[", "]"];
  return fc.oneof(
    { weight: 4, arbitrary: pos.map((n): Mutation => (t) => t.slice(0, at(t, n))) },
    { weight: 4, arbitrary: fc.tuple(pos, fc.string({ unit: "binary", maxLength: 8 })).map(([n, s]): Mutation => (t) => t.slice(0, at(t, n)) + s + t.slice(at(t, n))) },
    { weight: 6, arbitrary: fc.tuple(pos, fc.constantFrom(...TOKENS)).map(([n, s]): Mutation => (t) => t.slice(0, at(t, n)) + s + t.slice(at(t, n))) },
    { weight: 4, arbitrary: fc.tuple(pos, fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 1 })).map(([n, c]): Mutation => (t) => t.slice(0, at(t, n)) + c + t.slice(at(t, n) + 1)) },
    {
      weight: 3,
      arbitrary: pos.map((n): Mutation => (t) => {
        // a line duplicated: keys twice in one map
        const lines = t.split("\n");
        const i = n % lines.length;
        return [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)].join("\n");
      }),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(pos, fc.constantFrom("[1, 2]", "{a: 1}", "null", "42", "true", '"text"', "[]", "{}", "-1", "!Ref Missing")).map(([n, v]): Mutation => (t) => {
        // a value swapped for one of another type
        const values = [...t.matchAll(/(:\s*|=\s*)("[^"\n]*"|[^\s,{}[\]\n]+)/g)];
        const m = values[n % Math.max(1, values.length)];
        if (!m || m.index === undefined) return t;
        const start = m.index + m[1]!.length;
        const swapped = kind === "json" ? JSON.stringify(v) : v;
        return t.slice(0, start) + swapped + t.slice(start + m[2]!.length);
      }),
    },
    { weight: 1, arbitrary: fc.constant(deepNesting(open, close, 10_000)) },
    { weight: 1, arbitrary: fc.integer({ min: 50, max: 600 }).map((d) => deepNesting(open, close, d)) },
    { weight: 1, arbitrary: fc.constant<Mutation>((t) => t.replace(/: .*/, `: ${HUGE}`)) },
    { weight: 1, arbitrary: fc.integer({ min: 2, max: 9 }).map(aliasBomb) },
    { weight: 2, arbitrary: fc.tuple(pos, fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf0, 0x28, 0x8c], [0x80], [0xfe, 0xff])).map(([n, b]) => invalidUtf8(n, [...b])) },
    { weight: 1, arbitrary: fc.constant<Mutation>((t) => "\uFEFF" + t) },
    { weight: 1, arbitrary: fc.constant<Mutation>((t) => t.replace(/\n/g, "\r\n")) },
    { weight: 1, arbitrary: fc.constant<Mutation>((t) => t.replace(/^( {2})+/gm, (s) => "\t".repeat(s.length / 2))) },
    { weight: 1, arbitrary: fc.constant<Mutation>((t) => t.replace(/\n/g, "\r")) },
  );
}

/** A generated file's text; shown shortened when fast-check reports it (some are 50 MB). */
export interface Input {
  text: string;
}

function input(text: string): Input {
  return { text, [fc.toStringMethod]: () => (text.length > 4000 ? `${JSON.stringify(text.slice(0, 2000))} ... (${text.length} characters)` : JSON.stringify(text)) } as Input;
}

/** A template from the corpus with one to three mutations applied. */
export function mutated(kind: "yaml" | "json" | "hcl"): fc.Arbitrary<Input> {
  return fc.tuple(fc.constantFrom(...CORPUS[kind]), fc.array(mutation(kind), { minLength: 1, maxLength: 3 })).map(([text, ms]) => input(ms.reduce((t, m) => m(t), text)));
}

// --- random HCL

const ident = fc.oneof(fc.constantFrom("web", "this", "x", "cidr", "tags", "__proto__", "constructor", "count", "each", "self", "ingress"), fc.stringMatching(/^[a-z_][a-z0-9_-]{0,6}$/));
const FUNCTIONS = [
  "cidrsubnet", "cidrhost", "jsonencode", "jsondecode", "lookup", "merge", "concat", "regex", "regexall", "replace", "format", "try", "can", "length", "element",
  "flatten", "toset", "tolist", "tomap", "split", "join", "upper", "coalesce", "file", "templatefile", "range", "zipmap", "keys", "values", "contains", "base64encode",
  "sha256", "formatlist", "setproduct", "substr", "trimspace", "max", "min", "pow", "parseint", "yamldecode", "nosuchfunction", "toString", "constructor", "hasOwnProperty",
];

const hclExpr: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.integer().map(String),
    fc.double({ noNaN: true }).map((n) => String(n)),
    fc.constantFrom("true", "false", "null", '"0.0.0.0/0"', '"::/0"', '"tcp"', '"-1"', "22", "3389", "0", "65535", '"(a+)+$"', '"aaaaaaaaaaaaaaaaaaaaaaaaaaaa!"'),
    fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
    fc.constantFrom("var.cidr", "var.tags", "local.m", "aws_instance.web.id", "module.net.id", "each.key", "count.index", "self.id", "data.aws_vpc.x.id", "path.module"),
    fc.array(tie("expr"), { maxLength: 4 }).map((xs) => `[${xs.join(", ")}]`),
    fc.array(fc.tuple(ident, tie("expr")), { maxLength: 4 }).map((kv) => `{ ${kv.map(([k, v]) => `${k} = ${v}`).join(", ")} }`),
    fc.tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie("expr"), { maxLength: 3 })).map(([f, xs]) => `${f}(${xs.join(", ")})`),
    fc.tuple(tie("expr"), tie("expr"), tie("expr")).map(([a, b, c]) => `${a} ? ${b} : ${c}`),
    fc.tuple(tie("expr"), fc.constantFrom("+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"), tie("expr")).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(ident, tie("expr"), tie("expr")).map(([x, e, f]) => `[for ${x} in ${e} : ${f}]`),
    fc.tuple(ident, tie("expr")).map(([x, e]) => `{ for k, ${x} in ${e} : k => ${x} }`),
    tie("expr").map((e) => `${e}[*].id`),
    fc.tuple(tie("expr"), tie("expr")).map(([e, i]) => `${e}[${i}]`),
    tie("expr").map((e) => `"prefix-\${${e}}-%{ if true }x%{ endif }"`),
    tie("expr").map((e) => `<<-EOT\n  text \${${e}}\n  EOT\n`),
    tie("expr").map((e) => `!${e}`),
  ),
})).expr;

const attribute = fc.tuple(ident, hclExpr).map(([k, v]) => `${k} = ${v}`);

const hclBlock: fc.Arbitrary<string> = fc.letrec<{ block: string }>((tie) => ({
  block: fc.oneof(
    { depthSize: "small" },
    fc.tuple(
      fc.constantFrom("resource", "data", "variable", "locals", "module", "output", "provider", "terraform", "dynamic", "ingress", "egress", "content", "lifecycle", "moved", "import"),
      fc.array(fc.oneof(fc.constantFrom('"aws_security_group"', '"aws_instance"', '"aws_security_group_rule"', '"aws_ebs_volume"', '"aws_vpc_security_group_ingress_rule"', '"this"', '"web"', '"toString"', '"constructor"'), ident.map((s) => JSON.stringify(s))), { maxLength: 2 }),
      fc.array(fc.oneof({ weight: 3, arbitrary: attribute }, { weight: 1, arbitrary: tie("block") }), { maxLength: 5 }),
    ).map(([type, labels, body]) => `${type} ${labels.join(" ")} {\n${body.map((l) => `  ${l.replace(/\n/g, "\n  ")}`).join("\n")}\n}`),
  ),
})).block;

/** A random HCL file: blocks of random attributes and expressions, sometimes noise between them. */
export const randomHcl: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 6, arbitrary: hclBlock }, { weight: 1, arbitrary: attribute }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) }), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join("\n\n") + "\n");

// --- random Terraform plans

const json = fc.jsonValue({ maxDepth: 4 });
const resourceType = fc.oneof(
  fc.constantFrom("aws_instance", "aws_security_group", "aws_security_group_rule", "aws_ebs_volume", "aws_launch_template", "aws_cloudtrail", "aws_vpc_security_group_ingress_rule", "aws_network_acl_rule", "toString", "constructor", "__proto__"),
  fc.string({ maxLength: 10 }),
);
const attributeName = fc.oneof(
  fc.constantFrom("ingress", "egress", "cidr_blocks", "from_port", "to_port", "protocol", "encrypted", "tags", "metadata_options", "root_block_device", "__proto__", "constructor", "prototype"),
  fc.string({ maxLength: 8 }),
);
const values = fc.dictionary(attributeName, json, { maxKeys: 6 });
const planResource = fc.record(
  { address: fc.oneof(fc.constantFrom("aws_instance.web", 'module.a["x"].aws_security_group.s[0]', "aws_x.y[", ""), fc.string({ maxLength: 20 })), mode: fc.constantFrom("managed", "data", "other"), type: resourceType, name: fc.string({ maxLength: 8 }), values, index: fc.oneof(fc.nat(), fc.string({ maxLength: 4 })) },
  { requiredKeys: ["address", "type"] },
);
const planModule: fc.Arbitrary<unknown> = fc.letrec<{ module: unknown }>((tie) => ({
  module: fc.record(
    { address: fc.string({ maxLength: 10 }), resources: fc.array(planResource, { maxLength: 4 }), child_modules: fc.oneof({ depthSize: "small" }, fc.constant([]), fc.array(tie("module"), { maxLength: 2 })) },
    { requiredKeys: [] },
  ),
})).module;

/** A random plan in the shape of `terraform show -json`, with holes and wrong types. */
export const randomPlan: fc.Arbitrary<string> = fc
  .record(
    {
      format_version: fc.oneof(fc.constantFrom("1.2", "0.1", "2.0", "1"), fc.string({ maxLength: 4 })),
      terraform_version: fc.constantFrom("1.9.0", ""),
      planned_values: fc.oneof(fc.record({ root_module: planModule }), json),
      values: fc.oneof(fc.record({ root_module: planModule }), json),
      resource_changes: fc.array(fc.record({ address: fc.string({ maxLength: 20 }), type: resourceType, change: fc.record({ after: values, after_unknown: fc.oneof(json, values), actions: fc.array(fc.constantFrom("create", "update", "delete", "no-op")) }) }), { maxLength: 4 }),
      configuration: json,
      prior_state: json,
      variables: fc.dictionary(attributeName, fc.record({ value: json })),
    },
    { requiredKeys: ["format_version"] },
  )
  .map((plan) => JSON.stringify(plan));

// --- random CDK cloud assemblies

export const randomManifest = fc.record({
  version: fc.constantFrom("36.0.0", "", "x"),
  artifacts: fc.dictionary(
    fc.oneof(fc.constantFrom("Stack", "Nested", "__proto__", "Tree"), fc.string({ maxLength: 6 })),
    fc.record(
      {
        type: fc.constantFrom("aws:cloudformation:stack", "cdk:cloud-assembly", "cdk:tree", "cdk:asset-manifest", "unknown"),
        displayName: fc.string({ maxLength: 8 }),
        dependencies: fc.oneof(fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }), json),
        properties: fc.record(
          { templateFile: fc.constantFrom("Stack.template.json", "missing.json", "../outside.json", "/etc/hostname", "sub"), directoryName: fc.constantFrom(".", "..", "sub", "/"), stackName: fc.string({ maxLength: 6 }) },
          { requiredKeys: [] },
        ),
        metadata: fc.oneof(json, fc.dictionary(fc.string({ maxLength: 10 }), fc.array(fc.record({ type: fc.constantFrom("aws:cdk:logicalId", "aws:cdk:creationStack"), data: json, trace: json }, { requiredKeys: ["type"] }), { maxLength: 3 }))),
      },
      { requiredKeys: ["type"] },
    ),
    { maxKeys: 4 },
  ),
});

// --- random command lines

const FLAGS = [
  "-f", "--format", "-p", "--param", "--param-file", "--var", "--var-file", "--preset", "--only", "--skip", "--rules", "--baseline", "--fail-on", "--fail-on-undecided",
  "-c", "--config", "--color", "--no-color", "--report-unused-suppressions", "--max-file-size", "--max-depth", "--max-alias-expansion", "--file-timeout", "--bogus", "-x", "--",
  "-v", "--version", "-h", "--help",
];
const VALUES = [
  "json", "sarif", "text", "junit", "github", "compact", "markdown", "xml", "high", "info", "critical", "nope", "recommended", "strict", "account", "sg-no-ssh-from-internet",
  "A=B", "=", "x=1", "tags={\"__proto__\":1}", "0", "-1", "1KB", "10MB", "0.001", "abc", "9999", "", "t.yaml", "main.tf", "missing.yaml", ".", "rules", "explain",
  "cfg.yaml", "vars.tfvars", "params.json",
];

/** Random arguments: flags, values and noise, in any order. */
export const randomArgv = fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...FLAGS) }, { weight: 3, arbitrary: fc.constantFrom(...VALUES) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }).filter((s) => !s.includes("/") && !s.includes("..") && s !== "test" && s !== "diff") }), { maxLength: 8 });
