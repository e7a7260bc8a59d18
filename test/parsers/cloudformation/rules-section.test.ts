import { describe, expect, it } from "vitest";
import { loadTemplate } from "../../../src/parsers/cloudformation/template.js";

const PARAMETERS = [
  "Parameters:",
  "  Env: {Type: String, Default: test}",
  "  InstanceType: {Type: String, Default: t3.micro}",
  "  Subnets: {Type: CommaDelimitedList, Default: 'subnet-1,subnet-2'}",
  "  Tier: {Type: String, AllowedValues: [gold, silver]}",
  "  Free: {Type: String}",
].join("\n");

/** A template with one rule (`RuleCondition` optional) and one assertion. */
const withRule = (assert: string, condition?: string) =>
  [
    PARAMETERS,
    "Rules:",
    "  Check:",
    ...(condition ? [`    RuleCondition: ${condition}`] : []),
    "    Assertions:",
    `      - Assert: ${assert}`,
    "        AssertDescription: The values must fit",
    "Resources:",
    "  Topic:",
    "    Type: AWS::SNS::Topic",
    "",
  ].join("\n");

const notesOf = (text: string, parameters: Record<string, string> = {}) =>
  loadTemplate("t.yaml", "/abs/t.yaml", text, { parameters }).diagnostics.filter((d) => d.notice === "cfn-rule-assertion");

describe("Rules section: assertions evaluated with the parameter values", () => {
  const cases: [name: string, assert: string, condition: string | undefined, violated: boolean, parameters?: Record<string, string>][] = [
    ["Fn::Contains false with the defaults", "!Contains [[m5.large, m5.xlarge], !Ref InstanceType]", undefined, true],
    ["Fn::Contains true with a given value", "!Contains [[m5.large, m5.xlarge], !Ref InstanceType]", undefined, false, { InstanceType: "m5.large" }],
    ["Fn::Contains long form", "{'Fn::Contains': [[t3.micro], !Ref InstanceType]}", undefined, false],
    ["Fn::EachMemberEquals", "!EachMemberEquals [!Ref Subnets, subnet-1]", undefined, true],
    ["Fn::EachMemberIn holds", "!EachMemberIn [!Ref Subnets, [subnet-1, subnet-2, subnet-3]]", undefined, false],
    ["Fn::EachMemberIn violated", "!EachMemberIn [!Ref Subnets, [subnet-1]]", undefined, true],
    ["Fn::Equals / Fn::Not", "!Not [!Equals [!Ref Env, test]]", undefined, true],
    ["Fn::And with a false operand", "!And [!Equals [!Ref Env, test], !Equals [!Ref InstanceType, m5.large]]", undefined, true],
    ["Fn::Or with a true operand", "!Or [!Equals [!Ref Env, prod], !Equals [!Ref InstanceType, t3.micro]]", undefined, false],
    ["a RuleCondition that holds", "!Equals [!Ref InstanceType, m5.large]", "!Equals [!Ref Env, test]", true],
    ["a RuleCondition that does not hold: the assertion is not checked", "!Equals [!Ref InstanceType, m5.large]", "!Equals [!Ref Env, prod]", false],
    ["a RuleCondition that cannot be decided", "!Equals [!Ref InstanceType, m5.large]", "!Equals [!Ref Free, x]", false],
    ["Fn::ValueOf reads the account: undecided", "!EachMemberEquals [!ValueOf [!Ref Subnets, VpcId], vpc-1]", undefined, false],
    ["Fn::RefAll reads the account: undecided", "!EachMemberIn [!Ref Subnets, !RefAll AWS::EC2::Subnet::Id]", undefined, false],
    ["Fn::ValueOfAll reads the account: undecided", "!EachMemberEquals [!ValueOfAll [AWS::EC2::VPC::Id, Tags.Team], a]", undefined, false],
    ["a parameter without a value: undecided", "!Equals [!Ref Free, x]", undefined, false],
    ["every allowed value violates it", "!Equals [!Ref Tier, bronze]", undefined, true],
    ["some allowed value satisfies it: undecided", "!Equals [!Ref Tier, gold]", undefined, false],
  ];

  it.each(cases)("%s", (_name, assert, condition, violated, parameters) => {
    const text = withRule(assert, condition);
    expect(loadTemplate("t.yaml", "/abs/t.yaml", text).diagnostics.filter((d) => d.notice === undefined)).toEqual([]);
    const notes = notesOf(text, parameters);
    expect(notes).toHaveLength(violated ? 1 : 0);
    if (violated) {
      expect(notes[0]).toMatchObject({ line: condition ? 11 : 10, column: 9 });
      expect(notes[0]!.message).toMatch(/^rule Check: the parameter values \(.*\) violate its assertion: "The values must fit"/);
    }
  });

  it("names the parameters and the values used", () => {
    const [note] = notesOf(withRule("!Contains [[m5.large], !Ref InstanceType]"));
    expect(note!.message).toContain("(InstanceType=t3.micro)");
  });

  const boolDefaults: [name: string, parameter: string, shown: string][] = [
    ["an unquoted YAML 1.1 word in a block map", "  Create:\n    Type: String\n    Default: No", "Create=No (read as false)"],
    ["an unquoted YAML 1.1 word in a flow map", "  Create: {Type: String, Default: on}", "Create=on (read as true)"],
    ["a quoted word is a string, shown as it is", "  Create: {Type: String, Default: 'No'}", "Create=No)"],
    ["a written boolean needs no reading", "  Create: {Type: String, Default: false}", "Create=false)"],
  ];
  it.each(boolDefaults)("shows a default as written: %s", (_name, parameter, shown) => {
    const text = ["Parameters:", parameter, "Rules:", "  Check:", "    Assertions:", "      - Assert: !Equals [!Ref Create, 'Yes']", "Resources:", "  Topic:", "    Type: AWS::SNS::Topic", ""].join("\n");
    const [note] = notesOf(text);
    expect(note!.message).toContain(`(${shown}`);
  });

  it("reads the Rules section of a JSON template", () => {
    const text = JSON.stringify({
      Parameters: { Env: { Type: "String", Default: "test" } },
      Rules: { Check: { Assertions: [{ Assert: { "Fn::Equals": [{ Ref: "Env" }, "prod"] }, AssertDescription: "prod only" }] } },
      Resources: { Topic: { Type: "AWS::SNS::Topic" } },
    }, null, 2);
    const notes = loadTemplate("t.json", "/abs/t.json", text).diagnostics;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ notice: "cfn-rule-assertion" });
  });
});

describe("rule function tags are accepted only in rule expressions", () => {
  const inRule = withRule("!Not [!Contains [[a], !Ref Env]]", "!EachMemberIn [!Ref Subnets, [subnet-1, subnet-2]]");
  it("reads them in RuleCondition and Assert", () => {
    const parsed = loadTemplate("t.yaml", "/abs/t.yaml", inRule);
    expect(parsed.diagnostics).toEqual([]);
  });

  const misplaced: [name: string, text: string, line: number][] = [
    ["in a resource's Properties", "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !Contains [[a], b]\n", 5],
    ["in a rule's AssertDescription", "Rules:\n  R:\n    Assertions:\n      - Assert: !Equals [a, a]\n        AssertDescription: !ValueOf [a, b]\nResources:\n  T:\n    Type: AWS::SNS::Topic\n", 5],
    ["in Conditions", "Conditions:\n  C: !Contains [[a], b]\nResources:\n  T:\n    Type: AWS::SNS::Topic\n", 2],
  ];
  it.each(misplaced)("reports them %s", (_name, text, line) => {
    const parsed = loadTemplate("t.yaml", "/abs/t.yaml", text);
    expect(parsed.diagnostics).toHaveLength(1);
    expect(parsed.diagnostics[0]).toMatchObject({ line });
    expect(parsed.diagnostics[0]!.notice).toBeUndefined();
    expect(parsed.diagnostics[0]!.message).toMatch(/is a rule function: CloudFormation accepts it only in a rule's RuleCondition or Assert/);
  });
});
