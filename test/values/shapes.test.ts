// Unknown values that carry what is known about them: CloudFormation sources of shapes
// (pseudo parameters, parameter types and constraints, resource ids) × the operators.
import { describe, expect, it } from "vitest";
import { ResourceGraph, type GraphNode } from "../../src/graph/graph.js";
import { IntrinsicResolver } from "../../src/parsers/cloudformation/intrinsics.js";
import { readYamlSource } from "../../src/source/document.js";
import { evaluate, type Evaluation } from "../../src/rules/evaluate.js";
import type { Condition } from "../../src/model/rule.js";
import { mayMatch, mayMatchWhole, type SearchPart } from "../../src/rules/text-search.js";
import type { SourceFile } from "../../src/source/location.js";
import type { Resolved } from "../../src/values/value.js";
import { view } from "../helpers/view.js";

const TEMPLATE = `
Parameters:
  Free: {Type: String}
  Count: {Type: Number}
  Ports: {Type: "List<Number>"}
  Names: {Type: CommaDelimitedList}
  Vpc: {Type: "AWS::EC2::VPC::Id"}
  Subnets: {Type: "List<AWS::EC2::Subnet::Id>"}
  Group: {Type: "AWS::EC2::SecurityGroup::Id"}
  Key: {Type: "AWS::EC2::KeyPair::KeyName"}
  Image: {Type: "AWS::EC2::Image::Id"}
  SsmImage: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/ami}
  Tier: {Type: String, AllowedValues: [web, db]}
  Peer: {Type: String, AllowedPattern: "(\\\\d{1,3}\\\\.){3}\\\\d{1,3}/(1[6-9]|2[0-8])"}
  AnyCidr: {Type: String, AllowedPattern: "(\\\\d{1,3}\\\\.){3}\\\\d{1,3}/\\\\d{1,2}"}
  Lower: {Type: String, AllowedPattern: "[a-z]+", MaxLength: 8}
  Short: {Type: String, MinLength: 2, MaxLength: 4}
  Size: {Type: Number, MinValue: 8, MaxValue: 64}
Resources:
  Sg: {Type: AWS::EC2::SecurityGroup}
  Net: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Role: {Type: AWS::IAM::Role}
  Keys: {Type: AWS::IAM::AccessKey}
  Handle: {Type: AWS::CloudFormation::WaitConditionHandle}
  Custom: {Type: Custom::Thing}
`;

function resolve(value: string): Resolved {
  const parsed = readYamlSource("t.yaml", "/t.yaml", `${TEMPLATE}\nValue: ${value}\n`);
  expect(parsed.diagnostics).toEqual([]);
  const data = parsed.data as Record<string, Record<string, Record<string, unknown>>>;
  const resources: Record<string, string> = {};
  const properties: Record<string, unknown> = {};
  for (const [id, r] of Object.entries(data["Resources"]!)) {
    resources[id] = String(r["Type"]);
    if (r["Properties"]) properties[id] = r["Properties"];
  }
  const resolver = new IntrinsicResolver({ parameters: data["Parameters"]!, conditions: {}, mappings: {}, resources, properties });
  return resolver.resolve((data as Record<string, unknown>)["Value"]);
}

const source: SourceFile = { path: "t.yaml", absolutePath: "/t.yaml", text: "", locate: () => undefined };

function outcome(value: string, cond: Condition): Evaluation["outcome"] {
  const node: GraphNode = {
    id: "t#N", kind: "test.kind", nativeType: "Test::Type", format: "cloudformation", scope: "t", address: "N",
    attributes: { a: resolve(value) }, attributeSources: {}, resourcePath: ["Resources", "N"], source,
  };
  return evaluate(cond, node, { graph: new ResourceGraph(), regex: (s) => new RegExp(s, "u") }).outcome;
}

const KEY_ID = "(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])";
const SECRET = "(?:aws_secret_access_key|AWS_SECRET_ACCESS_KEY)[\"']?[ \\t]*[:=][ \\t]*[\"']?[^\\s\"'$]";

type Row = [name: string, value: string, cond: Omit<Condition, "attr"> & Record<string, unknown>, expected: Evaluation["outcome"]];

describe("equals, in and not_in on shaped unknowns", () => {
  it.each<Row>([
    ["a region is never true", "!Ref AWS::Region", { equals: true }, "fail"],
    ["a region may be us-east-1", "!Ref AWS::Region", { equals: "us-east-1" }, "undecided"],
    ["an account id is never 'all'", "!Ref AWS::AccountId", { not_equals: "all" }, "pass"],
    ["a stack name is never '*'", "!Ref AWS::StackName", { in: ["*", "0.0.0.0/0"] }, "fail"],
    ["a stack name may be 'prod'", "!Ref AWS::StackName", { in: ["prod"] }, "undecided"],
    ["a Number parameter is never 'all'", "!Ref Count", { equals: "all" }, "fail"],
    ["a Number parameter may be 22", "!Ref Count", { equals: 22 }, "undecided"],
    ["MinValue rules out a smaller number", "!Ref Size", { equals: 4 }, "fail"],
    ["MaxValue rules out a larger number", "!Ref Size", { not_in: [65, 128] }, "pass"],
    ["a number in the bounds stays open", "!Ref Size", { equals: 16 }, "undecided"],
    ["a VPC id is never 'default'", "!Ref Vpc", { equals: "default" }, "fail"],
    ["a VPC id may be vpc-0123abcd", "!Ref Vpc", { equals: "vpc-0123abcd" }, "undecided"],
    ["an SSM image parameter is an image id", "!Ref SsmImage", { equals: "latest" }, "fail"],
    ["a list parameter never equals a string", "!Ref Names", { equals: "a" }, "fail"],
    ["AllowedValues are possible values", "!Ref Tier", { in: ["web", "db"] }, "pass"],
    ["AllowedPattern rules out upper case", "!Ref Lower", { equals: "ABC" }, "fail"],
    ["MaxLength rules out a longer text", "!Ref Lower", { equals: "abcdefghij" }, "fail"],
    ["MinLength rules out a shorter text", "!Ref Short", { equals: "x" }, "fail"],
    ["a free-text parameter stays open", "!Ref Free", { equals: "true" }, "undecided"],
    ["the id of a security group is never true", "!GetAtt Sg.GroupId", { equals: true }, "fail"],
    ["an ARN is never '*'", "!GetAtt Role.Arn", { equals: "*" }, "fail"],
    ["a custom resource's attribute stays open", "!GetAtt Custom.Value", { equals: "*" }, "undecided"],
  ])("%s", (_name, value, cond, expected) => {
    expect(outcome(value, { attr: "a", ...cond } as Condition)).toBe(expected);
  });
});

describe("internet on shaped unknowns", () => {
  it.each<Row>([
    ["a region is not a CIDR block", "!Ref AWS::Region", { internet: true }, "fail"],
    ["an account id is not a CIDR block", "!Ref AWS::AccountId", { internet: false }, "pass"],
    ["a pattern that allows /16 to /28 only", "!Ref Peer", { internet: true }, "fail"],
    ["a pattern that allows /0", "!Ref AnyCidr", { internet: true }, "undecided"],
    ["a free-text parameter", "!Ref Free", { internet: true }, "undecided"],
    ["a VPC's CidrBlock is its property", "!GetAtt Net.CidrBlock", { internet: false }, "pass"],
    ["a CIDR built from a Number parameter and a /8", "!Sub '${Count}.0.0.0/8'", { internet: true }, "fail"],
    ["a CIDR whose prefix is a Number parameter", "!Sub '0.0.0.0/${Count}'", { internet: true }, "undecided"],
  ])("%s", (_name, value, cond, expected) => {
    expect(outcome(value, { attr: "a", ...cond } as Condition)).toBe(expected);
  });
});

describe("matches on strings built from known text and shaped unknowns", () => {
  it.each<Row>([
    ["a key id in the known text", "!Sub 'id=AKIAIOSFODNN7EXAMPLE ${AWS::Region}'", { matches: KEY_ID }, "pass"],
    ["a region can complete no key id", "!Sub 'cfn-init --region ${AWS::Region}'", { matches: KEY_ID }, "fail"],
    ["an account id after a literal key prefix may complete one", "!Sub 'AKIAABCD${AWS::AccountId}'", { matches: KEY_ID }, "undecided"],
    ["a stack name could spell one, as text", "!Sub 'cfn-init -s ${AWS::StackName}'", { matches: KEY_ID }, "undecided"],
    ["a stack name is never a secret", "!Sub 'cfn-init -s ${AWS::StackName}'", { matches: KEY_ID, secret: true }, "fail"],
    ["a stack id is never a secret", "!Join ['', ['x ', !Ref AWS::StackId, ' y']]", { matches: KEY_ID, secret: true }, "fail"],
    ["a resource id is never a secret", "!Sub 'echo ${Sg} ${Role.Arn}'", { matches: KEY_ID, secret: true }, "fail"],
    ["an access key's id may be one", "!Sub 'echo ${Keys}'", { matches: KEY_ID, secret: true }, "undecided"],
    ["a wait condition's presigned URL is not the account's credential", "!Sub \"cfn-signal -e 0 '${Handle}'\"", { matches: KEY_ID, secret: true }, "fail"],
    ["a free-text parameter may be one", "!Sub 'echo ${Free}'", { matches: KEY_ID, secret: true }, "undecided"],
    ["a lower-case parameter is not an access key id", "!Sub 'echo ${Lower}'", { matches: KEY_ID, secret: true }, "fail"],
    ["a secret key assigned a free parameter", "!Sub 'aws_secret_access_key=${Free}'", { matches: SECRET, secret: true }, "undecided"],
    ["a secret key assigned from a shell variable", "!Sub 'AWS_SECRET_ACCESS_KEY=$X ${AWS::Region}'", { matches: SECRET, secret: true }, "fail"],
    ["the key name made of parts stays searchable", "!Join ['', ['aws_secret', '_access_key=', !Ref Free]]", { matches: SECRET }, "undecided"],
    ["Fn::Base64 keeps the parts", "!Base64 {'Fn::Sub': 'x ${AWS::StackName} y'}", { matches: KEY_ID, secret: true }, "fail"],
    ["a Number parameter between two known texts", "!Sub 'AKIA${Count}'", { matches: KEY_ID }, "undecided"],
    ["an image id never makes a key id", "!Sub 'ami ${Image}'", { matches: KEY_ID }, "fail"],
  ])("%s", (_name, value, cond, expected) => {
    expect(outcome(value, { attr: "a", ...cond } as Condition)).toBe(expected);
  });
});

describe("not_empty and exists on shaped unknowns (as before: only references decide not_empty)", () => {
  it.each<Row>([
    ["a pseudo parameter exists", "!Ref AWS::Region", { exists: true }, "pass"],
    ["a pseudo parameter may be empty for all parapet knows", "!Ref AWS::Region", { not_empty: true }, "undecided"],
    ["a security group id names a resource", "!GetAtt Sg.GroupId", { not_empty: true }, "pass"],
  ])("%s", (_name, value, cond, expected) => {
    expect(outcome(value, { attr: "a", ...cond } as Condition)).toBe(expected);
  });
});

describe("the pattern search", () => {
  it.each<[string, string, SearchPart[], boolean | undefined]>([
    ["known text only", "ab+c", ["xxabbbcyy"], true],
    ["no match in known text", "ab+c", ["xxacyy"], false],
    ["a match across text and a part", "key=\\d{3}", ["key=", { pattern: "[0-9]{3,5}" }], true],
    ["a part that cannot supply the characters", "key=\\d", ["key=", { pattern: "[a-z]+" }], false],
    ["any text can supply anything", "key=\\d", ["key=", "any"], true],
    ["a barrier cuts a match", "ab", ["a", "barrier", "b"], false],
    ["possible values", "ab", ["a", { values: ["x", "b"] }], true],
    ["possible values that cannot", "ab", ["a", { values: ["x", "y"] }], false],
    ["a pattern too large to search", "((?:a{32}){32}){32}", ["x"], undefined],
  ])("%s", (_name, pattern, parts, expected) => {
    expect(mayMatch(pattern, "u", parts)).toBe(expected);
  });

  it("matches a whole string only to its end", () => {
    expect(mayMatchWhole("[\\s\\S]*/0", "u", ["10.0.0.0", { pattern: "/(16|0)" }])).toBe(true);
    expect(mayMatchWhole("[\\s\\S]*/0", "u", ["10.0.0.0", { pattern: "/(16|08)" }])).toBe(false);
  });
});

describe("Fn::GetAtt of attributes that copy a property or are the resource's id", () => {
  const COPIES = `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16}}
  Pool: {Type: AWS::EC2::VPC, Properties: {Ipv4IpamPoolId: ipam-pool-1}}
  Sub: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]], AvailabilityZone: eu-west-1a}}
  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: d, VpcId: !GetAtt Vpc.VpcId}}
  Key: {Type: AWS::KMS::Key}
  Param: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: "10.2.0.0/16"}}
  Loop: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: !GetAtt Loop.Value}}
`;
  function resolveIn(value: string): Resolved {
    const parsed = readYamlSource("t.yaml", "/t.yaml", `${COPIES}\nValue: ${value}\n`);
    const data = parsed.data as Record<string, Record<string, Record<string, unknown>>>;
    const resources: Record<string, string> = {};
    const properties: Record<string, unknown> = {};
    for (const [id, r] of Object.entries(data["Resources"]!)) {
      resources[id] = String(r["Type"]);
      if (r["Properties"]) properties[id] = r["Properties"];
    }
    return new IntrinsicResolver({ parameters: {}, conditions: {}, mappings: {}, resources, properties }).resolve((data as Record<string, unknown>)["Value"]);
  }
  const ref = (target: string, attribute?: string) => ({ target, ...(attribute ? { attribute } : {}) });
  it.each<[string, string, unknown]>([
    ["VPC CidrBlock is the property", "!GetAtt Vpc.CidrBlock", "10.1.0.0/16"],
    ["VPC CidrBlock without the property stays unknown", "!GetAtt Pool.CidrBlock", { unknown: "Pool.CidrBlock is known only after deployment", ref: ref("Pool", "CidrBlock") }],
    ["Subnet VpcId is the property (a Ref of the VPC)", "!GetAtt Sub.VpcId", { unknown: "the id of Vpc is known only after deployment", ref: ref("Vpc") }],
    ["Subnet AvailabilityZone is the property", "!GetAtt Sub.AvailabilityZone", "eu-west-1a"],
    ["Subnet CidrBlock from Fn::Cidr stays unknown", "!GetAtt Sub.CidrBlock", { unknown: "address blocks from Fn::Cidr are computed at deployment" }],
    ["SecurityGroup GroupId is the same reference as Ref", "!GetAtt Sg.GroupId", { unknown: "the id of Sg is known only after deployment", ref: ref("Sg") }],
    ["SecurityGroup VpcId follows VPC VpcId to the VPC", "!GetAtt Sg.VpcId", { unknown: "the id of Vpc is known only after deployment", ref: ref("Vpc") }],
    ["KMS key Arn is the key itself", "!GetAtt Key.Arn", { unknown: "the id of Key is known only after deployment", ref: ref("Key") }],
    ["SSM parameter Value is the property", "!GetAtt Param.Value", "10.2.0.0/16"],
    ["an attribute that copies itself stays unknown", "!GetAtt Loop.Value", { unknown: "Loop.Value is known only after deployment", ref: ref("Loop", "Value") }],
    ["other attributes stay unknown", "!GetAtt Key.Arn2", { unknown: "Key.Arn2 is known only after deployment", ref: ref("Key", "Arn2") }],
  ])("%s", (_name, value, expected) => {
    expect(view(resolveIn(value))).toEqual(expected);
  });
});
