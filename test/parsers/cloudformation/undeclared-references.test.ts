// References to names a template does not declare, as a table: template → the template errors
// (message start, line) parapet reports; declared names, pseudo parameters, Fn::Sub's own
// variables, SAM's generated resources and templates a macro changes give none.
import { describe, expect, it } from "vitest";
import { loadTemplate } from "../../../src/parsers/cloudformation/template.js";

type Row = [name: string, lines: string[], errors: [start: string, line: number][]];

const rows: Row[] = [
  [
    "Ref, Fn::GetAtt (both forms) and Fn::Sub of undeclared names, in Properties and Outputs",
    [
      "Resources:",
      "  Web:",
      "    Type: AWS::EC2::Instance",
      "    Properties:",
      "      IamInstanceProfile: !Ref Profile",
      "      SubnetId: !GetAtt Net.SubnetId",
      "      KeyName: {'Fn::GetAtt': [Keys, Name]}",
      "      UserData: !Sub 'echo ${Missing.Arn} ${AWS::Region} ${!Literal}'",
      "Outputs:",
      "  Id:",
      "    Value: !Ref Gone",
    ],
    [
      ["Ref to Profile, which the template does not declare: CloudFormation rejects the template", 5],
      ["Fn::GetAtt of Net, which", 6],
      ["Fn::GetAtt of Keys, which", 7],
      ["Fn::Sub of Missing, which", 8],
      ["Ref to Gone, which", 11],
    ],
  ],
  [
    "parameters, resources, pseudo parameters and Fn::Sub's variables are declared",
    [
      "Parameters:",
      "  Name: {Type: String, Default: web}",
      "Resources:",
      "  Profile:",
      "    Type: AWS::IAM::InstanceProfile",
      "    Properties: {Roles: [!Ref Name]}",
      "  Web:",
      "    Type: AWS::EC2::Instance",
      "    Properties:",
      "      IamInstanceProfile: !Ref Profile",
      "      UserData: !Sub ['${Name} ${Local} ${AWS::StackName} ${Profile.Arn}', {Local: x}]",
    ],
    [],
  ],
  [
    "SAM: names the transform generates after a serverless resource, and the implicit API",
    [
      "Transform: AWS::Serverless-2016-10-31",
      "Resources:",
      "  Fn:",
      "    Type: AWS::Serverless::Function",
      "    Properties: {Handler: index.handler, Runtime: python3.12, CodeUri: src}",
      "  Api:",
      "    Type: AWS::Serverless::Api",
      "    Properties: {StageName: prod}",
      "Outputs:",
      "  Role: {Value: !GetAtt FnRole.Arn}",
      "  Deployment: {Value: !Ref ApiDeployment}",
      "  Url: {Value: !Sub 'https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod'}",
      "  Other: {Value: !Ref Elsewhere}",
    ],
    [["Ref to Elsewhere, which", 13]],
  ],
  [
    "a macro may declare names: no errors",
    ["Transform: MyMacro", "Resources:", "  Web:", "    Type: AWS::EC2::Instance", "    Properties: {IamInstanceProfile: !Ref FromMacro}"],
    [],
  ],
];

describe("references to undeclared names are template errors", () => {
  it.each(rows)("%s", (_name, lines, errors) => {
    const result = loadTemplate("t.yaml", "/abs/t.yaml", lines.join("\n") + "\n");
    const found = result.diagnostics.filter((d) => d.notice === undefined).map((d) => [d.message, d.line] as const);
    expect(found).toHaveLength(errors.length);
    errors.forEach(([start, line], i) => {
      expect(found[i]![0].startsWith(start)).toBe(true);
      expect(found[i]![1]).toBe(line);
    });
  });

  it("a JSON template's reference is located in JSON", () => {
    const text = JSON.stringify({ Resources: { Web: { Type: "AWS::EC2::Instance", Properties: { IamInstanceProfile: { Ref: "Profile" } } } } }, null, 2);
    const [error] = loadTemplate("t.json", "/abs/t.json", text).diagnostics;
    expect(error).toMatchObject({ line: 7 });
    expect(error!.message).toMatch(/^Ref to Profile, which the template does not declare/);
  });
});
