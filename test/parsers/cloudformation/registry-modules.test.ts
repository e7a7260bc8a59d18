// Registry modules (`Type: X::Y::Z::MODULE`) as a table: template (YAML or JSON) → the notes
// (subject, line, words), the parse errors left, and the values that read a module's resources.
import { describe, expect, it } from "vitest";
import { loadTemplate } from "../../../src/parsers/cloudformation/template.js";
import { view } from "../../helpers/view.js";

interface Expected {
  notes: [subject: string, line: number, says: string][];
  errors: [start: string, line: number][];
  /** `Resource.Property` → the value parapet reads there. */
  values: Record<string, unknown>;
}

type Row = [name: string, file: string, text: string, expected: Expected];

const yaml = (...lines: string[]) => lines.join("\n") + "\n";

const inside = (written: string, id: string, type: string) => ({
  unknown: `${written} is a resource inside registry module ${id} (type ${type}), which parapet does not have`,
  ref: { target: id },
});

const rows: Row[] = [
  [
    "Ref, Fn::GetAtt and Fn::Sub of a module's resources, with and without the dot",
    "t.yaml",
    yaml(
      "Resources:",
      "  Net:",
      "    Type: My::Net::Vpc::MODULE",
      "    Properties: {CidrBlock: 10.0.0.0/16}",
      "  Sg:",
      "    Type: AWS::EC2::SecurityGroup",
      "    Properties:",
      "      GroupDescription: !GetAtt NetVpc.CidrBlock",
      "      VpcId: !Ref Net.Vpc",
      "  Key:",
      "    Type: AWS::KMS::Key",
      "    Properties:",
      "      Description: !GetAtt Net.Vpc.Arn",
      "      KeyPolicy: !Sub '${NetBucket.Arn}/* ${Net.Logs} ${NetRole}'",
      "Outputs:",
      "  Vpc: {Value: !Ref NetVpc}",
      "  Other: {Value: !Ref Elsewhere}",
    ),
    {
      notes: [["My::Net::Vpc::MODULE", 3, "module My::Net::Vpc::MODULE (Net) is expanded by CloudFormation at deployment from the registry; the resources it creates are not checked"]],
      errors: [["Ref to Elsewhere, which the template does not declare", 17]],
      values: {
        "Sg.GroupDescription": inside("NetVpc.CidrBlock", "Net", "My::Net::Vpc::MODULE"),
        "Sg.VpcId": inside("Net.Vpc", "Net", "My::Net::Vpc::MODULE"),
        "Key.Description": inside("Net.Vpc.Arn", "Net", "My::Net::Vpc::MODULE"),
      },
    },
  ],
  [
    "JSON: one note per module type, naming each resource of that type; the longest module name wins",
    "t.json",
    JSON.stringify(
      {
        Resources: {
          Web: { Type: "Org::App::Site::MODULE" },
          WebLogs: { Type: "Org::App::Site::MODULE" },
          Db: { Type: "Org::App::Db::MODULE" },
          Vol: { Type: "AWS::EC2::Volume", Properties: { KmsKeyId: { "Fn::GetAtt": ["WebLogsKey", "Arn"] }, AvailabilityZone: { Ref: "DbInstance" } } },
        },
      },
      null,
      2,
    ),
    {
      notes: [
        ["Org::App::Site::MODULE", 4, "module Org::App::Site::MODULE (Web, WebLogs) is expanded"],
        ["Org::App::Db::MODULE", 10, "module Org::App::Db::MODULE (Db) is expanded"],
      ],
      errors: [],
      values: {
        "Vol.KmsKeyId": inside("WebLogsKey.Arn", "WebLogs", "Org::App::Site::MODULE"),
        "Vol.AvailabilityZone": inside("DbInstance", "Db", "Org::App::Db::MODULE"),
      },
    },
  ],
  [
    "only modules and no AWSTemplateFormatVersion: still a template",
    "only.yaml",
    yaml("Resources:", "  MyVPC:", "    Type: AWSSamples::net::vpcwizard::MODULE", "    Properties: {CidrBlock: 10.10.0.0/16}"),
    { notes: [["AWSSamples::net::vpcwizard::MODULE", 3, "(MyVPC)"]], errors: [], values: {} },
  ],
  [
    "a module beside a macro: the macro may declare names, so no reference is an error",
    "macro.yaml",
    yaml("Transform: Count", "Resources:", "  Net:", "    Type: My::Net::Vpc::MODULE", "  Sg:", "    Type: AWS::EC2::SecurityGroup", "    Properties: {GroupDescription: !Ref Missing}"),
    { notes: [["Count", 1, "macro Count"], ["My::Net::Vpc::MODULE", 4, "(Net)"]], errors: [], values: {} },
  ],
  [
    "a name that only resembles a module's is still undeclared",
    "prefix.yaml",
    yaml("Resources:", "  Net:", "    Type: My::Net::Vpc::MODULE", "  Sg:", "    Type: AWS::EC2::SecurityGroup", "    Properties: {GroupDescription: !Ref NeVpc}"),
    { notes: [["My::Net::Vpc::MODULE", 3, "(Net)"]], errors: [["Ref to NeVpc, which the template does not declare", 6]], values: {} },
  ],
];

describe("registry modules: template → notes, errors and values", () => {
  it.each(rows)("%s", (_name, file, text, expected) => {
    const result = loadTemplate(file, `/repo/${file}`, text);
    expect(result.isTemplate).toBe(true);
    const notes = result.preprocessors ?? [];
    expect(notes.map((n) => [n.subject, n.line])).toEqual(expected.notes.map(([s, l]) => [s, l]));
    notes.forEach((n, i) => expect(n.message).toContain(expected.notes[i]![2]));
    const errors = result.diagnostics.filter((d) => d.notice === undefined).map((d) => [d.message, d.line] as const);
    expect(errors.map(([m, l]) => [expected.errors.find(([s]) => m.startsWith(s))?.[0], l])).toEqual(expected.errors);
    for (const [at, value] of Object.entries(expected.values)) {
      const [id, prop] = at.split(".") as [string, string];
      const node = result.nodes.find((n) => n.address === id && !n.childPath)!;
      expect(view(node.native!.body[prop]!)).toEqual(value);
    }
  });

  it("the module resource is a node of its own type, not a resource without a Type", () => {
    const result = loadTemplate("t.yaml", "/repo/t.yaml", yaml("Resources:", "  Net:", "    Type: My::Net::Vpc::MODULE"));
    expect(result.diagnostics).toEqual([]);
    expect(result.nodes.map((n) => [n.address, n.kind])).toEqual([["Net", "My::Net::Vpc::MODULE"]]);
  });
});
