// Circular dependencies of a CloudFormation template, as a table: template → the cycle errors
// (message, line, column) parapet reports. References the same way, pseudo parameters,
// parameters, outputs and the properties of SAM resources make no loop.
import { describe, expect, it } from "vitest";
import { loadTemplate } from "../../../src/parsers/cloudformation/template.js";

type Row = [name: string, lines: string[], errors: [message: string, line: number, column: number][]];

const REFUSED = "; CloudFormation refuses to deploy a template with a circular dependency";

const rows: Row[] = [
  [
    "Ref one way, Fn::GetAtt the other",
    [
      "Resources:",
      "  Role:",
      "    Type: AWS::IAM::Role",
      "    Properties: {Path: !GetAtt Profile.Arn}",
      "  Profile:",
      "    Type: AWS::IAM::InstanceProfile",
      "    Properties: {Roles: [!Ref Role]}",
    ],
    [[`cyclic reference between resources: Role → Profile → Role${REFUSED}`, 2, 3]],
  ],
  [
    "DependsOn (a list and a single name) and Fn::Sub close a loop of three, named from the first resource in the template",
    [
      "Resources:",
      "  A:",
      "    Type: AWS::SNS::Topic",
      "    DependsOn: [C]",
      "  B:",
      "    Type: AWS::SNS::Topic",
      "    DependsOn: A",
      "  C:",
      "    Type: AWS::SNS::Topic",
      "    Properties: {TopicName: !Sub '${B.TopicName}-x'}",
    ],
    [[`cyclic reference between resources: A → C → B → A${REFUSED}`, 2, 3]],
  ],
  [
    "a resource whose properties refer to itself",
    ["Resources:", "  Topic:", "    Type: AWS::SNS::Topic", "    Properties: {DisplayName: !GetAtt [Topic, TopicName]}"],
    [[`cyclic reference between resources: Topic → Topic${REFUSED}`, 2, 3]],
  ],
  [
    "conditions that refer to each other",
    [
      "Parameters:",
      "  Env: {Type: String, Default: prod}",
      "Conditions:",
      "  IsProd: !And [!Condition IsLive, !Equals [!Ref Env, prod]]",
      "  IsLive: !Not [!Condition IsProd]",
      "  Plain: !Equals [!Ref Env, dev]",
      "Resources:",
      "  Topic: {Type: AWS::SNS::Topic, Condition: IsProd}",
    ],
    [[`cyclic reference between conditions: IsProd → IsLive → IsProd${REFUSED}`, 4, 3]],
  ],
  [
    "two loops are two errors; a resource that depends on a loop is not in it",
    [
      "Resources:",
      "  A: {Type: AWS::SNS::Topic, DependsOn: B}",
      "  B: {Type: AWS::SNS::Topic, DependsOn: A}",
      "  Outside: {Type: AWS::SNS::Topic, DependsOn: [A, C]}",
      "  C: {Type: AWS::SNS::Topic, DependsOn: D}",
      "  D: {Type: AWS::SNS::Topic, DependsOn: C}",
    ],
    [
      [`cyclic reference between resources: A → B → A${REFUSED}`, 2, 3],
      [`cyclic reference between resources: C → D → C${REFUSED}`, 5, 3],
    ],
  ],
  [
    "no loop: its own stack's pseudo parameters, DependsOn and Ref the same way, outputs, parameters, Fn::Sub's own variables and literals",
    [
      "Parameters:",
      "  Topic: {Type: String, Default: t}",
      "Resources:",
      "  Queue:",
      "    Type: AWS::SQS::Queue",
      "    Properties: {QueueName: !Sub '${AWS::StackName}-queue-${!Queue}'}",
      "  Sub:",
      "    Type: AWS::SNS::Subscription",
      "    DependsOn: Queue",
      "    Properties:",
      "      Endpoint: !GetAtt Queue.Arn",
      "      TopicArn: !Sub ['${Sub}', {Sub: !Ref Topic}]",
      "      Protocol: sqs",
      "Outputs:",
      "  Out: {Value: !Ref Queue}",
      "  Sub: {Value: !GetAtt Queue.Arn}",
    ],
    [],
  ],
  [
    "SAM: a function's event source refers to the bucket that SAM makes notify the function",
    [
      "Transform: AWS::Serverless-2016-10-31",
      "Resources:",
      "  Fn:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      Handler: index.handler",
      "      Runtime: python3.12",
      "      CodeUri: src",
      "      Events:",
      "        Upload: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: 's3:ObjectCreated:*'}}",
      "  Uploads:",
      "    Type: AWS::S3::Bucket",
      "    Properties: {Tags: [{Key: fn, Value: !Ref Fn}]}",
    ],
    [],
  ],
  [
    "SAM spreads a serverless resource's properties over the resources it makes (an API's functions here): they are not its dependencies",
    [
      "Resources:",
      "  Api:",
      "    Type: AWS::Serverless::GraphQLApi",
      "    Properties: {Name: api, SchemaInline: 'type Q { a: Int }', Auth: {Type: AWS_IAM}, Functions: {Fn: {Id: !GetAtt Fn.FunctionId}}}",
      "  Fn:",
      "    Type: AWS::AppSync::FunctionConfiguration",
      "    Properties: {ApiId: !GetAtt Api.ApiId, Name: fn, DataSourceName: ds}",
    ],
    [],
  ],
  [
    "SAM: a serverless resource's DependsOn stays its own",
    [
      "Transform: AWS::Serverless-2016-10-31",
      "Resources:",
      "  Fn:",
      "    Type: AWS::Serverless::Function",
      "    DependsOn: Queue",
      "    Properties: {Handler: index.handler, Runtime: python3.12, CodeUri: src}",
      "  Queue:",
      "    Type: AWS::SQS::Queue",
      "    Properties: {Tags: [{Key: fn, Value: !Ref Fn}]}",
    ],
    [[`cyclic reference between resources: Fn → Queue → Fn${REFUSED}`, 3, 3]],
  ],
  [
    "a macro rewrites the template first: not checked",
    ["Transform: MyMacro", "Resources:", "  A: {Type: AWS::SNS::Topic, DependsOn: B}", "  B: {Type: AWS::SNS::Topic, DependsOn: A}"],
    [],
  ],
  [
    "Fn::ForEach: the resources a loop makes are members under the logical ids it computes",
    [
      "Transform: AWS::LanguageExtensions",
      "Resources:",
      "  Fn::ForEach::Topics:",
      "    - Name",
      "    - [A, B]",
      "    - Topic${Name}:",
      "        Type: AWS::SNS::Topic",
      "        Properties: {DisplayName: !GetAtt Hub.TopicName}",
      "  Hub:",
      "    Type: AWS::SNS::Topic",
      "    DependsOn: TopicB",
    ],
    [[`cyclic reference between resources: TopicB → Hub → TopicB${REFUSED}`, 6, 7]],
  ],
];

describe("circular dependencies are template errors", () => {
  it.each(rows)("%s", (_name, lines, errors) => {
    const result = loadTemplate("t.yaml", "/abs/t.yaml", lines.join("\n") + "\n");
    const found = result.diagnostics.filter((d) => d.notice === undefined && d.message.startsWith("cyclic")).map((d) => [d.message, d.line, d.column]);
    expect(found).toEqual(errors);
  });

  it("a JSON template's loop is located at its first resource in JSON", () => {
    const text = JSON.stringify({ Resources: { A: { Type: "AWS::SNS::Topic", DependsOn: "B" }, B: { Type: "AWS::SNS::Topic", Properties: { DisplayName: { "Fn::GetAtt": "A.TopicName" } } } } }, null, 2);
    const errors = loadTemplate("t.json", "/abs/t.json", text).diagnostics;
    expect(errors).toEqual([{ message: `cyclic reference between resources: A → B → A${REFUSED}`, line: 3, column: 5, subject: expect.any(String) }]);
  });
});
