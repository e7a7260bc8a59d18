import { describe, expect, it } from "vitest";
import { loadTemplate } from "../../../src/parsers/cloudformation/template.js";
import { view } from "../../helpers/view.js";

/**
 * Templates that rain, a package command or a macro changes: template → the notes
 * (pre-processor, line, words of the message), the resources still checked, and no parse errors.
 */

interface Expected {
  notes: { subject: string; line: number; says: string[]; lacks?: string[] }[];
  /** Logical ids of the resources that become graph nodes. */
  checked: string[];
}

type Row = [name: string, file: string, lines: string[], expected: Expected];

const rows: Row[] = [
  [
    "rain directives as YAML tags: one note for the file, plain resources checked",
    "rain.yaml",
    [
      "Resources:",
      "  Fn:",
      "    Type: AWS::Lambda::Function",
      "    Properties:",
      "      Code: !Rain::S3",
      "        Path: src",
      "        Zip: true",
      "      Description: !Rain::Embed notes.txt",
      "  Vol:",
      "    Type: AWS::EC2::Volume",
      "    Properties: {AvailabilityZone: a, Size: 8}",
    ],
    { notes: [{ subject: "rain pkg", line: 5, says: ["needs rain pkg", "!Rain::S3 and !Rain::Embed", "not checked: the values the directives and constants insert"] }], checked: ["Fn", "Vol"] },
  ],
  [
    "a rain module as a resource Type is not a resource without a Type",
    "module.yaml",
    ["Resources:", "  Site:", "    Type: !Rain::Module ./site.yaml", "    Properties: {Name: web}", "  Vol:", "    Type: AWS::EC2::Volume"],
    { notes: [{ subject: "rain pkg", line: 3, says: ["!Rain::Module", "the resources that the module Site creates"] }], checked: ["Vol"] },
  ],
  [
    "only a rain module: still read as a template",
    "only-module.yaml",
    ["Resources:", "  Site:", "    Type: !Rain::Module ./site.yaml"],
    { notes: [{ subject: "rain pkg", line: 3, says: ["!Rain::Module"] }], checked: [] },
  ],
  [
    "the Rain section and ${Rain::...} constants",
    "constants.yaml",
    ["Rain:", "  Constants:", "    Prefix: app", "Resources:", "  Vol:", "    Type: AWS::EC2::Volume", "    Properties:", "      KmsKeyId: !Sub ${Rain::Prefix}-key"],
    { notes: [{ subject: "rain pkg", line: 1, says: ["the Rain section and ${Rain::...} or ${Const::...} constants"] }], checked: ["Vol"] },
  ],
  [
    "a Modules section (rain pkg or aws cloudformation package)",
    "modules.yaml",
    ["Modules:", "  Content:", "    Source: ./bucket.yaml", "Resources:", "  Vol:", "    Type: AWS::EC2::Volume"],
    { notes: [{ subject: "rain pkg", line: 1, says: ["rain pkg (or aws cloudformation package)", "the resources of the Modules section"] }], checked: ["Vol"] },
  ],
  [
    "rain directives in long form in JSON",
    "rain.json",
    ['{"Resources": {', '  "Fn": {"Type": "AWS::Lambda::Function",', '    "Properties": {"Code": {"Rain::S3": {"Path": "src"}}}}', "}}"],
    { notes: [{ subject: "rain pkg", line: 3, says: ["it uses Rain::S3;"], lacks: ["!Rain"] }], checked: ["Fn"] },
  ],
  [
    "rain directives in YAML: the tag as a tag, the long form as a key",
    "mixed.yaml",
    [
      "Resources:",
      "  Fn:",
      "    Type: AWS::Lambda::Function",
      "    Properties:",
      "      Code: {Rain::S3: {Path: src}}",
      "      Description: !Rain::Embed notes.txt",
    ],
    { notes: [{ subject: "rain pkg", line: 5, says: ["it uses Rain::S3 and !Rain::Embed;"], lacks: ["!Rain::S3"] }], checked: ["Fn"] },
  ],
  [
    "a top-level macro: one note per macro; SAM and LanguageExtensions give none",
    "macros.yaml",
    ["Transform: [AWS::Serverless-2016-10-31, Count, AWS::LanguageExtensions, Count]", "Resources:", "  Vol:", "    Type: AWS::EC2::Volume"],
    { notes: [{ subject: "Count", line: 1, says: ["macro Count is expanded at deployment; resources it creates or changes are not checked"] }], checked: ["Vol"] },
  ],
  [
    "AWS::Include through Fn::Transform in Resources and in Properties",
    "include.json",
    [
      '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {',
      '  "Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k.yaml"}},',
      '  "Vol": {"Type": "AWS::EC2::Volume", "Properties": {"Fn::Transform": {"Name": "AddTags"}}}',
      "}}",
    ],
    {
      notes: [
        { subject: "AWS::Include", line: 2, says: ["the transform AWS::Include inserts template snippets stored in Amazon S3 at deployment"] },
        { subject: "AddTags", line: 3, says: ["macro AddTags"] },
      ],
      checked: ["Vol"],
    },
  ],
  [
    "an AWS-hosted transform at the top level",
    "secrets.yaml",
    ["Transform: AWS::SecretsManager-2020-07-23", "Resources:", "  Vol:", "    Type: AWS::EC2::Volume"],
    { notes: [{ subject: "AWS::SecretsManager-2020-07-23", line: 1, says: ["creates the rotation Lambda functions of HostedRotationLambda"] }], checked: ["Vol"] },
  ],
];

describe("pre-processors and macros: template → notes and checked resources", () => {
  for (const [name, file, lines, expected] of rows) {
    it(name, () => {
      const result = loadTemplate(file, `/repo/${file}`, lines.join("\n") + "\n");
      expect(result.isTemplate).toBe(true);
      expect(result.diagnostics).toEqual([]);
      expect(result.nodes.filter((n) => !n.childPath).map((n) => n.address)).toEqual(expected.checked);
      const notes = result.preprocessors ?? [];
      expect(notes.map((n) => [n.subject, n.line])).toEqual(expected.notes.map((n) => [n.subject, n.line]));
      notes.forEach((n, i) => {
        for (const words of expected.notes[i]!.says) expect(n.message).toContain(words);
        for (const words of expected.notes[i]!.lacks ?? []) expect(n.message).not.toContain(words);
      });
    });
  }

  it("a value a directive fills in is unknown, not the directive's argument", () => {
    const text = ["Resources:", "  Vol:", "    Type: AWS::EC2::Volume", "    Properties:", "      KmsKeyId: !Rain::Env KEY_ID", ""].join("\n");
    const vol = loadTemplate("env.yaml", "/repo/env.yaml", text).nodes[0]!;
    expect(view(vol.native!.body["KmsKeyId"]!)).toEqual({ unknown: "the value is filled in by the package command (Rain::Env), which parapet does not run" });
  });

  it("an unknown tag that is not a pre-processor directive is still a parse error", () => {
    const text = ["Resources:", "  Vol:", "    Type: AWS::EC2::Volume", "    Properties:", "      KmsKeyId: !Rain2::Env KEY_ID", ""].join("\n");
    expect(loadTemplate("tag.yaml", "/repo/tag.yaml", text).diagnostics.map((d) => [d.message, d.line])).toEqual([
      ["unknown tag !Rain2::Env: CloudFormation accepts only its intrinsic function tags", 5],
    ]);
  });
});
