import { describe, expect, it } from "vitest";
import { IntrinsicResolver } from "../../../src/parsers/cloudformation/intrinsics.js";
import { readYamlSource } from "../../../src/source/document.js";
import { isUnknown, type Resolved } from "../../../src/values/value.js";
import { view } from "../../helpers/view.js";

/** Parses a template snippet plus a `Value:` and resolves the value. */
function resolve(template: string, value: string, overrides: Record<string, string> = {}): Resolved {
  const parsed = readYamlSource("t.yaml", "/t.yaml", `${template}\nValue: ${value}\n`);
  expect(parsed.diagnostics).toEqual([]);
  const data = parsed.data as Record<string, Record<string, unknown> | undefined>;
  const resources: Record<string, string> = {};
  for (const [id, r] of Object.entries(data["Resources"] ?? {})) resources[id] = String((r as Record<string, unknown>)["Type"]);
  const resolver = new IntrinsicResolver(
    { parameters: data["Parameters"] ?? {}, conditions: data["Conditions"] ?? {}, mappings: data["Mappings"] ?? {}, resources },
    overrides,
  );
  return resolver.resolve(data["Value"]);
}


const unknown = (reasonPart: string, extra: Record<string, unknown> = {}) => ({ unknown: expect.stringContaining(reasonPart), ...extra });

type Case = [name: string, template: string, value: string, expected: unknown, overrides?: Record<string, string>];

const PARAMS = `
Parameters:
  Env: {Type: String, Default: prod}
  Port: {Type: Number, Default: 22}
  AdminCidr: {Type: String}
  Tier: {Type: String, AllowedValues: [web, db]}
  Subnets: {Type: "List<AWS::EC2::Subnet::Id>", Default: "subnet-a, subnet-b"}
  Names: {Type: CommaDelimitedList, Default: "a,b,c"}
  Zones: {Type: CommaDelimitedList}
  Ami: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/service/ami}
  Flag: {Type: String, Default: "true"}
Resources:
  Role: {Type: AWS::IAM::Role}
  Bucket: {Type: AWS::S3::Bucket}
`;

describe("parameters", () => {
  const cases: Case[] = [
    ["default", PARAMS, "!Ref Env", "prod"],
    ["a numeric default comes back as CloudFormation passes it: a string", PARAMS, "!Ref Port", "22"],
    ["--param overrides the default", PARAMS, "!Ref Env", "dev", { Env: "dev" }],
    ["--param gives a value to a parameter without default", PARAMS, "!Ref AdminCidr", "10.0.0.0/8", { AdminCidr: "10.0.0.0/8" }],
    ["no default", PARAMS, "!Ref AdminCidr", unknown("parameter AdminCidr has no default")],
    [
      "AllowedValues without default → possible values",
      PARAMS,
      "!Ref Tier",
      unknown("parameter Tier has no default", { possible: ["web", "db"] }),
    ],
    ["AllowedValues with a --param value", PARAMS, "!Ref Tier", "db", { Tier: "db" }],
    ["List<...> default is split and trimmed", PARAMS, "!Ref Subnets", ["subnet-a", "subnet-b"]],
    ["CommaDelimitedList default is split", PARAMS, "!Ref Names", ["a", "b", "c"]],
    ["CommaDelimitedList from --param is split", PARAMS, "!Ref Zones", ["x", "y"], { Zones: "x,y" }],
    ["CommaDelimitedList without default", PARAMS, "!Ref Zones", unknown("parameter Zones has no default")],
    ["SSM parameter type", PARAMS, "!Ref Ami", unknown("parameter Ami is read from the SSM parameter /aws/service/ami")],
    ["SSM parameter type with a --param naming another SSM parameter", PARAMS, "!Ref Ami", unknown("parameter Ami is read from the SSM parameter /my/ami"), { Ami: "/my/ami" }],
    ["a parameter that is not declared", PARAMS, "!Ref Missing", unknown("Missing", { ref: { target: "Missing", undeclared: true } })],
  ];
  it.each(cases)("%s", (_n, template, value, expected, overrides) => {
    expect(view(resolve(template, value, overrides))).toEqual(expected);
  });
});

describe("pseudo parameters", () => {
  const cases: Case[] = [
    ["AWS::Region", "", "!Ref AWS::Region", unknown("AWS::Region")],
    ["AWS::AccountId", "", "!Ref AWS::AccountId", unknown("AWS::AccountId")],
    ["AWS::StackName", "", "!Ref AWS::StackName", unknown("AWS::StackName")],
    ["AWS::Partition: one of the partitions", "", "!Ref AWS::Partition", unknown("AWS::Partition", { possible: ["aws", "aws-cn", "aws-us-gov"] })],
    ["a partition-wide ARN keeps its possible values", "", "!Sub arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess", unknown("AWS::Partition", { possible: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws-cn:iam::aws:policy/ReadOnlyAccess", "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"] })],
    ["AWS::NoValue alone is absent", "", "!Ref AWS::NoValue", "(absent)"],
    ["AWS::NoValue removes a property", "", "{A: !Ref AWS::NoValue, B: 1}", { B: 1 }],
    ["AWS::NoValue removes a list item", "", "[a, !Ref AWS::NoValue, b]", ["a", "b"]],
  ];
  it.each(cases)("%s", (_n, template, value, expected) => {
    expect(view(resolve(template, value))).toEqual(expected);
  });

  it("a pseudo parameter reason says it is known only at deployment", () => {
    const v = resolve("", "!Ref AWS::Region");
    expect(isUnknown(v) && v.reason).toMatch(/deployment/);
    expect(isUnknown(v) && v.ref).toBeUndefined();
  });
});

describe("references to resources", () => {
  const cases: Case[] = [
    ["Ref to a resource", PARAMS, "!Ref Bucket", unknown("Bucket", { ref: { target: "Bucket" } })],
    ["Fn::GetAtt A.B", PARAMS, "!GetAtt Role.Arn", unknown("Role.Arn", { ref: { target: "Role", attribute: "Arn" } })],
    ["Fn::GetAtt list form", PARAMS, "{Fn::GetAtt: [Role, RoleId]}", unknown("Role.RoleId", { ref: { target: "Role", attribute: "RoleId" } })],
    ["Fn::GetAtt with a dotted attribute", PARAMS, "!GetAtt Bucket.Foo.Bar", unknown("Bucket", { ref: { target: "Bucket", attribute: "Foo.Bar" } })],
    [
      "Fn::GetAtt of an undeclared resource",
      PARAMS,
      "!GetAtt Ghost.Arn",
      unknown("Ghost", { ref: { target: "Ghost", attribute: "Arn", undeclared: true } }),
    ],
    ["Ref to an undeclared name", PARAMS, "!Ref Ghost", unknown("Ghost", { ref: { target: "Ghost", undeclared: true } })],
  ];
  it.each(cases)("%s", (_n, template, value, expected) => {
    expect(view(resolve(template, value))).toEqual(expected);
  });

  it("a reference nested in a structure stays in place", () => {
    expect(view(resolve(PARAMS, "{Roles: [!Ref Role, other]}"))).toEqual({
      Roles: [unknown("Role", { ref: { target: "Role" } }), "other"],
    });
  });
});

describe("Fn::Sub", () => {
  const cases: Case[] = [
    ["plain text", PARAMS, "!Sub plain", "plain"],
    ["${Param}", PARAMS, "!Sub 'app-${Env}-${Port}'", "app-prod-22"],
    ["${Param} with an override", PARAMS, "!Sub 'app-${Env}'", "app-test", { Env: "test" }],
    ["${Param} without default", PARAMS, "!Sub 'cidr ${AdminCidr}'", unknown("AdminCidr")],
    ["${Param} with allowed values keeps them", PARAMS, "!Sub '${Tier}-sg'", unknown("Tier", { possible: ["web-sg", "db-sg"] })],
    ["${Res.Attr}", PARAMS, "!Sub 'role ${Role.Arn}'", unknown("Role.Arn", { ref: { target: "Role", attribute: "Arn" } })],
    ["${Resource}", PARAMS, "!Sub 'arn:aws:s3:::${Bucket}'", unknown("Bucket", { ref: { target: "Bucket" } })],
    ["${!Literal}", PARAMS, "!Sub 'echo ${!Literal} ${Env}'", "echo ${Literal} prod"],
    ["pseudo parameter", PARAMS, "!Sub '${AWS::Region}-x'", unknown("AWS::Region")],
    ["variables map", PARAMS, "!Sub ['${Host}.${Env}.example.com', {Host: www}]", "www.prod.example.com"],
    ["variables map with an intrinsic", PARAMS, "!Sub ['${Name}', {Name: !Join ['-', [a, !Ref Env]]}]", "a-prod"],
    ["a variable shadows a parameter", PARAMS, "!Sub ['${Env}', {Env: shadow}]", "shadow"],
    ["long form", PARAMS, "{Fn::Sub: '${Env}!'}", "prod!"],
  ];
  it.each(cases)("%s", (_n, template, value, expected, overrides) => {
    expect(view(resolve(template, value, overrides))).toEqual(expected);
  });
});

describe("Fn::Join, Fn::Select, Fn::Split, Fn::Base64", () => {
  const cases: Case[] = [
    ["Join", PARAMS, "!Join ['-', [a, !Ref Env, 3]]", "a-prod-3"],
    ["Join of a list parameter", PARAMS, "!Join [':', !Ref Subnets]", "subnet-a:subnet-b"],
    ["Join with an unknown item", PARAMS, "!Join ['', [x, !Ref AdminCidr]]", unknown("AdminCidr")],
    ["Join skips AWS::NoValue items", PARAMS, "!Join [',', [a, !Ref AWS::NoValue, b]]", "a,b"],
    ["Join of an empty list", PARAMS, "!Join [',', []]", ""],
    ["Select", PARAMS, "!Select [1, [a, b, c]]", "b"],
    ["Select with a string index", PARAMS, "!Select ['2', [a, b, c]]", "c"],
    ["Select from a list parameter", PARAMS, "!Select [0, !Ref Subnets]", "subnet-a"],
    ["Select out of range", PARAMS, "!Select [5, [a]]", unknown("out of range")],
    ["Select from GetAZs", PARAMS, "!Select [0, !GetAZs '']", unknown("Fn::GetAZs")],
    ["Split", PARAMS, "!Split [',', 'a,b,,c']", ["a", "b", "", "c"]],
    ["Select of Split", PARAMS, "!Select [1, !Split ['/', 'a/b/c']]", "b"],
    ["Split of an unknown", PARAMS, "!Split [',', !Ref AdminCidr]", unknown("AdminCidr")],
    ["Base64", PARAMS, "!Base64 'hello'", Buffer.from("hello").toString("base64")],
    ["Base64 of Sub", PARAMS, "!Base64 {Fn::Sub: 'env=${Env}'}", Buffer.from("env=prod").toString("base64")],
    ["Base64 of an unknown", PARAMS, "!Base64 {Fn::Sub: '${AWS::Region}'}", unknown("AWS::Region")],
  ];
  it.each(cases)("%s", (_n, template, value, expected) => {
    expect(view(resolve(template, value))).toEqual(expected);
  });
});

const MAPPINGS = `
${PARAMS}
Mappings:
  RegionMap:
    eu-west-1: {Ami: ami-eu, Size: 8}
    us-east-1: {Ami: ami-us}
  EnvMap:
    prod: {Cidr: 10.0.0.0/16}
    dev: {Cidr: 10.1.0.0/16}
`;

describe("Fn::FindInMap", () => {
  const cases: Case[] = [
    ["literal keys", MAPPINGS, "!FindInMap [RegionMap, eu-west-1, Ami]", "ami-eu"],
    ["a number value", MAPPINGS, "!FindInMap [RegionMap, eu-west-1, Size]", 8],
    ["key from a parameter", MAPPINGS, "!FindInMap [EnvMap, !Ref Env, Cidr]", "10.0.0.0/16"],
    ["key from an overridden parameter", MAPPINGS, "!FindInMap [EnvMap, !Ref Env, Cidr]", "10.1.0.0/16", { Env: "dev" }],
    ["key from the region", MAPPINGS, "!FindInMap [RegionMap, !Ref AWS::Region, Ami]", unknown("AWS::Region")],
    ["missing second-level key", MAPPINGS, "!FindInMap [RegionMap, us-east-1, Size]", unknown("RegionMap")],
    ["missing top-level key", MAPPINGS, "!FindInMap [RegionMap, ap-south-1, Ami]", unknown("ap-south-1")],
    ["missing mapping", MAPPINGS, "!FindInMap [Nope, a, b]", unknown("Nope")],
    ["DefaultValue for a missing key", MAPPINGS, "!FindInMap [RegionMap, us-east-1, Size, {DefaultValue: 20}]", 20],
    ["DefaultValue is not used when the key exists", MAPPINGS, "!FindInMap [RegionMap, eu-west-1, Size, {DefaultValue: 20}]", 8],
  ];
  it.each(cases)("%s", (_n, template, value, expected, overrides) => {
    expect(view(resolve(template, value, overrides))).toEqual(expected);
  });
});

const CONDITIONS = `
${PARAMS}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Equals [!Ref Env, dev]
  HasCidr: !Not [!Equals [!Ref AdminCidr, ""]]
  IsWeb: !Equals [!Ref Tier, web]
  InEu: !Equals [!Ref AWS::Region, eu-west-1]
  ProdAndNotDev: !And [!Condition IsProd, !Not [!Condition IsDev]]
  DevOrProd: !Or [!Condition IsDev, !Condition IsProd]
  ProdOrEu: !Or [!Condition IsProd, !Condition InEu]
  DevAndEu: !And [!Condition IsDev, !Condition InEu]
  DevOrEu: !Or [!Condition IsDev, !Condition InEu]
  FlagOn: !Equals [!Ref Flag, true]
  PortIs22: !Equals [!Ref Port, 22]
  Loop: !Not [!Condition Loop]
  PingA: !Condition PingB
  PingB: !And [!Condition PingA, !Condition IsProd]
`;

describe("conditions and Fn::If", () => {
  const cases: Case[] = [
    ["If true", CONDITIONS, "!If [IsProd, big, small]", "big"],
    ["If false", CONDITIONS, "!If [IsDev, big, small]", "small"],
    ["If flips with --param", CONDITIONS, "!If [IsProd, big, small]", "small", { Env: "dev" }],
    ["If true branch is AWS::NoValue", CONDITIONS, "!If [IsProd, !Ref AWS::NoValue, x]", "(absent)"],
    ["If removes a property when decided to AWS::NoValue", CONDITIONS, "{A: !If [IsProd, !Ref AWS::NoValue, x], B: 1}", { B: 1 }],
    [
      "If undecidable → both branches",
      CONDITIONS,
      "!If [InEu, eu-ami, us-ami]",
      unknown("InEu", { possible: ["eu-ami", "us-ami"] }),
    ],
    [
      "If undecidable with AWS::NoValue → ABSENT among possible values",
      CONDITIONS,
      "!If [InEu, 10.0.0.0/8, !Ref AWS::NoValue]",
      unknown("InEu", { possible: ["10.0.0.0/8", "(absent)"] }),
    ],
    [
      "If on a condition over a parameter without default",
      CONDITIONS,
      "!If [HasCidr, !Ref AdminCidr, none]",
      { unknown: expect.stringMatching(/HasCidr.*AdminCidr/), possible: [unknown("AdminCidr"), "none"] },
    ],
    [
      "If on a parameter with allowed values",
      CONDITIONS,
      "!If [IsWeb, 80, 5432]",
      unknown("Tier", { possible: [80, 5432] }),
    ],
    ["If with equal branches is known", CONDITIONS, "!If [InEu, same, same]", "same"],
    ["Condition And", CONDITIONS, "!If [ProdAndNotDev, 'yes', 'no']", "yes"],
    ["Condition Or", CONDITIONS, "!If [DevOrProd, 'yes', 'no']", "yes"],
    ["Or with one true operand decides over an unknown one", CONDITIONS, "!If [ProdOrEu, 'yes', 'no']", "yes"],
    ["And with one false operand decides over an unknown one", CONDITIONS, "!If [DevAndEu, 'yes', 'no']", "no"],
    ["Or with only false and unknown operands stays unknown", CONDITIONS, "!If [DevOrEu, 'yes', 'no']", unknown("AWS::Region", { possible: ["yes", "no"] })],
    ["Equals compares as strings (boolean)", CONDITIONS, "!If [FlagOn, 'on', 'off']", "on"],
    ["Equals compares as strings (number)", CONDITIONS, "!If [PortIs22, ssh, other]", "ssh"],
    ["Fn::Equals directly", CONDITIONS, "!Equals [!Ref Env, prod]", true],
    ["Fn::Not directly", CONDITIONS, "!Not [!Equals [a, b]]", true],
    ["Fn::And directly", CONDITIONS, "!And [!Equals [a, a], !Condition IsDev]", false],
    ["Fn::Or directly", CONDITIONS, "!Or [!Equals [a, b], !Condition IsProd]", true],
    ["a condition that refers to itself", CONDITIONS, "!If [Loop, a, b]", unknown("Loop", { possible: ["a", "b"] })],
    ["conditions that refer to each other", CONDITIONS, "!If [PingA, a, b]", unknown("PingA", { possible: ["a", "b"] })],
    ["an undeclared condition", CONDITIONS, "!If [Nope, a, b]", unknown("condition Nope is not declared", { possible: ["a", "b"] })],
    ["Condition function on an undeclared condition", CONDITIONS, "!Condition Nope", unknown("Nope")],
  ];
  it.each(cases)("%s", (_n, template, value, expected, overrides) => {
    expect(view(resolve(template, value, overrides))).toEqual(expected);
  });

  it("a self-referencing condition says so", () => {
    const v = resolve(CONDITIONS, "!Condition Loop");
    expect(isUnknown(v) && v.reason).toContain("condition Loop refers to itself");
  });
});

describe("values known only at deployment", () => {
  const cases: Case[] = [
    ["Fn::ImportValue", PARAMS, "!ImportValue shared-vpc-id", unknown("shared-vpc-id")],
    ["Fn::ImportValue of a Sub", PARAMS, "{Fn::ImportValue: !Sub '${Env}-vpc'}", unknown("prod-vpc")],
    // The import, not the parameter in its name, keeps the value unknown.
    ["Fn::ImportValue of a Sub of an unset parameter", PARAMS, "{Fn::ImportValue: !Sub '${AdminCidr}-vpc'}", { unknown: "Fn::ImportValue ${AdminCidr}-vpc comes from another stack's export" }],
    ["Fn::ImportValue of a Join with an unset parameter", PARAMS, "{Fn::ImportValue: !Join ['-', [!Ref AdminCidr, vpc]]}", { unknown: "Fn::ImportValue ${...}-vpc comes from another stack's export" }],
    ["Fn::ImportValue of an unset parameter", PARAMS, "{Fn::ImportValue: !Ref AdminCidr}", { unknown: "Fn::ImportValue of a name known only at deployment comes from another stack's export" }],
    ["Fn::ImportValue of a name with allowed values", PARAMS, "{Fn::ImportValue: !Sub '${Tier}-vpc'}", unknown("parameter Tier", { possible: [{ unknown: "Fn::ImportValue web-vpc comes from another stack's export" }, { unknown: "Fn::ImportValue db-vpc comes from another stack's export" }] })],
    ["Fn::GetAZs", PARAMS, "!GetAZs ''", unknown("Fn::GetAZs")],
    ["Fn::Cidr", PARAMS, "!Cidr [10.0.0.0/16, 4, 8]", unknown("Fn::Cidr")],
    ["Fn::Transform", PARAMS, "{Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://b/k}}}", unknown("AWS::Include")],
    ["an intrinsic parapet does not know", PARAMS, "{Fn::Magic: x}", unknown("Fn::Magic")],
  ];
  it.each(cases)("%s", (_n, template, value, expected) => {
    expect(view(resolve(template, value))).toEqual(expected);
  });

  it("does not treat a map with other keys as an intrinsic", () => {
    expect(view(resolve(PARAMS, "{Ref: Env, Other: 1}"))).toEqual({ Ref: "Env", Other: 1 });
  });

  it("stops on pathologically deep nesting without throwing", () => {
    let raw: unknown = "x";
    for (let i = 0; i < 500; i++) raw = { "Fn::Base64": raw };
    const resolver = new IntrinsicResolver({ parameters: {}, conditions: {}, mappings: {}, resources: {} });
    const v = resolver.resolve(raw);
    expect(isUnknown(v) && v.reason).toMatch(/nest too deeply/);
  });
});

describe("known text of partly unknown strings", () => {
  it("Fn::Sub, Fn::Join and Fn::Base64 keep the known parts of a string with unknown parts", async () => {
    const { IntrinsicResolver } = await import("../../../src/parsers/cloudformation/intrinsics.js");
    const { Unknown } = await import("../../../src/values/value.js");
    const resolver = new IntrinsicResolver({ parameters: {}, conditions: {}, mappings: {}, resources: { Bucket: "AWS::S3::Bucket" } });
    const sub = resolver.resolve({ "Fn::Sub": "key=AKIAEXAMPLE in ${AWS::Region} to ${Bucket}" });
    expect(sub).toBeInstanceOf(Unknown);
    expect((sub as InstanceType<typeof Unknown>).fragments).toEqual(["key=AKIAEXAMPLE in ", " to "]);
    expect((sub as InstanceType<typeof Unknown>).refs).toEqual([{ target: "Bucket" }]);
    const joined = resolver.resolve({ "Fn::Join": ["", ["user=", { Ref: "AWS::StackName" }, ";"]] });
    expect((joined as InstanceType<typeof Unknown>).fragments).toEqual(["user=", ";"]);
    expect(resolver.resolve({ "Fn::Base64": { "Fn::Sub": "a ${AWS::Region}" } })).toMatchObject({ fragments: ["a "] });
  });
});
