import { beforeAll, describe, expect, it } from "vitest";
import { ExpressionCache, evaluateValue, simpleTraversalTree, TOO_COMPLEX, type ConfigurationFile, type ExpressionScope } from "../../../src/parsers/terraform/expressions.js";
import { hcl2json } from "../../../src/parsers/terraform/hcl.js";
import { ABSENT, emptyMap, getPath, Unknown, type Resolved } from "../../../src/values/value.js";

/** Builds a map with a null prototype, as the evaluator does. */
function m(entries: Record<string, Resolved>): Record<string, Resolved> {
  const out = emptyMap();
  for (const [k, v] of Object.entries(entries)) out[k] = v;
  return out;
}

const VARIABLES: Record<string, Resolved> = {
  env: "prod",
  name: "web",
  port: 22,
  enabled: true,
  disabled: false,
  cidrs: ["10.0.0.0/16", "10.1.0.0/16"],
  empty: [],
  nested: [[1, 2], [3], []],
  tags: m({ Name: "web", Env: "prod" }),
  obj: m({ a: m({ b: "c" }) }),
  rules: [m({ port: 22, cidr: "0.0.0.0/0" }), m({ port: 443, cidr: "10.0.0.0/8" })],
  admin_cidr: new Unknown("var.admin_cidr has no value"),
  mixed: ["a", new Unknown("var.mixed[1] comes from data.x")],
  choice: new Unknown("var.choice has no value", { possible: ["22", "443"] }),
  flag: new Unknown("var.flag has no value", { possible: [true, false] }),
  nothing: null,
  words: ["b", "a", "c", "a"],
  json: '{"a":[1,2],"b":{"c":null},"__proto__":{"x":1}}',
};

/** A scope in the spirit of the module evaluator: variables, a local, resources as references. */
const scope: ExpressionScope = {
  reference(parts) {
    const [root, name, ...rest] = parts.map(String);
    if (root === "var") {
      if (name === undefined || !(name in VARIABLES)) return new Unknown(`var.${name} is not declared`);
      return getPath(VARIABLES[name]!, rest);
    }
    if (root === "local" && name === "region") return getPath("eu-west-1", rest);
    if (root === "count" && name === "index") return new Unknown("count.index differs between instances");
    if (root === "path") return ".";
    if (name === undefined) return new Unknown(`${root} is not declared`);
    const attribute = rest[0];
    return new Unknown(`${root}.${name}${attribute ? "." + attribute : ""} is known only after apply`, {
      ref: attribute ? { target: `${root}.${name}`, attribute } : { target: `${root}.${name}` },
    });
  },
};

type Expected = Resolved | { unknown: string | RegExp; possible?: Expected[] };

/** Expression as hcl2json emits it → expected value, or an unknown whose reason matches. */
const CASES: [unknown, Expected][] = [
  // literals and plain values
  ["plain", "plain"],
  [5, 5],
  [true, true],
  [null, null],
  [["0.0.0.0/0"], ["0.0.0.0/0"]],
  [{ a: "b", n: 1 }, m({ a: "b", n: 1 })],
  ["${1.5e3}", 1500],
  ["${null}", null],
  ["${true}", true],
  ['${"a"}', "a"],
  ["${[1, \"two\", false, null]}", [1, "two", false, null]],
  ['${{ a = 1, "b c" = 2, (var.name) = 3, 4 = "four" }}', m({ a: 1, "b c": 2, web: 3, "4": "four" })],
  ['${{ a = 1 }.a}', 1],
  ['${{ a = 1, a = 2 }}', { unknown: /duplicate object key "a"/ }],

  // templates
  ["${var.cidrs}", ["10.0.0.0/16", "10.1.0.0/16"]],
  ["${var.port}", 22],
  ["web-${var.env}", "web-prod"],
  ["${var.name}-${var.env}-${var.port}-${var.enabled}", "web-prod-22-true"],
  ["${var.env}\n", "prod\n"],
  ["a\nPARAPET_EOT\n${var.env}\nPARAPET_EOT0", "a\nPARAPET_EOT\nprod\nPARAPET_EOT0"],
  ["${var.env}${var.port}", "prod22"],
  ["line1\nline2 ${var.env}\n\"quoted\" back\\slash\n", 'line1\nline2 prod\n"quoted" back\\slash\n'],
  ["$${literal} %%{x} 100% $$", "${literal} %{x} 100% $$"],
  ["${upper(\"x-${var.env}\")}", "X-PROD"],
  ['${"a\\"b\\n\\u00e9"}', 'a"b\né'],
  ['${"tab\\there"}', "tab\there"],
  ["id-${var.admin_cidr}", { unknown: "var.admin_cidr" }],
  ["port-${var.choice}", { unknown: "var.choice", possible: ["port-22", "port-443"] }],
  ["${var.nothing}x", { unknown: /null value cannot be part of a string template/ }],
  ["${var.cidrs}x", { unknown: /list cannot be part of a string template/ }],
  ["%{if var.enabled}on%{else}off%{endif}", "on"],
  ["%{if var.disabled}on%{endif}!", "!"],
  ["[%{if var.flag}on%{else}off%{endif}]", { unknown: "var.flag", possible: ["[on]", "[off]"] }],
  ["%{if var.admin_cidr == \"\"}a%{endif}", { unknown: "var.admin_cidr" }],
  ["%{for c in var.cidrs}<${c}>%{endfor}", "<10.0.0.0/16><10.1.0.0/16>"],
  ["%{for i, c in var.cidrs}${i}=${c};%{endfor}", "0=10.0.0.0/16;1=10.1.0.0/16;"],
  ["%{for k, v in var.tags}${k}:${v} %{endfor}", "Env:prod Name:web "],
  ["%{for c in var.admin_cidr}${c}%{endfor}", { unknown: "var.admin_cidr" }],
  // strip markers remove the white space of the literal next to them, and only that
  ["%{ if var.enabled ~}\n  on\n%{~ endif }!", "on!"],
  ["a  ${~ var.env ~}  b", "aprodb"],
  ["%{ for c in var.cidrs ~}\n- ${c}\n%{ endfor ~}\nend", "- 10.0.0.0/16\n- 10.1.0.0/16\nend"],
  ["%{ for w in [\" x\"] ~}${w}%{ endfor }", " x"],

  // references
  ["${var.tags.Name}", "web"],
  ['${var.tags["Env"]}', "prod"],
  ["${var.cidrs[1]}", "10.1.0.0/16"],
  ["${var.obj.a.b}", "c"],
  ["${var.admin_cidr}", { unknown: "var.admin_cidr has no value" }],
  ["${var.undeclared}", { unknown: "var.undeclared" }],
  ["${local.region}", "eu-west-1"],
  ["${path.module}/x", "./x"],
  ["${aws_security_group.web.id}", { unknown: "aws_security_group.web.id" }],
  ["${count.index}", { unknown: "count.index" }],
  // a list or object is never null, even with unknown parts; an unknown may be
  ["${var.mixed != null}", true],
  ["${{ a = var.admin_cidr } == null}", false],
  ["${var.admin_cidr == null}", { unknown: "var.admin_cidr has no value" }],
  ['${var.mixed == ["a", "b"]}', { unknown: "var.mixed[1]" }],

  // index and traversal on values
  ["${var.cidrs[var.port - 21]}", "10.1.0.0/16"],
  ['${var.tags[lower("NAME")]}', { unknown: /no element with the key "name"/ }],
  ["${[1, 2, 3][2]}", 3],
  ["${[1, 2, 3][3]}", { unknown: /index 3 is out of range/ }],
  ['${{a = {b = [10, 20]}}.a.b[1]}', 20],
  ["${tolist(var.cidrs)[0]}", "10.0.0.0/16"],
  ["${split(\",\", \"a,b,c\")[1]}", "b"],
  ["${var.rules[1].port}", 443],
  ["${var.rules[0][\"cidr\"]}", "0.0.0.0/0"],
  ["${[for r in var.rules : r][0].cidr}", "0.0.0.0/0"],
  ['${(var.flag ? ["a"] : ["b"])[0]}', { unknown: "var.flag", possible: ["a", "b"] }],
  ['${(var.flag ? ["a"] : [])[0]}', { unknown: "var.flag", possible: ["a", { unknown: /out of range/ }] }],

  // splat
  ["${var.rules[*].port}", [22, 443]],
  ["${var.rules.*.cidr}", ["0.0.0.0/0", "10.0.0.0/8"]],
  ["${var.rules[*]}", VARIABLES["rules"]!],
  ["${var.nothing[*]}", []],
  ["${var.tags[*].Name}", ["web"]],
  ["${var.admin_cidr[*].x}", { unknown: "var.admin_cidr" }],
  ["${length(var.rules[*].port)}", 2],

  // for expressions
  ["${[for c in var.cidrs : upper(c)]}", ["10.0.0.0/16", "10.1.0.0/16"]],
  ["${[for i, c in var.cidrs : \"${i}:${c}\"]}", ["0:10.0.0.0/16", "1:10.1.0.0/16"]],
  ["${[for r in var.rules : r.port if r.cidr == \"0.0.0.0/0\"]}", [22]],
  ["${{for r in var.rules : tostring(r.port) => r.cidr}}", m({ "22": "0.0.0.0/0", "443": "10.0.0.0/8" })],
  ["${{for k, v in var.tags : lower(k) => v}}", m({ env: "prod", name: "web" })],
  ["${{for w in var.words : w => w...}}", m({ a: ["a", "a"], b: ["b"], c: ["c"] })],
  ["${{for w in var.words : w => w}}", { unknown: /duplicate key "a"/ }],
  ["${[for x in var.nested : length(x)]}", [2, 1, 0]],
  ["${[for x in var.admin_cidr : x]}", { unknown: "var.admin_cidr" }],
  ["${[for x in var.mixed : x if x != \"\"]}", { unknown: "var.mixed[1]" }],
  ["${[for x in var.mixed : x]}", ["a", { unknown: "var.mixed[1]" }]],
  ["${[for x in [1, 2] : [for y in [10, 20] : x * y]]}", [[10, 20], [20, 40]]],

  // conditionals
  ["${var.enabled ? \"yes\" : \"no\"}", "yes"],
  ["${var.disabled ? \"yes\" : \"no\"}", "no"],
  ["${var.admin_cidr != \"\" ? var.admin_cidr : \"0.0.0.0/0\"}", { unknown: "var.admin_cidr", possible: [{ unknown: "var.admin_cidr" }, "0.0.0.0/0"] }],
  ["${var.flag ? 22 : 3389}", { unknown: "var.flag", possible: [22, 3389] }],
  ["${var.flag ? \"a\" : \"a\"}", "a"],
  ['${var.choice == "22" ? "ssh" : "https"}', { unknown: "var.choice", possible: ["ssh", "https"] }],
  ['${"true" ? 1 : 2}', 1],
  ['${1 ? 1 : 2}', { unknown: /condition must be a bool/ }],

  // operators
  ["${1 + 2 * 3 - 4 / 2}", 5],
  ["${7 % 3}", 1],
  ["${-var.port}", -22],
  ['${"5" + 1}', 6],
  ["${1 / 0}", { unknown: /division by zero/ }],
  ["${var.port > 20 && var.port < 25}", true],
  ["${var.port >= 23 || var.port <= 21}", false],
  ["${!var.enabled}", false],
  ['${1 == "1"}', false],
  ["${1 == 1.0}", true],
  ['${"a" != "b"}', true],
  ["${[1, 2] == [1, 2]}", true],
  ['${{a = 1} == {a = 1}}', true],
  ["${null == var.nothing}", true],
  ["${var.admin_cidr == \"0.0.0.0/0\"}", { unknown: "var.admin_cidr" }],
  ["${false && var.admin_cidr == \"x\"}", false],
  ["${var.admin_cidr == \"x\" && false}", false],
  ["${true || var.admin_cidr == \"x\"}", true],
  ["${true && var.admin_cidr == \"x\"}", { unknown: "var.admin_cidr" }],
  ["${var.flag && true}", { unknown: "var.flag", possible: [true, false] }],
  ['${"a" < 1}', { unknown: /must be numbers/ }],
  ["${(1 + 2) * 3}", 9],
  ["${0.1 + 0.2 == 0.3}", true],
  ["${var.choice + 1}", { unknown: "var.choice", possible: [23, 444] }],
  ["${var.cidrs[var.flag ? 0 : 5]}", { unknown: "var.flag", possible: ["10.0.0.0/16", { unknown: /out of range/ }] }],

  // functions: collections
  ['${concat(var.cidrs, ["1.2.3.4/32"], [])}', ["10.0.0.0/16", "10.1.0.0/16", "1.2.3.4/32"]],
  ["${concat(var.cidrs, var.admin_cidr)}", { unknown: "var.admin_cidr" }],
  ['${merge(var.tags, {Owner = "me", Env = "dev"})}', m({ Name: "web", Env: "dev", Owner: "me" })],
  ['${lookup(var.tags, "Name", "x")}', "web"],
  ['${lookup(var.tags, "Missing", "fallback")}', "fallback"],
  ['${lookup(var.tags, "Name", var.admin_cidr)}', "web"],
  ['${lookup(var.tags, "Missing")}', { unknown: /lookup\(\).*Missing/ }],
  ["${element(var.cidrs, 3)}", "10.1.0.0/16"],
  ["${element([], 0)}", { unknown: /element\(\)/ }],
  ["${tolist([\"a\"])}", ["a"]],
  ['${toset(["b", "a", "b"])}', ["a", "b"]],
  ['${tomap({a = 1})}', m({ a: 1 })],
  ["${tolist(\"x\")}", { unknown: /tolist\(\)/ }],
  ["${flatten([[1, [2, 3]], [], [4]])}", [1, 2, 3, 4]],
  ["${flatten(var.nested)}", [1, 2, 3]],
  ["${length(var.cidrs)}", 2],
  ["${length(var.mixed)}", 2],
  ['${length("héllo")}', 5],
  ["${length(var.tags)}", 2],
  ["${length(var.admin_cidr)}", { unknown: "var.admin_cidr" }],
  ['${contains(var.cidrs, "10.1.0.0/16")}', true],
  ['${contains(var.cidrs, "0.0.0.0/0")}', false],
  ['${contains(var.mixed, "a")}', true],
  ['${contains(var.mixed, "z")}', { unknown: "var.mixed[1]" }],
  ["${keys(var.tags)}", ["Env", "Name"]],
  ["${values(var.tags)}", ["prod", "web"]],
  ["${distinct(var.words)}", ["b", "a", "c"]],
  ['${compact(["a", "", null, "b"])}', ["a", "b"]],
  ["${range(3)}", [0, 1, 2]],
  ["${range(1, 10, 4)}", [1, 5, 9]],
  ["${range(5, 1)}", [5, 4, 3, 2]],
  ["${range(0)}", []],
  ["${range(2000)}", { unknown: /range\(\).*1024/ }],
  ["${sort(var.words)}", ["a", "a", "b", "c"]],
  ["${slice(var.words, 1, 3)}", ["a", "c"]],
  ["${slice(var.words, 2, 9)}", { unknown: /slice\(\)/ }],
  ['${index(var.words, "c")}', 2],
  ['${index(var.words, "z")}', { unknown: /index\(\)/ }],
  ['${zipmap(["a", "b"], [1, 2])}', m({ a: 1, b: 2 })],
  ['${coalesce("", null, "a", "b")}', "a"],
  ['${coalesce("a", var.admin_cidr)}', "a"],
  ['${coalesce(var.admin_cidr, "a")}', { unknown: "var.admin_cidr" }],
  ['${coalesce(var.nothing, var.choice)}', { unknown: "var.choice", possible: ["22", "443"] }],
  ["${coalescelist([], var.cidrs)}", ["10.0.0.0/16", "10.1.0.0/16"]],
  ["${coalescelist(var.empty, var.admin_cidr)}", { unknown: "var.admin_cidr" }],
  ["${reverse([1, 2, 3])}", [3, 2, 1]],
  ["${one([\"x\"])}", "x"],
  ["${alltrue([true, var.disabled])}", false],
  ["${anytrue([false, true])}", true],
  ["${sum([1, 2, 3.5])}", 6.5],
  ["${concat(var.cidrs...)}", { unknown: /concat\(\)/ }],
  ["${max(var.nested[0]...)}", 2],

  // functions: conversion
  ["${tostring(5)}", "5"],
  ["${tostring(true)}", "true"],
  ["${tostring([1])}", { unknown: /tostring\(\)/ }],
  ['${tonumber("42")}', 42],
  ['${tonumber("4x")}', { unknown: /tonumber\(\)/ }],
  ['${tobool("true")}', true],
  ["${tobool(1)}", { unknown: /tobool\(\)/ }],

  // functions: strings
  ['${format("Hello, %s!", var.name)}', "Hello, web!"],
  ['${format("%d lights, %.2f volts, %t", 4, 3.14159, true)}', "4 lights, 3.14 volts, true"],
  ['${format("%5d|%-5s|%05.1f|%x", 42, "ab", 3.14159, 255)}', "   42|ab   |003.1|ff"],
  ['${format("%q", "a\\"b")}', '"a\\"b"'],
  ['${format("%v and %v", [1, "a"], 2)}', '[1,"a"] and 2'],
  ['${format("%[2]s-%[1]s", "a", "b")}', "b-a"],
  ['${format("100%%")}', "100%"],
  ['${format("%d", 1.5)}', { unknown: /format\(\).*fractional/ }],
  ['${format("%s %s", "a")}', { unknown: /format\(\).*not enough arguments/ }],
  ['${format("%s", var.admin_cidr)}', { unknown: "var.admin_cidr" }],
  ['${join(", ", var.cidrs)}', "10.0.0.0/16, 10.1.0.0/16"],
  ['${join("-", ["a"], ["b", 1])}', "a-b-1"],
  ['${join(",", var.mixed)}', { unknown: "var.mixed[1]" }],
  ['${split(",", "a,b,,c")}', ["a", "b", "", "c"]],
  ['${lower("ABC")}-${upper("def")}', "abc-DEF"],
  ['${replace("a-b-c", "-", "_")}', "a_b_c"],
  ['${replace("hello world", "/o(\\\\w)?/", "0$1")}', "hell0 w0rld"],
  ['${replace("2024-01-15", "/(\\\\d+)-(\\\\d+)-(\\\\d+)/", "$3.$2.$1")}', "15.01.2024"],
  ['${replace("abc", "/(?P<first>a)/", "[$${first}]")}', "[a]bc"],
  ['${trimspace("  x y \\n")}', "x y"],
  ['${trim("?!hello?!", "!?")}', "hello"],
  ['${trimprefix("web-prod", "web-")}', "prod"],
  ['${trimsuffix("web-prod", "-prod")}', "web"],
  ['${startswith("arn:aws:iam", "arn:")}', true],
  ['${endswith("file.tf", ".json")}', false],
  ['${substr("hello world", 1, 4)}', "ello"],
  ['${substr("hello world", -5, -1)}', "world"],
  ['${substr("hello", 0, 99)}', "hello"],
  ['${title("hello world")}', "Hello World"],
  ['${strrev("abc")}', "cba"],
  ['${regex("(\\\\d+)\\\\.(\\\\d+)", "v1.22")}', ["1", "22"]],
  ['${regexall("[a-z]+", "ab 12 cd")}', ["ab", "cd"]],

  // functions: numbers
  ["${max(1, 5, 3)}", 5],
  ["${min(4, -2)}", -2],
  ["${abs(-3.5)}", 3.5],
  ["${ceil(1.2)}+${floor(1.8)}", "2+1"],
  ["${pow(2, 10)}", 1024],
  ['${parseint("ff", 16)}', 255],
  ["${max()}", { unknown: /max\(\)/ }],

  // functions: encoding
  ['${jsonencode({b = [1, true, null], a = "<x>"})}', '{"a":"\\u003cx\\u003e","b":[1,true,null]}'],
  ["${jsonencode(var.mixed)}", { unknown: "var.mixed[1]" }],
  ["${jsondecode(var.json).a[1]}", 2],
  // set functions (sets are lists without repeats here)
  ['${setproduct(["a", "b"], [1, 2])}', [["a", 1], ["a", 2], ["b", 1], ["b", 2]]],
  ["${setproduct(var.words, [])}", []],
  ["${setunion(var.words, [\"d\"])}", ["b", "a", "c", "d"]],
  ['${setintersection(var.words, ["a", "z"])}', ["a"]],
  ['${setsubtract(var.words, ["a"])}', ["b", "c"]],
  ["${setproduct(var.mixed, [1])}", { unknown: "var.mixed[1]" }],
  // JSON text with unknown parts keeps the value it encodes: decoding it gives that value back.
  ["${jsondecode(jsonencode(var.mixed))[0]}", "a"],
  ["${jsondecode(jsonencode({ a = var.admin_cidr, b = 1 })).b}", 1],
  ["${jsondecode(jsonencode({ a = var.admin_cidr })).a}", { unknown: "var.admin_cidr has no value" }],
  ['${jsondecode("{\\"a\\": 1}")}', m({ a: 1 })],
  ['${jsondecode("{not json")}', { unknown: /jsondecode\(\).*invalid JSON/ }],
  ['${base64encode("hello")}', "aGVsbG8="],
  ['${base64decode("aGVsbG8=")}', "hello"],
  ['${base64decode("%%%")}', { unknown: /base64decode\(\)/ }],
  ['${urlencode("a b&c")}', "a+b%26c"],

  // functions: networking (checked by hand)
  ['${cidrsubnet("10.0.0.0/16", 8, 2)}', "10.0.2.0/24"],
  ['${cidrsubnet("10.1.2.3/16", 4, 15)}', "10.1.240.0/20"],
  ['${cidrsubnet("172.16.0.0/12", 4, 2)}', "172.18.0.0/16"],
  ['${cidrsubnet("10.0.0.0/8", 0, 0)}', "10.0.0.0/8"],
  ['${cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)}', "fd00:fd12:3456:7800:a200::/72"],
  ['${cidrsubnet("2001:db8::/32", 16, 1)}', "2001:db8:1::/48"],
  ['${cidrsubnet("::/0", 1, 1)}', "8000::/1"],
  ['${[for i in range(3) : cidrsubnet(var.cidrs[0], 8, i)]}', ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]],
  ['${cidrsubnet("10.0.0.0/30", 4, 0)}', { unknown: /cidrsubnet\(\).*insufficient address space/ }],
  ['${cidrsubnet("10.0.0.0/24", 2, 4)}', { unknown: /cidrsubnet\(\).*does not accommodate/ }],
  ['${cidrsubnet("10.0.0.300/24", 2, 1)}', { unknown: /cidrsubnet\(\)/ }],
  ['${cidrsubnet(var.admin_cidr, 8, 1)}', { unknown: "var.admin_cidr" }],
  ['${cidrhost("10.12.112.0/20", 268)}', "10.12.113.12"],
  ['${cidrhost("10.12.112.0/20", -1)}', "10.12.127.255"],
  ['${cidrhost("fd00:fd12:3456:7890::/56", 34)}', "fd00:fd12:3456:7800::22"],
  ['${cidrnetmask("172.16.0.0/12")}', "255.240.0.0"],

  // try and can
  ['${try(var.obj.missing, "d")}', "d"],
  ['${try(var.obj.a.b, "d")}', "c"],
  ['${try(var.cidrs[5], "none")}', "none"],
  ['${try(var.admin_cidr, "d")}', { unknown: "var.admin_cidr" }],
  ['${try(tonumber("abc"), 0)}', 0],
  ['${try([1][3], {a = 1}.b, "last")}', "last"],
  ['${try([1][3])}', { unknown: /try\(\)/ }],
  ['${try(var.nothing, "d")}', null],
  ['${can(tonumber("1"))}', true],
  ['${can(tonumber("x"))}', false],
  ['${can(var.obj.missing)}', false],
  ['${can(var.admin_cidr)}', { unknown: "var.admin_cidr" }],
  ['${can(regex("^ami-", "ami-123"))}', true],

  // functions parapet does not run
  ['${file("${path.module}/policy.json")}', { unknown: "file()" }],
  ['${templatefile("user-data.sh", { a = 1 })}', { unknown: "templatefile()" }],
  ["${timestamp()}", { unknown: "timestamp()" }],
  ["${uuid()}", { unknown: "uuid()" }],
  ["${no_such_function(1)}", { unknown: "no_such_function()" }],
  ['${provider::aws::arn_parse("arn:aws:s3:::b")}', { unknown: "provider::aws::arn_parse()" }],
  ['${length(file("x"))}', { unknown: "file()" }],
  ['web-${uuid()}', { unknown: "uuid()" }],

  // parse errors and things that are not evaluated
  ["${1 +}", { unknown: /^cannot parse expression: / }],
  ["${var.enabled ? 1}", { unknown: /^cannot parse expression: .*conditional/ }],
  ['${[for k, v in var.tags : k => v]}', { unknown: /^cannot parse expression: / }],
];

function check(actual: Resolved, expected: Expected, label: string): void {
  if (expected instanceof Object && !Array.isArray(expected) && "unknown" in expected && Object.keys(expected).every((k) => k === "unknown" || k === "possible")) {
    const e = expected as { unknown: string | RegExp; possible?: Expected[] };
    expect(actual, label).toBeInstanceOf(Unknown);
    const u = actual as Unknown;
    if (typeof e.unknown === "string") expect(u.reason, label).toContain(e.unknown);
    else expect(u.reason, label).toMatch(e.unknown);
    if (e.possible) {
      expect(u.possible, `${label} (possible values)`).toBeDefined();
      expect(u.possible!.length, label).toBe(e.possible.length);
      e.possible.forEach((p, i) => check(u.possible![i]!, p, `${label} possible[${i}]`));
    }
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${label}: ${actual instanceof Unknown ? actual.reason : typeof actual}`).toBe(true);
    const list = actual as Resolved[];
    expect(list.length, label).toBe(expected.length);
    expected.forEach((x, i) => check(list[i]!, x as Expected, `${label}[${i}]`));
    return;
  }
  if (actual instanceof Unknown) expect.fail(`${label}: unknown (${actual.reason}), expected ${JSON.stringify(expected)}`);
  expect(actual, label).toEqual(expected);
}

describe("evaluateValue", () => {
  const cache = new ExpressionCache();
  beforeAll(async () => {
    await cache.prepare(CASES.map(([source]) => source));
  });

  it.each(CASES.map(([source, expected], i) => [i, JSON.stringify(source), source, expected] as const))("#%i %s", (_i, label, source, expected) => {
    check(evaluateValue(source, scope, cache), expected as Expected, label);
  });
});

describe("plain references, read without the parser", () => {
  /** Deterministic references: every root and segment form the shortcut accepts. */
  function references(): string[] {
    const roots = ["var", "local", "aws_instance", "module", "data", "each", "count", "self", "path", "a-b", "_x", "x1"];
    const names = ["id", "name", "a-b", "web_1", "_", "x-", "arn", "Tags", "n0"];
    const out: string[] = [];
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    for (let i = 0; i < 300; i++) {
      let text = roots[next(roots.length)]!;
      const length = 1 + next(5);
      for (let j = 0; j < length; j++) text += next(4) === 0 ? `[${next(20)}]` : `.${names[next(names.length)]}`;
      out.push(`\${${text}}`);
    }
    return out;
  }
  const withoutRanges = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(withoutRanges) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== "range").map(([k, x]) => [k, withoutRanges(x)])) : v;

  it("gives the parser's tree for every plain reference", async () => {
    const { getExpressionAst } = await hcl2json();
    for (const source of references()) {
      const mine = simpleTraversalTree(source) as unknown as { meta: { value: string }; children: unknown[] };
      expect(mine, source).toBeDefined();
      const parsed = (await getExpressionAst("e.tf", `<<EOT\n${source}\nEOT\n`)) as unknown as { type: string; children: unknown[] };
      expect(parsed.type).toBe("template");
      expect(withoutRanges(mine.children), source).toEqual(withoutRanges(parsed.children));
    }
  });

  it.each(["${true.x}", "${null.a}", "${var}", "${ var.x }", "${var.x}-y", "${var.x[0][1]", "${var.0}", "${var.x[-1]}", "${var.x.*}", "${var.é.x}", "${var.x}${var.y}", "%{if var.x}a%{endif}"])(
    "leaves %s to the parser",
    (source) => {
      expect(simpleTraversalTree(source)).toBeUndefined();
    },
  );
});

describe("expressions parsed in batches", () => {
  it("give what each expression parsed alone gives", async () => {
    const sources = CASES.map(([source]) => source).filter((s): s is string => typeof s === "string");
    const batched = new ExpressionCache();
    await batched.prepare(sources);
    for (const source of sources) {
      const alone = new ExpressionCache();
      await alone.prepare(source);
      expect(evaluateValue(source, scope, batched), source).toEqual(evaluateValue(source, scope, alone));
    }
  });

  it("a batch with an expression the parser rejects still parses the others", async () => {
    const cache = new ExpressionCache();
    const sources = ["${var.env}", "${var.env +}", "web-${var.env}", '${{ a = 1 }["a"]}'];
    await cache.prepare(sources);
    expect(evaluateValue(sources[0], scope, cache)).toBe("prod");
    expect(evaluateValue(sources[1], scope, cache)).toMatchObject({ reason: expect.stringContaining("cannot parse expression") });
    expect(evaluateValue(sources[2], scope, cache)).toBe("web-prod");
    expect(evaluateValue(sources[3], scope, cache)).toBe(1);
  });
});

describe("evaluateValue beyond single expressions", () => {
  it("evaluates lists and maps of expressions recursively, with null-prototype maps", async () => {
    const cache = new ExpressionCache();
    const block = { cidr_blocks: ["${var.cidrs[0]}", "1.2.3.4/32"], tags: { Name: "web-${var.env}", Count: 2 }, "${var.name}": true, "${(var.env)}": 1 };
    await cache.prepare(block);
    const v = evaluateValue(block, scope, cache) as Record<string, Resolved>;
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(Object.getPrototypeOf(v["tags"])).toBeNull();
    expect(v).toEqual(m({ cidr_blocks: ["10.0.0.0/16", "1.2.3.4/32"], tags: m({ Name: "web-prod", Count: 2 }), web: true, prod: 1 }));
  });

  it("keeps __proto__ as data, in hcl2json maps, object expressions and jsondecode", async () => {
    const cache = new ExpressionCache();
    const literal = JSON.parse('{"__proto__": {"polluted": true}, "x": "${var.env}"}') as unknown;
    const expression = '${{ "__proto__" = { polluted = true }, constructor = 1 }}';
    const decoded = "${jsondecode(var.json)}";
    await cache.prepare([literal, expression, decoded]);
    for (const source of [literal, expression, decoded]) {
      const v = evaluateValue(source, scope, cache) as Record<string, Resolved>;
      expect(Object.getPrototypeOf(v)).toBeNull();
      expect(Object.keys(v)).toContain("__proto__");
      expect(Object.prototype.hasOwnProperty.call(v, "__proto__")).toBe(true);
    }
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect((evaluateValue(literal, scope, cache) as Record<string, Resolved>)["x"]).toBe("prod");
  });

  it("keeps the reference of a resource attribute used as the whole value", async () => {
    const cache = new ExpressionCache();
    await cache.prepare("${aws_security_group.web.id}");
    const v = evaluateValue("${aws_security_group.web.id}", scope, cache);
    expect(v).toBeInstanceOf(Unknown);
    expect((v as Unknown).ref).toEqual({ target: "aws_security_group.web", attribute: "id" });
  });

  it("passes the whole traversal to the scope, index keys as numbers or strings", async () => {
    const cache = new ExpressionCache();
    const seen: (string | number)[][] = [];
    const recording: ExpressionScope = {
      reference(parts) {
        seen.push(parts);
        return "x";
      },
    };
    const sources = ['${var.cidrs[0]}', '${aws_instance.web["a"].id}', "${module.net.subnets[2].id}", "${data.aws_ami.ubuntu.id}"];
    await cache.prepare(sources);
    for (const s of sources) evaluateValue(s, recording, cache);
    expect(seen).toEqual([
      ["var", "cidrs", 0],
      ["aws_instance", "web", "a", "id"],
      ["module", "net", "subnets", 2, "id"],
      ["data", "aws_ami", "ubuntu", "id"],
    ]);
  });

  it("does not ask the scope for names bound by a for expression or a splat", async () => {
    const cache = new ExpressionCache();
    const asked: string[] = [];
    const recording: ExpressionScope = {
      reference(parts) {
        asked.push(parts.join("."));
        return parts[0] === "var" ? [m({ id: "a" }), m({ id: "b" })] : new Unknown("?");
      },
    };
    const sources = ['${[for s in var.subnets : s.id if s.id != ""]}', '${join(",", var.subnets[*].id)}'];
    await cache.prepare(sources);
    expect(evaluateValue(sources[0], recording, cache)).toEqual(["a", "b"]);
    expect(evaluateValue(sources[1], recording, cache)).toBe("a,b");
    expect(asked).toEqual(["var.subnets", "var.subnets"]);
  });

  it("reports an expression that was not prepared instead of throwing", () => {
    const v = evaluateValue("${var.env}", scope, new ExpressionCache());
    expect(v).toBeInstanceOf(Unknown);
    expect((v as Unknown).reason).toContain("${var.env}");
  });

  it("never throws when the scope throws", async () => {
    const cache = new ExpressionCache();
    await cache.prepare("${var.x}");
    const v = evaluateValue("${var.x}", { reference: () => { throw new Error("boom"); } }, cache);
    expect(v).toBeInstanceOf(Unknown);
    expect((v as Unknown).reason).toContain("boom");
  });

  it("treats ABSENT from the scope as null", async () => {
    const cache = new ExpressionCache();
    const sources = ["${var.gone == null}", '${coalesce(var.gone, "d")}'];
    await cache.prepare(sources);
    const absent: ExpressionScope = { reference: () => ABSENT };
    expect(evaluateValue(sources[0], absent, cache)).toBe(true);
    expect(evaluateValue(sources[1], absent, cache)).toBe("d");
  });

  it("parses each distinct expression once", async () => {
    const cache = new ExpressionCache();
    await cache.prepare(["${var.env}", { a: "${var.env}" }]);
    const first = cache.get("${var.env}");
    await cache.prepare("${var.env}");
    expect(cache.get("${var.env}")).toBe(first);
    expect(cache.get("plain")).toBeUndefined();
  });
});

describe("runaway input", () => {
  const deepTuple = "${" + "[".repeat(5000) + "1" + "]".repeat(5000) + "}";
  const deepCalls = "${" + "abs(".repeat(3000) + "1" + ")".repeat(3000) + "}";
  const longSum = "${" + Array.from({ length: 5000 }, (_, i) => String(i)).join(" + ") + "}";
  const manyInterpolations = "${var.env}-".repeat(5000);
  const huge = "x".repeat(200_000) + "${var.env}";
  const nestedLoops = "${[for a in range(1000) : [for b in range(1000) : a * b]]}";
  const flattenBomb = "${length(flatten([for a in range(1000) : [for b in range(1000) : b]]))}";
  const evilRegex = '${replace("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "/(a+)+$/", "")}';
  const wideFormat = '${format("%999999999d", 1)}';
  // Two overlapping repetitions in a row: cubic time on a long run of digits without an x.
  const polynomialRegex = '${regex("[0-9]+[0-9]+x", "' + "1".repeat(3000) + '")}';
  const nestedConditionals = "${" + Array.from({ length: 40 }, (_, i) => `var.port == ${i} ? ${i} :`).join(" ") + " -1}";
  const sources = [deepTuple, deepCalls, longSum, manyInterpolations, huge, nestedLoops, flattenBomb, evilRegex, wideFormat, polynomialRegex];
  const cache = new ExpressionCache();

  beforeAll(async () => {
    await cache.prepare([...sources, nestedConditionals]);
  });

  it.each(sources.map((s, i) => [i, s.slice(0, 40)] as const))("#%i %s… is too complex, not a hang or a crash", (i) => {
    const started = performance.now();
    const v = evaluateValue(sources[i], scope, cache);
    expect(v).toBeInstanceOf(Unknown);
    expect((v as Unknown).reason).toBe(TOO_COMPLEX);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("still evaluates reasonably nested expressions", () => {
    expect(evaluateValue(nestedConditionals, scope, cache)).toBe(22);
  });
});

describe("file(), filebase64() and templatefile()", () => {
  /** The files a configuration may read, by path; anything else does not exist. */
  const FILES: Record<string, string> = {
    "plain.txt": "no template ${here}",
    "text.txt": "just text\n",
    "hello.sh": "#!/bin/sh\necho ${name} > /tmp/${port}\n",
    "if.tpl": "%{ if on ~}\nyes\n%{ else ~}\nno\n%{ endif ~}\nend",
    "for.tpl": "%{ for x in xs ~}\n- ${x}\n%{ endfor ~}\n",
    "strip.tpl": "a  ${~ name ~}  b",
    "escapes.tpl": "$${HOME} %%{ x } ${name}",
    "nested.tpl": "${tags.Name}/${length(xs)}/%{ for k, v in tags }${k}=${v};%{ endfor }",
    "key.sh": "export KEY=${key}\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n",
    "choice.tpl": "%{ if flag }open%{ else }closed%{ endif }",
    "missing-var.tpl": "${nope}",
    "invalid.tpl": "${ name",
    "recursive.tpl": '${templatefile("plain.txt", {})}',
    "reads.tpl": '${file("plain.txt")}!',
    "latin1.bin": "",
  };
  const bytes = (path: string): Buffer => (path === "latin1.bin" ? Buffer.from([0xe9, 0x0a]) : Buffer.from(FILES[path]!, "utf8"));
  const files: ExpressionScope = {
    reference: scope.reference,
    readFile(path): ConfigurationFile | Unknown {
      return path in FILES ? { bytes: bytes(path), shown: `dir/${path}` } : new Unknown(`file dir/${path} does not exist (Terraform would fail)`);
    },
  };

  const FILE_CASES: [string, Expected][] = [
    ['${file("plain.txt")}', "no template ${here}"],
    ['${filebase64("plain.txt")}', Buffer.from(FILES["plain.txt"]!).toString("base64")],
    ['${filebase64("latin1.bin")}', "6Qo="],
    ['${file("latin1.bin")}', { unknown: "dir/latin1.bin is not UTF-8 text" }],
    ['${file("gone.txt")}', { unknown: "file dir/gone.txt does not exist" }],
    ['${file("${var.admin_cidr}.txt")}', { unknown: "the file that file() reads is unknown: var.admin_cidr has no value" }],
    ['${file(var.port)}', { unknown: "the path must be a string" }],
    ['${file("a", "b")}', { unknown: "file() takes 1 argument, not 2" }],
    ['${templatefile("plain.txt", {})}', { unknown: "the template dir/plain.txt uses here, which templatefile() does not pass to it" }],
    ['${templatefile("text.txt", {})}', "just text\n"],
    ['${templatefile("hello.sh", { name = var.name, port = var.port })}', "#!/bin/sh\necho web > /tmp/22\n"],
    ['${templatefile("if.tpl", { on = true })}', "yes\nend"],
    ['${templatefile("if.tpl", { on = false })}', "no\nend"],
    ['${templatefile("for.tpl", { xs = var.cidrs })}', "- 10.0.0.0/16\n- 10.1.0.0/16\n"],
    ['${templatefile("strip.tpl", { name = "x" })}', "axb"],
    ['${templatefile("escapes.tpl", { name = "x" })}', "${HOME} %{ x } x"],
    ['${templatefile("nested.tpl", { tags = var.tags, xs = var.cidrs })}', "web/2/Env=prod;Name=web;"],
    ['${templatefile("choice.tpl", { flag = var.flag })}', { unknown: "var.flag", possible: ["open", "closed"] }],
    ['${templatefile("key.sh", { key = var.admin_cidr })}', { unknown: "var.admin_cidr has no value" }],
    ['${templatefile("missing-var.tpl", {})}', { unknown: "the template dir/missing-var.tpl uses nope, which templatefile() does not pass to it" }],
    ['${templatefile("invalid.tpl", { name = "x" })}', { unknown: /^the template dir\/invalid.tpl is not a valid template: / }],
    ['${templatefile("recursive.tpl", {})}', { unknown: "templatefile() cannot be called from inside a template file" }],
    ['${templatefile("reads.tpl", {})}', "no template ${here}!"],
    ['${templatefile("hello.sh", "x")}', { unknown: "the variables must be a map" }],
    ['${templatefile("hello.sh", var.admin_cidr)}', { unknown: "var.admin_cidr has no value" }],
    ['${templatefile("gone.tpl", {})}', { unknown: "file dir/gone.tpl does not exist" }],
  ];

  /** Evaluates as the module evaluator does: a first pass meets the templates, they are parsed, a second pass renders them. */
  async function render(source: string, scopeUsed: ExpressionScope = files): Promise<Resolved> {
    const cache = new ExpressionCache();
    await cache.prepare(source);
    evaluateValue(source, scopeUsed, cache);
    await cache.preparePending();
    return evaluateValue(source, scopeUsed, cache);
  }

  it.each(FILE_CASES.map(([source, expected], i) => [i, source, expected] as const))("#%i %s", async (_i, source, expected) => {
    check(await render(source), expected as Expected, source);
  });

  it("keeps the known text of a partly unknown template, for the rules that look for literals", async () => {
    const v = (await render('${templatefile("key.sh", { key = var.admin_cidr })}')) as Unknown;
    expect(v.fragments?.join("")).toContain("AKIAIOSFODNN7EXAMPLE");
  });

  it("reads no file when the scope gives no access to files", async () => {
    check(await render('${templatefile("hello.sh", {})}', scope), { unknown: "templatefile() reads a file, which parapet does not do here" }, "no file access");
  });

  it("says that a template is not parsed yet before the second pass", async () => {
    const cache = new ExpressionCache();
    const source = '${templatefile("hello.sh", { name = "a", port = 1 })}';
    await cache.prepare(source);
    check(evaluateValue(source, files, cache), { unknown: "the template dir/hello.sh is not parsed yet" }, "first pass");
    expect(await cache.preparePending()).toBe(true);
    expect(await cache.preparePending()).toBe(false);
  });
});
