import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { GraphNode } from "../../../src/graph/graph.js";
import { loadTemplate } from "../../../src/parsers/cloudformation/template.js";
import { view } from "../../helpers/view.js";

/**
 * Fn::ForEach and the other functions of AWS::LanguageExtensions, as tables: a template
 * (written once as data, read as YAML and as JSON) → the logical ids CloudFormation computes,
 * chosen values, the line each resource points at, and diagnostics.
 */

type Template = Record<string, unknown>;

interface Expected {
  /** Logical id → the text of the line the resource points at (its key inside the loop). */
  ids: Record<string, string>;
  /** Logical id → property → value (as `view` shows it). */
  properties?: Record<string, Record<string, unknown>>;
  /** Logical ids whose existence is undecided (presence unknown), with a part of the reason. */
  undecided?: Record<string, string>;
  diagnostics?: { message: string; at: string }[];
}

const render = {
  yaml: (t: Template) => stringify(t, { lineWidth: 0 }),
  json: (t: Template) => JSON.stringify(t, null, 2),
};

/** 1-based number of the first line that writes the map key `key` (found in the text, not in the syntax tree). */
function lineOf(source: string, key: string): number {
  const written = new RegExp(`(^|[\\s"'])${key.replace(/[$&{}()[\]\\.*+?^|]/g, "\\$&")}["']?\\s*:`);
  const index = source.split("\n").findIndex((l) => written.test(l));
  if (index < 0) throw new Error(`no line writes the key ${key}`);
  return index + 1;
}

function load(format: keyof typeof render, template: Template, parameters: Record<string, string> = {}) {
  const text = render[format]({ AWSTemplateFormatVersion: "2010-09-09", Transform: "AWS::LanguageExtensions", ...template });
  const file = `stack.${format}`;
  return { text, result: loadTemplate(file, `/repo/${file}`, text, { parameters }) };
}

const line = (n: GraphNode) => n.source.locate(n.resourcePath)?.line;
const volume = (extra: Record<string, unknown> = {}) => ({ Type: "AWS::EC2::Volume", Properties: { AvailabilityZone: "eu-west-1a", Size: 8, ...extra } });

type Row = [name: string, template: Template, expected: Expected, parameters?: Record<string, string>];

const rows: Row[] = [
  [
    "literal collection, ${Id} in the key, Ref to the identifier",
    { Resources: { "Fn::ForEach::Vols": ["Name", ["a", "b"], { "Vol${Name}": volume({ VolumeType: { Ref: "Name" } }) }] } },
    { ids: { Vola: "Vol${Name}", Volb: "Vol${Name}" }, properties: { Vola: { VolumeType: "a" }, Volb: { VolumeType: "b" } } },
  ],
  [
    "&{Id} in the key drops characters that are not letters or digits; ${Id} in Fn::Sub keeps them",
    { Resources: { "Fn::ForEach::Cidrs": ["Cidr", ["10.0.0.0/16", "192.168.1.0/24"], { "Vol&{Cidr}": volume({ KmsKeyId: { "Fn::Sub": "key-${Cidr}-&{Cidr}" } }) }] } },
    {
      ids: { Vol1000016: "Vol&{Cidr}", Vol1921681024: "Vol&{Cidr}" },
      properties: { Vol1000016: { KmsKeyId: "key-10.0.0.0/16-1000016" }, Vol1921681024: { KmsKeyId: "key-192.168.1.0/24-1921681024" } },
    },
  ],
  [
    "collection from a CommaDelimitedList parameter's default",
    { Parameters: { Names: { Type: "CommaDelimitedList", Default: "x, y" } }, Resources: { "Fn::ForEach::Vols": ["N", { Ref: "Names" }, { "Vol${N}": volume() }] } },
    { ids: { Volx: "Vol${N}", Voly: "Vol${N}" } },
  ],
  [
    "collection from a --param value, which wins over the default",
    { Parameters: { Names: { Type: "CommaDelimitedList", Default: "x" } }, Resources: { "Fn::ForEach::Vols": ["N", { Ref: "Names" }, { "Vol${N}": volume() }] } },
    { ids: { Volp: "Vol${N}", Volq: "Vol${N}", Volr: "Vol${N}" } },
    { Names: "p,q,r" },
  ],
  [
    "collection from Fn::Split",
    { Resources: { "Fn::ForEach::Vols": ["N", { "Fn::Split": ["|", "gp2|gp3"] }, { "Vol${N}": volume({ VolumeType: { Ref: "N" } }) }] } },
    { ids: { Volgp2: "Vol${N}", Volgp3: "Vol${N}" }, properties: { Volgp3: { VolumeType: "gp3" } } },
  ],
  [
    "nested loops: the inner collection and key use the outer identifier",
    {
      Mappings: { Sizes: { small: { List: ["1", "2"] }, large: { List: ["9"] } } },
      Resources: {
        "Fn::ForEach::Outer": [
          "Tier",
          ["small", "large"],
          { "Fn::ForEach::Inner": ["Size", { "Fn::FindInMap": ["Sizes", { Ref: "Tier" }, "List"] }, { "Vol${Tier}${Size}": volume({ Size: { Ref: "Size" } }) }] },
        ],
      },
    },
    { ids: { Volsmall1: "Vol${Tier}${Size}", Volsmall2: "Vol${Tier}${Size}", Vollarge9: "Vol${Tier}${Size}" }, properties: { Volsmall2: { Size: "2" } } },
  ],
  [
    "a collection that cannot be known: one resource under the key as written, undecided",
    { Parameters: { Names: { Type: "CommaDelimitedList" } }, Resources: { "Fn::ForEach::Vols": ["N", { Ref: "Names" }, { "Vol${N}": volume({ VolumeType: { Ref: "N" } }) }] } },
    {
      ids: { "Vol${N}": "Vol${N}" },
      properties: { "Vol${N}": { VolumeType: { unknown: "the collection of the loop Vols cannot be known: parameter Names has no default and no value was given" } } },
      undecided: { "Vol${N}": "parameter Names has no default" },
    },
  ],
  [
    "a loop inside Properties adds keys to the map it is written in",
    { Resources: { Fn: { Type: "AWS::Lambda::Function", Properties: { Environment: { Variables: { "Fn::ForEach::Vars": ["V", ["A", "B"], { "VAR_${V}": { "Fn::Sub": "value-${V}" } }], FIXED: "1" } } } } } },
    { ids: { Fn: "Fn" }, properties: { Fn: { Environment: { Variables: { VAR_A: "value-A", VAR_B: "value-B", FIXED: "1" } } } } },
  ],
  [
    "a loop in Conditions makes conditions that resources use",
    {
      Parameters: { Env: { Type: "String", Default: "prod" } },
      Conditions: { "Fn::ForEach::Envs": ["E", ["prod", "dev"], { "Is${E}": { "Fn::Equals": [{ Ref: "Env" }, { Ref: "E" }] } }] },
      Resources: { Prod: { ...volume(), Condition: "Isprod" }, Dev: { ...volume(), Condition: "Isdev" } },
    },
    { ids: { Prod: "Prod" } },
  ],
  [
    "Fn::Length, Fn::ToJsonString and Fn::FindInMap with DefaultValue",
    {
      Mappings: { Types: { eu: { Volume: "gp3" } } },
      Resources: {
        V: volume({
          Size: { "Fn::Length": ["a", "b", "c"] },
          KmsKeyId: { "Fn::ToJsonString": { k: ["v"] } },
          VolumeType: { "Fn::FindInMap": ["Types", "us", "Volume", { DefaultValue: "io2" }] },
        }),
      },
    },
    { ids: { V: "V" }, properties: { V: { Size: 3, KmsKeyId: '{"k":["v"]}', VolumeType: "io2" } } },
  ],
  [
    "intrinsic functions in DeletionPolicy and UpdateReplacePolicy are accepted",
    { Parameters: { Policy: { Type: "String", Default: "Retain" } }, Resources: { V: { ...volume(), DeletionPolicy: { Ref: "Policy" }, UpdateReplacePolicy: { Ref: "Policy" } } } },
    { ids: { V: "V" } },
  ],
  [
    "a loop that produces a logical id twice is an error",
    { Resources: { "Fn::ForEach::Vols": ["N", ["a", "a"], { "Vol${N}": volume() }] } },
    { ids: { Vola: "Vol${N}" }, diagnostics: [{ message: "Fn::ForEach produces the logical id Vola, which the template already declares", at: "Vol${N}" }] },
  ],
  [
    "a loop that is not [identifier, collection, fragment] is an error",
    { Resources: { "Fn::ForEach::Bad": ["N", ["a"]], V: volume() } },
    { ids: { V: "V" }, diagnostics: [{ message: "Fn::ForEach::Bad must be a list of an identifier, a collection and a map of output keys to fragments", at: "Fn::ForEach::Bad" }] },
  ],
];

describe("AWS::LanguageExtensions: template → expanded resources", () => {
  for (const format of ["yaml", "json"] as const) {
    for (const [name, template, expected, parameters] of rows) {
      it(`${format}: ${name}`, () => {
        const { text, result } = load(format, template, parameters);
        expect(result.isTemplate).toBe(true);
        const byId = new Map(result.nodes.map((n) => [n.address, n]));
        expect([...byId.keys()].sort()).toEqual(Object.keys(expected.ids).sort());
        for (const [id, key] of Object.entries(expected.ids)) expect([id, line(byId.get(id)!)]).toEqual([id, lineOf(text, key)]);
        for (const [id, props] of Object.entries(expected.properties ?? {})) {
          const body = byId.get(id)!.native!.body;
          for (const [prop, value] of Object.entries(props)) expect(view(body[prop]!)).toEqual(value);
        }
        for (const n of result.nodes) {
          const reason = expected.undecided?.[n.address];
          if (reason) expect(n.presence?.reason).toContain(reason);
          else expect(n.presence).toBeUndefined();
        }
        const diagnostics = (expected.diagnostics ?? []).map((d) => ({ message: d.message, line: lineOf(text, d.at) }));
        expect(result.diagnostics.map((d) => ({ message: d.message, line: d.line }))).toEqual(diagnostics);
        expect(result.preprocessors).toBeUndefined();
      });
    }
  }
});

describe("AWS::LanguageExtensions: references and outputs", () => {
  const template: Template = {
    Resources: {
      "Fn::ForEach::Groups": ["Name", ["web", "db"], { "Sg${Name}": { Type: "AWS::EC2::SecurityGroup", Properties: { GroupDescription: { Ref: "Name" } } } }],
      Rule: { Type: "AWS::EC2::SecurityGroupIngress", Properties: { GroupId: { "Fn::GetAtt": ["Sgweb", "GroupId"] }, IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIp: "0.0.0.0/0" } },
    },
    Outputs: {
      "Fn::ForEach::Ids": ["Name", ["web", "db"], { "Fn::ForEach::Attrs": ["Attr", ["GroupId"], { "Sg${Name}${Attr}": { Value: { "Fn::GetAtt": [{ "Fn::Sub": "Sg${Name}" }, { Ref: "Attr" }] } } }] }],
    },
  };

  for (const format of ["yaml", "json"] as const) {
    it(`${format}: Ref and GetAtt name expanded resources; outputs of nested loops are expanded`, () => {
      const { result } = load(format, template);
      const rule = result.nodes.find((n) => n.address === "Rule")!;
      expect(view(rule.attributes["security_group"]!)).toEqual({ unknown: "the id of Sgweb is known only after deployment", ref: { target: "Sgweb" } });
      const outputs = result.outputs!();
      expect(Object.keys(outputs).sort()).toEqual(["SgdbGroupId", "SgwebGroupId"]);
      expect(view(outputs["SgdbGroupId"]!.value)).toEqual({ unknown: "the id of Sgdb is known only after deployment", ref: { target: "Sgdb" } });
    });
  }
});

describe("AWS::LanguageExtensions with SAM", () => {
  it("expands loops of a template that also uses AWS::Serverless-2016-10-31, with no note for either transform", () => {
    const text = [
      "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]",
      "Resources:",
      "  Fn::ForEach::Functions:",
      "    - Name",
      "    - [Orders, Users]",
      "    - ${Name}Function:",
      "        Type: AWS::Serverless::Function",
      "        Properties:",
      "          Handler: !Sub ${Name}.handler",
      "          Runtime: python3.12",
      "",
    ].join("\n");
    const result = loadTemplate("sam.yaml", "/repo/sam.yaml", text);
    expect(result.diagnostics).toEqual([]);
    expect(result.preprocessors).toBeUndefined();
    expect(result.nodes.map((n) => [n.address, n.nativeType, line(n), view(n.native!.body["Handler"]!)])).toEqual([
      ["OrdersFunction", "AWS::Serverless::Function", 6, "Orders.handler"],
      ["UsersFunction", "AWS::Serverless::Function", 6, "Users.handler"],
    ]);
  });

  it("reads a template whose only resources are inside loops as a template", () => {
    const text = ["Resources:", "  Fn::ForEach::Vols:", "    - N", "    - [a]", "    - Vol${N}:", "        Type: AWS::EC2::Volume", ""].join("\n");
    const result = loadTemplate("only-loops.yaml", "/repo/only-loops.yaml", text);
    expect(result.isTemplate).toBe(true);
    expect(result.nodes.map((n) => n.address)).toEqual(["Vola"]);
  });
});
