// Positions in JSON templates come from a one-pass index of the text; for every path of every
// document they must be what the YAML reader (which reads JSON too) gives.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { indexJson, jsonLocator } from "../../src/source/json-positions.js";
import { readYamlSource } from "../../src/source/document.js";
import type { PropertyPath } from "../../src/source/location.js";

function paths(v: unknown, prefix: PropertyPath = []): PropertyPath[] {
  const out: PropertyPath[] = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

const DOCUMENTS: [string, string][] = [
  ["compact", '{"a":1,"b":[true,null,"x"],"c":{"d":-1.5e3,"e":{}},"f":[]}'],
  ["pretty, CRLF", '{\r\n  "Resources": {\r\n    "V": {\r\n      "Type": "AWS::EC2::Volume",\r\n      "Properties": { "Encrypted": false, "Size": 10 }\r\n    }\r\n  }\r\n}\r\n'],
  ["escapes in keys and strings", '{"a\\"b": "c\\\\d", "\\u00e9t\\u00e9": ["\\n", "]", "}", ","], "plain": "x"}'],
  ["tabs and odd spacing", '\t{ "a" :\t[ 1 , 2 ,\n\n 3 ] ,"b"\n:\n{"c" : "d"} }'],
  ["unicode text", '{"name": "café ☕", "list": ["日本", {"k": "ü"}]}'],
  ["a top-level list", '[{"a": 1}, [2, [3, [4]]], "five"]'],
  ["a scalar", '"just text"'],
  ["the bundled CDK example", readFileSync(fileURLToPath(new URL("../../examples/cdk/cdk.out/Example.template.json", import.meta.url)), "utf8")],
  ["the bundled CloudFormation JSON example", readFileSync(fileURLToPath(new URL("../../examples/cloudformation/audit.json", import.meta.url)), "utf8")],
];

describe("JSON positions", () => {
  it.each(DOCUMENTS)("%s: every path is where the YAML reader puts it", (_name, text) => {
    const yaml = readYamlSource("t.json", "/t.json", text);
    const locate = jsonLocator(text);
    const all = paths(JSON.parse(text));
    expect(all.length).toBeGreaterThan(0);
    for (const p of all) expect(locate(p), JSON.stringify(p)).toEqual(yaml.file.locate(p));
  });

  it("a repeated key points at the last one, whose value JSON.parse keeps", () => {
    const text = '{"a": 1,\n"a": 2}';
    expect(jsonLocator(text)(["a"])).toMatchObject({ line: 2, column: 1 });
  });

  it("paths that are not in the document have no position", () => {
    const locate = jsonLocator('{"a": [1, {"b": 2}]}');
    for (const p of [["x"], ["a", 5], ["a", "0"], ["a", 1, "b", "c"], ["a", 0, "z"]]) expect(locate(p), JSON.stringify(p)).toBeUndefined();
  });

  it("indexes nesting far deeper than a recursive reader could", () => {
    const depth = 200_000;
    const text = "[".repeat(depth) + "]".repeat(depth);
    const locate = jsonLocator(text);
    expect(locate(new Array(depth - 1).fill(0))).toMatchObject({ line: 1, column: depth, endColumn: depth + 2 });
  });

  it("is undefined for text that is not JSON", () => {
    for (const bad of ['{"a" 1}', "{", "[1,", '{"a":1}}x', ""]) expect(indexJson(bad), bad).toBeUndefined();
  });
});
