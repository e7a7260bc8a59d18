import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { parameterValues, parseParamAssignment, readParameterFile } from "../../../src/parsers/cloudformation/parameters.js";

const dir = mkdtempSync(join(tmpdir(), "parapet-params-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The UsageError a call throws (fails the test when it throws nothing or something else). */
function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error("expected a UsageError");
}

const plain = (v: unknown) => ({ ...(v as object) });

describe("--param Key=Value", () => {
  const cases: [input: string, key: string, value: string][] = [
    ["Env=prod", "Env", "prod"],
    ["AdminCidr=10.0.0.0/8", "AdminCidr", "10.0.0.0/8"],
    ["Query=a=b", "Query", "a=b"],
    ["Empty=", "Empty", ""],
    ["Subnets=subnet-a,subnet-b", "Subnets", "subnet-a,subnet-b"],
    ["Spaced= x ", "Spaced", " x "],
  ];
  it.each(cases)("%s", (input, key, value) => {
    expect(parseParamAssignment(input)).toEqual([key, value]);
  });

  it.each(["Env", "=prod", ""])("rejects %j with a one-line message", (input) => {
    const e = usageError(() => parseParamAssignment(input));
    expect(e.message).toBe(`--param expects Key=Value, got "${input}"`);
  });
});

describe("parameter file shapes", () => {
  const cases: [name: string, data: unknown, expected: Record<string, string>][] = [
    [
      "AWS CLI list",
      [
        { ParameterKey: "Env", ParameterValue: "prod" },
        { ParameterKey: "Port", ParameterValue: 22 },
        { ParameterKey: "Flag", ParameterValue: true },
      ],
      { Env: "prod", Port: "22", Flag: "true" },
    ],
    ["AWS CLI list with a list value", [{ ParameterKey: "Subnets", ParameterValue: ["a", "b"] }], { Subnets: "a,b" }],
    ["AWS CLI list with an empty value", [{ ParameterKey: "Suffix", ParameterValue: "" }], { Suffix: "" }],
    [
      "AWS CLI list with UsePreviousValue leaves the parameter unset",
      [
        { ParameterKey: "Env", UsePreviousValue: true },
        { ParameterKey: "Port", ParameterValue: "80" },
      ],
      { Port: "80" },
    ],
    ["empty AWS CLI list", [], {}],
    [
      "CodePipeline template configuration",
      { Parameters: { Env: "prod", Port: 443, Zones: ["a", 1] }, Tags: { team: "x" } },
      { Env: "prod", Port: "443", Zones: "a,1" },
    ],
    ["empty Parameters", { Parameters: {} }, {}],
  ];
  it.each(cases)("%s", (_name, data, expected) => {
    expect(plain(parameterValues(data, "p.json"))).toEqual(expected);
  });

  it("keeps a __proto__ parameter name as data", () => {
    const out = parameterValues(JSON.parse('{"Parameters": {"__proto__": "x", "A": "1"}}'), "p.json");
    expect(Object.prototype.hasOwnProperty.call(out, "__proto__")).toBe(true);
    expect(Object.keys(out).sort()).toEqual(["A", "__proto__"]);
    expect(({} as Record<string, unknown>)["A"]).toBeUndefined();
  });
});

describe("wrong parameter file shapes give UsageErrors that name the file", () => {
  const SHAPES = `p.json: expected [{"ParameterKey": ..., "ParameterValue": ...}] or {"Parameters": {...}}`;
  const cases: [name: string, data: unknown, message: string][] = [
    ["a string", "Env=prod", SHAPES],
    ["a number", 3, SHAPES],
    ["null", null, SHAPES],
    ["an object without Parameters", { Env: "prod" }, SHAPES],
    ["Parameters as a list", { Parameters: [{ ParameterKey: "A", ParameterValue: "b" }] }, SHAPES],
    ["Parameters as a string", { Parameters: "A=b" }, SHAPES],
    ["a list entry without ParameterValue", [{ ParameterKey: "A" }], `p.json: entry 1 needs "ParameterKey" and "ParameterValue"`],
    [
      "a list entry without ParameterKey",
      [{ ParameterKey: "A", ParameterValue: "1" }, { ParameterValue: "2" }],
      `p.json: entry 2 needs "ParameterKey" and "ParameterValue"`,
    ],
    ["a list entry that is not an object", ["A=1"], `p.json: entry 1 needs "ParameterKey" and "ParameterValue"`],
    ["a null list entry", [null], `p.json: entry 1 needs "ParameterKey" and "ParameterValue"`],
    [
      "an object value",
      [{ ParameterKey: "A", ParameterValue: { x: 1 } }],
      "p.json: parameter values must be strings, numbers or lists of them",
    ],
    ["a null value", { Parameters: { A: null } }, "p.json: parameter values must be strings, numbers or lists of them"],
    ["a nested list value", { Parameters: { A: [["x"]] } }, "p.json: parameter values must be strings, numbers or lists of them"],
  ];
  it.each(cases)("%s", (_name, data, message) => {
    expect(usageError(() => parameterValues(data, "p.json")).message).toBe(message);
  });
});

describe("readParameterFile", () => {
  it("reads the AWS CLI shape from disk", () => {
    const path = file("cli.json", JSON.stringify([{ ParameterKey: "Env", ParameterValue: "prod" }]));
    expect(plain(readParameterFile(path))).toEqual({ Env: "prod" });
  });

  it("reads the CodePipeline shape from disk, with a BOM and CRLF", () => {
    const path = file("pipeline.json", '\uFEFF{\r\n  "Parameters": {\r\n    "Env": "dev"\r\n  }\r\n}\r\n');
    expect(plain(readParameterFile(path))).toEqual({ Env: "dev" });
  });

  it("names the file as given for display", () => {
    const path = file("shape.json", '{"Env": "prod"}');
    expect(usageError(() => readParameterFile(path, "params/shape.json")).message).toMatch(/^params\/shape\.json: expected /);
  });

  it("says when the file does not exist", () => {
    const e = usageError(() => readParameterFile(join(dir, "missing.json"), "missing.json"));
    expect(e.message).toBe("parameter file missing.json: file not found");
  });

  it("gives a one-line message for invalid JSON", () => {
    const path = file("bad.json", '[\n  {"ParameterKey": "A", "ParameterValue": "x"},\n]\n');
    const e = usageError(() => readParameterFile(path, "bad.json"));
    expect(e.message).toMatch(/^parameter file bad\.json: invalid JSON: /);
    expect(e.message).not.toContain("\n");
    expect(e.message).not.toMatch(/is not valid JSON/);
  });

  it("gives a one-line message for a truncated file", () => {
    const path = file("truncated.json", '{"Parameters": {"A": "x"');
    const e = usageError(() => readParameterFile(path, "truncated.json"));
    expect(e.message).toMatch(/^parameter file truncated\.json: invalid JSON: .+/);
    expect(e.message).not.toContain("\n");
  });

  it("reports a directory without claiming invalid JSON", () => {
    const sub = join(dir, "a-directory");
    mkdirSync(sub);
    const e = usageError(() => readParameterFile(sub, "a-directory"));
    expect(e.message).toMatch(/^parameter file a-directory: /);
    expect(e.message).not.toMatch(/invalid JSON/);
  });
});
