import { describe, expect, it } from "vitest";
import { readJsonSource, readYamlSource, type ParsedSource } from "../../src/source/document.js";
import type { PropertyPath } from "../../src/source/location.js";

const yaml = (text: string): ParsedSource => readYamlSource("t.yaml", "/abs/t.yaml", text);
const json = (text: string): ParsedSource => readJsonSource("t.json", "/abs/t.json", text);

/** Plain copy of parsed data (null-prototype maps compare like ordinary objects after this). */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe("short-form intrinsic tags become long form", () => {
  const cases: [name: string, snippet: string, expected: unknown][] = [
    ["!Ref", "!Ref Vpc", { Ref: "Vpc" }],
    ["!Ref pseudo parameter", "!Ref AWS::Region", { Ref: "AWS::Region" }],
    ["!GetAtt A.B", "!GetAtt Role.Arn", { "Fn::GetAtt": ["Role", "Arn"] }],
    ["!GetAtt A.B.C keeps the rest as the attribute", "!GetAtt Db.Endpoint.Address", { "Fn::GetAtt": ["Db", "Endpoint.Address"] }],
    ["!GetAtt list form", "!GetAtt [Role, Arn]", { "Fn::GetAtt": ["Role", "Arn"] }],
    ["!GetAtt block list form", "!GetAtt\n  - Role\n  - Arn", { "Fn::GetAtt": ["Role", "Arn"] }],
    ["!GetAtt without a dot", "!GetAtt Role", { "Fn::GetAtt": ["Role"] }],
    ["!Sub string", '!Sub "arn:${AWS::Partition}:s3:::${Bucket}"', { "Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}" }],
    [
      "!Sub list with variables",
      "!Sub\n  - 'www.${Domain}'\n  - Domain: !Ref RootDomain",
      { "Fn::Sub": ["www.${Domain}", { Domain: { Ref: "RootDomain" } }] },
    ],
    ["!Join", '!Join [",", [a, !Ref B]]', { "Fn::Join": [",", ["a", { Ref: "B" }]] }],
    ["!If", "!If [IsProd, m5.large, !Ref AWS::NoValue]", { "Fn::If": ["IsProd", "m5.large", { Ref: "AWS::NoValue" }] }],
    ["!Equals", "!Equals [!Ref Env, prod]", { "Fn::Equals": [{ Ref: "Env" }, "prod"] }],
    ["!Not", "!Not [!Condition IsProd]", { "Fn::Not": [{ Condition: "IsProd" }] }],
    ["!And", "!And [!Condition A, !Condition B]", { "Fn::And": [{ Condition: "A" }, { Condition: "B" }] }],
    ["!Or", "!Or [!Equals [a, b], !Condition C]", { "Fn::Or": [{ "Fn::Equals": ["a", "b"] }, { Condition: "C" }] }],
    ["!Condition", "!Condition IsProd", { Condition: "IsProd" }],
    ["!FindInMap", "!FindInMap [RegionMap, !Ref AWS::Region, Ami]", { "Fn::FindInMap": ["RegionMap", { Ref: "AWS::Region" }, "Ami"] }],
    [
      "!FindInMap with DefaultValue",
      "!FindInMap [M, a, b, {DefaultValue: x}]",
      { "Fn::FindInMap": ["M", "a", "b", { DefaultValue: "x" }] },
    ],
    ["!Select", "!Select [0, !GetAZs '']", { "Fn::Select": [0, { "Fn::GetAZs": "" }] }],
    ["!Split", '!Split [",", "a,b"]', { "Fn::Split": [",", "a,b"] }],
    ["!Base64", "!Base64 '#!/bin/bash'", { "Fn::Base64": "#!/bin/bash" }],
    ["!Base64 around !Sub", "!Base64\n  Fn::Sub: echo ${X}", { "Fn::Base64": { "Fn::Sub": "echo ${X}" } }],
    ["!Cidr", "!Cidr [!GetAtt Vpc.CidrBlock, 6, 8]", { "Fn::Cidr": [{ "Fn::GetAtt": ["Vpc", "CidrBlock"] }, 6, 8] }],
    ["!GetAZs", "!GetAZs eu-west-1", { "Fn::GetAZs": "eu-west-1" }],
    ["!ImportValue", "!ImportValue shared-VpcId", { "Fn::ImportValue": "shared-VpcId" }],
    ["!ImportValue around long-form Fn::Sub", "!ImportValue\n  Fn::Sub: '${Net}-VpcId'", { "Fn::ImportValue": { "Fn::Sub": "${Net}-VpcId" } }],
    [
      "!Transform",
      "!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}",
      { "Fn::Transform": { Name: "AWS::Include", Parameters: { Location: "s3://b/k" } } },
    ],
  ];

  it.each(cases)("%s", (_name, snippet, expected) => {
    const text = `Value: ${snippet.replace(/\n/g, "\n  ")}\n`;
    const parsed = yaml(text);
    expect(parsed.diagnostics).toEqual([]);
    expect(plain((parsed.data as Record<string, unknown>)["Value"])).toEqual(expected);
  });

  it("converts tags nested in block structures of a whole template", () => {
    const parsed = yaml(
      [
        "Resources:",
        "  Sg:",
        "    Type: AWS::EC2::SecurityGroup",
        "    Properties:",
        "      VpcId: !ImportValue shared-vpc",
        "      SecurityGroupIngress:",
        "        - CidrIp: !Ref AdminCidr",
        "          FromPort: 22",
        "",
      ].join("\n"),
    );
    expect(plain(parsed.data)).toEqual({
      Resources: {
        Sg: {
          Type: "AWS::EC2::SecurityGroup",
          Properties: {
            VpcId: { "Fn::ImportValue": "shared-vpc" },
            SecurityGroupIngress: [{ CidrIp: { Ref: "AdminCidr" }, FromPort: 22 }],
          },
        },
      },
    });
  });

  it("reports an unknown tag with its line and column and keeps the value", () => {
    const parsed = yaml("Resources:\n  A:\n    Type: !Foo AWS::S3::Bucket\n");
    expect(parsed.diagnostics).toHaveLength(1);
    expect(parsed.diagnostics[0]).toMatchObject({ line: 3, column: 11 });
    expect(parsed.diagnostics[0]!.message).toContain("!Foo");
    expect(plain(parsed.data)).toEqual({ Resources: { A: { Type: "AWS::S3::Bucket" } } });
  });

  it("leaves YAML's own !! tags alone", () => {
    const parsed = yaml("A: !!str 123\n");
    expect(parsed.diagnostics).toEqual([]);
    expect(plain(parsed.data)).toEqual({ A: "123" });
  });
});

describe("locate(path) in YAML", () => {
  const text = [
    "AWSTemplateFormatVersion: '2010-09-09'", // 1
    "Resources:", // 2
    "  Web:", // 3
    "    Type: AWS::EC2::Instance", // 4
    "    Properties:", // 5
    "      ImageId: !Ref Ami", // 6
    "      SecurityGroupIds:", // 7
    "        - sg-123", // 8
    "        - !GetAtt Sg.GroupId", // 9
    "      Tags: [{Key: Name, Value: web}]", // 10
    "      UserData: !Base64", // 11
    "        Fn::Sub: echo ${AWS::Region}", // 12
    "      IamInstanceProfile: !GetAtt [Profile, Arn]", // 13
    "      KeyName: !Sub", // 14
    "        - '${Prefix}-key'", // 15
    "        - Prefix: !Ref Env", // 16
    "",
  ].join("\n");
  const file = yaml(text).file;
  const web = ["Resources", "Web"];
  const props = [...web, "Properties"];

  const cases: [name: string, path: PropertyPath, line: number, column: number][] = [
    ["top-level key", ["Resources"], 2, 1],
    ["resource key", web, 3, 3],
    ["resource property", [...web, "Type"], 4, 5],
    ["nested property", [...props, "ImageId"], 6, 7],
    ["through !Ref", [...props, "ImageId", "Ref"], 6, 7],
    ["plain list item", [...props, "SecurityGroupIds", 0], 8, 11],
    ["tagged list item starts at its tag", [...props, "SecurityGroupIds", 1], 9, 11],
    ["through !GetAtt A.B", [...props, "SecurityGroupIds", 1, "Fn::GetAtt", 0], 9, 11],
    ["flow map inside a flow list", [...props, "Tags", 0, "Value"], 10, 26],
    ["through !Base64 into a long-form key", [...props, "UserData", "Fn::Base64", "Fn::Sub"], 12, 9],
    ["item of !GetAtt list form", [...props, "IamInstanceProfile", "Fn::GetAtt", 1], 13, 45],
    ["variables map of !Sub list form", [...props, "KeyName", "Fn::Sub", 1, "Prefix"], 16, 11],
    ["through !Ref inside the variables map", [...props, "KeyName", "Fn::Sub", 1, "Prefix", "Ref"], 16, 11],
  ];

  it.each(cases)("%s", (_name, path, line, column) => {
    expect(file.locate(path)).toMatchObject({ line, column });
  });

  it("spans a scalar property from key to end of value", () => {
    expect(file.locate([...web, "Type"])).toEqual({ line: 4, column: 5, endLine: 4, endColumn: 29 });
  });

  it("ends a block value on its last written character, not after the newline", () => {
    expect(file.locate(web)).toEqual({ line: 3, column: 3, endLine: 16, endColumn: 27 });
  });

  it("returns undefined for paths that are not in the document", () => {
    expect(file.locate(["Resources", "Nope"])).toBeUndefined();
    expect(file.locate([...props, "SecurityGroupIds", 7])).toBeUndefined();
    expect(file.locate([...props, "ImageId", "Fn::Sub"])).toBeUndefined();
  });

  it("follows aliases", () => {
    const f = yaml("Base: &base\n  Size: 8\nCopy: *base\n").file;
    expect(f.locate(["Copy", "Size"])).toMatchObject({ line: 2, column: 3 });
  });
});

describe("locate(path) in JSON", () => {
  const text = [
    "{", // 1
    '  "Resources": {', // 2
    '    "Web": {', // 3
    '      "Type": "AWS::EC2::Instance",', // 4
    '      "Properties": {', // 5
    '        "ImageId": {"Ref": "Ami"},', // 6
    '        "SecurityGroupIds": [', // 7
    '          "sg-123",', // 8
    '          {"Fn::GetAtt": ["Sg", "GroupId"]}', // 9
    "        ]", // 10
    "      }", // 11
    "    }", // 12
    "  }", // 13
    "}", // 14
    "",
  ].join("\n");
  const props = ["Resources", "Web", "Properties"];

  const cases: [name: string, path: PropertyPath, line: number, column: number][] = [
    ["resource key", ["Resources", "Web"], 3, 5],
    ["property", [...props, "ImageId"], 6, 9],
    ["key inside an intrinsic", [...props, "ImageId", "Ref"], 6, 21],
    ["list item", [...props, "SecurityGroupIds", 0], 8, 11],
    ["intrinsic inside a list item", [...props, "SecurityGroupIds", 1, "Fn::GetAtt", 1], 9, 33],
  ];

  it.each(cases)("%s", (_name, path, line, column) => {
    expect(json(text).file.locate(path)).toMatchObject({ line, column });
  });

  it("reads the data with JSON.parse and builds positions only on demand", () => {
    const parsed = json(text);
    expect(parsed.diagnostics).toEqual([]);
    expect(plain(parsed.data)).toEqual({
      Resources: {
        Web: {
          Type: "AWS::EC2::Instance",
          Properties: { ImageId: { Ref: "Ami" }, SecurityGroupIds: ["sg-123", { "Fn::GetAtt": ["Sg", "GroupId"] }] },
        },
      },
    });
    // The same locator answers repeatedly (the syntax tree is built once and kept).
    expect(parsed.file.locate(["Resources", "Web", "Type"])).toEqual({ line: 4, column: 7, endLine: 4, endColumn: 35 });
    expect(parsed.file.locate(["Resources", "Web", "Type"])).toEqual({ line: 4, column: 7, endLine: 4, endColumn: 35 });
  });
});

describe("malformed input gives one-line diagnostics with positions", () => {
  const cases: [name: string, read: (t: string) => ParsedSource, text: string, line: number, column: number, words: RegExp][] = [
    ["YAML bad indentation", yaml, "Resources:\n  A:\n    Type: X\n   Properties: {}\n", 4, 1, /indent|column/i],
    ["YAML two short-form tags on one node", yaml, "Resources:\n  A:\n    Value: !ImportValue !Sub '${X}-id'\n", 3, 25, /one tag.*long form: `\{ Fn::Sub: \.\.\. \}`/i],
    ["YAML key dedented into the wrong map", yaml, "a:\n  b: 1\n c: 2\n", 3, 1, /same column/i],
    ["YAML unclosed flow map: at its opening brace", yaml, "Resources: {A: 1, B: 2\nOutputs: x\n", 1, 12, /flow map.*\}/i],
    ["YAML duplicate keys", yaml, "Resources:\n  A: 1\n  B: 2\n  A: 3\n", 4, 3, /unique/i],
    ["YAML tab indentation", yaml, "Resources:\n  A:\n\tType: X\n", 3, 1, /tab/i],
    ["JSON trailing comma in a list", json, '{\n  "a": 1,\n  "b": [1, 2,]\n}\n', 3, 14, /unexpected token/i],
    ["JSON trailing comma in an object", json, '{\n  "a": 1,\n}\n', 3, 1, /property name/i],
    ["JSON truncated file", json, '{\n  "a": {\n    "b": 1\n', 4, 1, /expected|end/i],
    ["JSON unquoted key", json, '{\n  "a": 1,\n  b: 2\n}\n', 3, 3, /property name/i],
    ["JSON bad literal", json, '{\n  "a": tru\n}\n', 2, 11, /unexpected token/i],
    ["JSON empty file", json, "", 1, 1, /end of JSON input/i],
  ];

  it.each(cases)("%s", (_name, read, text, line, column, words) => {
    const parsed = read(text);
    expect(parsed.data).toBeUndefined();
    expect(parsed.diagnostics.length).toBeGreaterThan(0);
    const d = parsed.diagnostics[0]!;
    expect({ line: d.line, column: d.column }).toEqual({ line, column });
    expect(d.message).toMatch(words);
    for (const diag of parsed.diagnostics) {
      expect(diag.message).not.toContain("\n");
      expect(diag.message).not.toMatch(/\^/); // no caret line of a code frame
      expect(diag.message).not.toMatch(/is not valid JSON|at position \d+|at line \d+/);
      expect(diag.message.length).toBeLessThan(120);
    }
  });

  it("gives the same message shape for a long JSON file with a late error", () => {
    const body = Array.from({ length: 40 }, (_, i) => `  "k${i}": "value number ${i}",`).join("\n");
    const parsed = json(`{\n${body}\n  "last": [1,]\n}\n`);
    expect(parsed.diagnostics[0]).toEqual({ message: "invalid JSON: Unexpected token ']'", line: 42, column: 14 });
  });
});

describe("encodings and line endings", () => {
  it("strips a BOM and reads CRLF YAML with correct positions", () => {
    const parsed = yaml("\uFEFFResources:\r\n  Bucket:\r\n    Type: AWS::S3::Bucket\r\n    Properties:\r\n      Name: !Ref N\r\n");
    expect(parsed.diagnostics).toEqual([]);
    expect(plain(parsed.data)).toEqual({ Resources: { Bucket: { Type: "AWS::S3::Bucket", Properties: { Name: { Ref: "N" } } } } });
    expect(parsed.file.text.startsWith("Resources")).toBe(true);
    expect(parsed.file.locate(["Resources", "Bucket", "Properties", "Name"])).toEqual({ line: 5, column: 7, endLine: 5, endColumn: 19 });
    expect(parsed.file.locate(["Resources", "Bucket"])).toEqual({ line: 2, column: 3, endLine: 5, endColumn: 19 });
  });

  it("strips a BOM and reads CRLF JSON with correct positions", () => {
    const parsed = json('\uFEFF{\r\n  "A": {\r\n    "B": "x"\r\n  }\r\n}\r\n');
    expect(parsed.diagnostics).toEqual([]);
    expect(plain(parsed.data)).toEqual({ A: { B: "x" } });
    expect(parsed.file.locate(["A", "B"])).toEqual({ line: 3, column: 5, endLine: 3, endColumn: 13 });
  });

  it("places CRLF JSON errors on the right line", () => {
    const parsed = json('{\r\n  "a": 1,\r\n  b: 2\r\n}\r\n');
    expect(parsed.diagnostics[0]).toMatchObject({ line: 3, column: 3 });
  });

  it("keeps the file's path and absolute path", () => {
    const parsed = yaml("a: 1\n");
    expect(parsed.file.path).toBe("t.yaml");
    expect(parsed.file.absolutePath).toBe("/abs/t.yaml");
  });
});

describe("__proto__ keys stay data", () => {
  const check = (parsed: ParsedSource) => {
    expect(parsed.diagnostics).toEqual([]);
    const data = parsed.data as Record<string, Record<string, unknown>>;
    expect(Object.prototype.hasOwnProperty.call(data, "__proto__")).toBe(true);
    expect(plain(Object.getOwnPropertyDescriptor(data, "__proto__")!.value)).toEqual({ polluted: "yes" });
    expect((data as Record<string, unknown>)["polluted"]).toBeUndefined();
    const inner = data["Resources"]!;
    expect(Object.prototype.hasOwnProperty.call(inner, "__proto__")).toBe(true);
    expect(Object.keys(inner).sort()).toEqual(["A", "__proto__"]);
    expect(Object.getPrototypeOf(inner)).not.toBe(Object.getOwnPropertyDescriptor(inner, "__proto__")!.value);
    expect((inner as Record<string, unknown>)["Type"]).toBeUndefined();
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>)["polluted"]).toBeUndefined();
  };

  it("in YAML", () => {
    check(yaml('__proto__:\n  polluted: "yes"\nResources:\n  __proto__: {Type: AWS::S3::Bucket}\n  A: 1\n'));
  });

  it("in JSON", () => {
    check(json('{"__proto__": {"polluted": "yes"}, "Resources": {"__proto__": {"Type": "AWS::S3::Bucket"}, "A": 1}}'));
  });

  it("and can be located", () => {
    const f = yaml("Resources:\n  __proto__:\n    Type: X\n").file;
    expect(f.locate(["Resources", "__proto__", "Type"])).toMatchObject({ line: 3, column: 5 });
  });
});
