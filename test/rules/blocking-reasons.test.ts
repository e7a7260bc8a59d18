// S3: a review of a pattern search in a string built from parts names the parts that keep it
// open, not the first unknown part (a region or stack name whose shape already rules a match out).
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { lintText } from "../../src/pipeline/lint.js";
import { builtinRules } from "../../src/rules/load.js";
import { matchBlockers } from "../../src/rules/shape-tests.js";
import { Unknown } from "../../src/values/value.js";

const rules = builtinRules().filter((r) => r.id === "ec2-no-secrets-in-user-data");

const template = (script: string, vars: string) => `
Parameters:
  Fs: {Type: String}
  Name: {Type: String, AllowedPattern: "[a-z]{1,8}"}
Resources:
  I:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      UserData:
        Fn::Base64:
          Fn::Sub:
            - "#!/bin/bash\\n${script}\\n"
            - {${vars}}
`;

const IMPORT = "Fn::ImportValue abc-RouteTable comes from another stack's export";
const FS = "parameter Fs has no default and no value was given";

const TABLE: [name: string, script: string, vars: string, reason: string | undefined][] = [
  ["a region beside an import: the import", "aws --region ${AWS::Region} x --rt ${Rt}", "Rt: {'Fn::ImportValue': abc-RouteTable}", IMPORT],
  ["a stack name beside a free-text parameter: the parameter", "echo ${AWS::StackName} ${Fs}", "", FS],
  ["two blocking parts: both, in order", "x ${Rt} --region ${AWS::Region} mount ${Fs}", "Rt: {'Fn::ImportValue': abc-RouteTable}", `${IMPORT}; ${FS}`],
  [
    "more than three blocking parts: three, and how many more",
    "${Fs} ${A} ${B} ${C}",
    "A: {'Fn::ImportValue': a}, B: {'Fn::ImportValue': b}, C: {'Fn::ImportValue': c}",
    `${FS}; Fn::ImportValue a comes from another stack's export; Fn::ImportValue b comes from another stack's export (and 1 more unknown part)`,
  ],
  ["only parts whose shape rules a secret out: decided", "echo ${AWS::Region} ${AWS::StackName} ${AWS::AccountId}", "", undefined],
];

describe.each(["yaml", "json"] as const)("the reason of an undecided user-data search (%s)", (ext) => {
  it.each(TABLE)("%s", (_name, script, vars, reason) => {
    const yamlText = template(script, vars);
    const text = ext === "yaml" ? yamlText : JSON.stringify(parse(yamlText));
    const file = { path: `t.${ext}`, absolutePath: `/t/t.${ext}`, explicit: true };
    const findings = lintText(file, text, { rules }).findings;
    expect(findings.map((f) => f.reason)).toEqual(reason === undefined ? [] : [reason]);
  });
});

describe("matchBlockers", () => {
  const free = new Unknown("free");
  const shaped = new Unknown("digits", { shape: { pattern: "[0-9]+" } });
  const secretFree = new Unknown("region", { shape: { pattern: "[a-z0-9-]+", secretFree: true } });
  const letters = new Unknown("letters", { shape: { pattern: "[a-z]+" } });
  const text = (...parts: (string | Unknown)[]) => new Unknown("built", { parts });
  it.each<[string, Unknown, string, boolean, string[]]>([
    ["a free part that can make the match alone", text("key=", shaped, " ", free), "key=[A-Z]", false, ["free"]],
    ["a shaped part that can make the match alone", text("id=", shaped, " ", free), "id=[0-9]", false, ["digits", "free"]],
    ["a match that needs two parts: both", text(letters, shaped), "[a-z][0-9]", false, ["letters", "digits"]],
    ["a secret-free part is never a blocker of a secret search", text(secretFree, " ", free), "[a-z]{4}", true, ["free"]],
  ])("%s", (_name, v, pattern, secret, expected) => {
    expect(matchBlockers(v, pattern, secret).map((u) => u.reason)).toEqual(expected);
  });
});
