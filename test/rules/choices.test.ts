// Rules over the possible values of an undecided list (S7): inline ingress rules under an
// Fn::If whose condition cannot be decided. Each row is written once in long form and linted
// as YAML and as JSON; a finding points at the line of the entry that decides it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Finding } from "../../src/findings/finding.js";
import { lint, lintText } from "../../src/pipeline/lint.js";
import { builtinRules } from "../../src/rules/load.js";

const SSH = "sg-no-ssh-from-internet";
const RDP = "sg-no-rdp-from-internet";
const ALL = "sg-no-all-ports-from-internet";
const rules = builtinRules().filter((r) => [SSH, RDP, ALL].includes(r.id));

const HEAD = `
Parameters:
  Svc: {Type: String, AllowedValues: [a, b]}
  Other: {Type: String, AllowedValues: [a, b]}
  Vpc: {Type: String}
Conditions:
  IsA: {"Fn::Equals": [{Ref: Svc}, a]}
  OtherA: {"Fn::Equals": [{Ref: Other}, a]}
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
`;

const rule = (port: number | string, cidr: string) =>
  port === "-1" ? `{IpProtocol: "-1", CidrIp: ${cidr}}` : `{IpProtocol: tcp, FromPort: ${port}, ToPort: ${port}, CidrIp: ${cidr}}`;
const WORLD = "0.0.0.0/0";
const IMPORT = `{"Fn::ImportValue": {"Fn::Sub": "\${Vpc}-CidrBlock"}}`;
const choice = (cond: string, a: string, b: string) => `{"Fn::If": [${cond}, ${a}, ${b}]}`;
const list = (...items: string[]) => `[${items.join(", ")}]`;

interface Row {
  name: string;
  ingress: string;
  /** `rule kind propertyPath`, sorted. */
  expect: string[];
}

const COND = "condition IsA cannot be decided: parameter Svc has no default and no value was given";

const TABLE: Row[] = [
  { name: "known ports decide entries whose source is an import", ingress: choice("IsA", list(rule(25, IMPORT)), list(rule(443, IMPORT))), expect: [] },
  {
    name: "SSH open in one branch only: one review per rule, at that entry",
    ingress: choice("IsA", list(rule(443, WORLD), rule(22, WORLD)), list(rule(443, WORLD))),
    expect: [`${SSH} review Properties.SecurityGroupIngress.Fn::If[1][1].CidrIp`],
  },
  {
    name: "SSH open in every branch fails; all ports in one branch is a review",
    ingress: choice("IsA", list(rule(22, WORLD)), list(rule(443, "10.0.0.0/8"), rule("-1", WORLD))),
    expect: [
      `${ALL} review Properties.SecurityGroupIngress.Fn::If[2][1].CidrIp`,
      `${RDP} review Properties.SecurityGroupIngress.Fn::If[2][1].CidrIp`,
      `${SSH} fail Properties.SecurityGroupIngress.Fn::If[1][0].CidrIp`,
    ],
  },
  {
    name: "nested conditions: one choice of three lists, none opens SSH",
    ingress: choice("IsA", choice("OtherA", list(rule(25, IMPORT), rule(465, IMPORT)), list(rule(443, IMPORT))), list(rule(443, "10.0.0.0/8"))),
    expect: [],
  },
  {
    name: "nested conditions: SSH in every one of the three lists fails",
    ingress: choice("IsA", choice("OtherA", list(rule(22, WORLD)), list(rule(443, WORLD), rule(22, WORLD))), list(rule(22, WORLD))),
    expect: [`${SSH} fail Properties.SecurityGroupIngress.Fn::If[1].Fn::If[1][0].CidrIp`],
  },
  {
    name: "an item under Fn::If that may be removed is a review when it opens SSH",
    ingress: list(rule(443, WORLD), choice("IsA", rule(22, WORLD), `{Ref: "AWS::NoValue"}`)),
    expect: [`${SSH} review Properties.SecurityGroupIngress[1].Fn::If[1].CidrIp`],
  },
  {
    name: "an item under Fn::If whose two values both open RDP fails",
    ingress: list(choice("IsA", rule(3389, WORLD), rule(3389, "::/0"))),
    expect: [`${RDP} fail Properties.SecurityGroupIngress[0].Fn::If[1].CidrIp`],
  },
  {
    name: "a conditional item inside a branch is not a sure failure of that branch",
    ingress: choice("IsA", list(choice("OtherA", rule(22, WORLD), `{Ref: "AWS::NoValue"}`)), list(rule(22, WORLD))),
    expect: [`${SSH} review Properties.SecurityGroupIngress.Fn::If[1][0].Fn::If[1].CidrIp`],
  },
  {
    name: "SSH from unknown sources in both branches: one review naming both unknowns",
    ingress: choice("IsA", list(rule(22, "{Ref: Vpc}")), list(rule(22, IMPORT))),
    expect: [`${SSH} review Properties.SecurityGroupIngress.Fn::If[1][0].CidrIp`],
  },
];

function lintAs(ext: "yaml" | "json", ingress: string): Finding[] {
  const yamlText = `${HEAD}      SecurityGroupIngress: ${ingress}\n`;
  const text = ext === "yaml" ? yamlText : JSON.stringify(parse(yamlText), null, 2);
  const file = { path: `template.${ext}`, absolutePath: `/table/template.${ext}`, explicit: true };
  const findings = lintText(file, text, { rules }).findings;
  for (const f of findings) {
    expect(f.ruleId).not.toBe("parse-error");
    // Every finding points at the line of the property it names, in the branch where it is written.
    expect(text.split("\n")[f.position.line - 1]).toContain("CidrIp");
  }
  return findings;
}

describe.each(["yaml", "json"] as const)("rules over the branches of an undecided Fn::If (%s)", (ext) => {
  it.each(TABLE)("$name", ({ ingress, expect: expected }) => {
    const findings = lintAs(ext, ingress);
    expect(findings.map((f) => `${f.ruleId} ${f.kind} ${f.propertyPath}`).sort()).toEqual(expected);
  });

  it("gives a review the reason that keeps it open: the condition when one branch fails, else each unknown source", () => {
    const oneBranch = lintAs(ext, TABLE[1]!.ingress);
    expect(oneBranch.map((f) => f.reason)).toEqual([COND]);
    const sources = lintAs(ext, TABLE[8]!.ingress);
    expect(sources.map((f) => f.reason)).toEqual([
      "parameter Vpc has no default and no value was given; Fn::ImportValue ${Vpc}-CidrBlock comes from another stack's export",
    ]);
  });

  it("fingerprints a review by the undecided list, not by the entry it points at", () => {
    const a = lintAs(ext, choice("IsA", list(rule(22, WORLD)), list(rule(443, WORLD))));
    const b = lintAs(ext, choice("IsA", list(rule(443, WORLD)), list(rule(80, WORLD), rule(22, WORLD))));
    expect(a.map((f) => f.fingerprint)).toEqual(b.map((f) => f.fingerprint));
    expect(a[0]!.propertyPath).not.toBe(b[0]!.propertyPath);
  });
});

it("reads the short form !If the same way, and a decided condition keeps only its branch", () => {
  const file = { path: "template.yaml", absolutePath: "/table/template.yaml", explicit: true };
  const text = (svc: string) => `
Parameters:
  Svc: {Type: String, AllowedValues: [a, b]${svc}}
Conditions:
  IsA: !Equals [!Ref Svc, a]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress: !If
        - IsA
        - - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
        - - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
`;
  const view = (t: string) => lintText(file, t, { rules }).findings.map((f) => `${f.ruleId} ${f.kind} ${f.propertyPath}`);
  expect(view(text(""))).toEqual([`${SSH} review Properties.SecurityGroupIngress.Fn::If[1][0].CidrIp`]);
  expect(lintText(file, text(""), { rules }).findings[0]!.position.line).toBe(13);
  expect(view(text(", Default: a"))).toEqual([`${SSH} fail Properties.SecurityGroupIngress[0].CidrIp`]);
  expect(view(text(", Default: b"))).toEqual([]);
});

describe("Terraform: ingress written as a conditional list attribute", () => {
  const entry = (port: number) =>
    `{ from_port = ${port}, to_port = ${port}, protocol = "tcp", cidr_blocks = ["0.0.0.0/0"], ipv6_cidr_blocks = [], prefix_list_ids = [], security_groups = [], self = false, description = "" }`;
  const hcl = (a: number[], b: number[]) => `variable "smtp" { type = bool }
resource "aws_security_group" "sg" {
  name    = "sg"
  ingress = var.smtp ? [${a.map(entry).join(", ")}] : [${b.map(entry).join(", ")}]
}
`;
  it.each<[string, number[], number[], string[]]>([
    ["no branch opens SSH", [25], [443], []],
    ["one branch opens SSH: one review at the attribute", [22], [443], [`${SSH} review ingress 4`]],
    ["both branches open SSH", [22], [443, 22], [`${SSH} fail ingress 4`]],
  ])("%s", async (_name, a, b, expected) => {
    const dir = mkdtempSync(join(tmpdir(), "parapet-choices-"));
    try {
      writeFileSync(join(dir, "main.tf"), hcl(a, b));
      const { findings } = await lint({ paths: ["."], cwd: dir, rules, terraform: { sources: [], env: {} } });
      expect(findings.map((f) => `${f.ruleId} ${f.kind} ${f.propertyPath} ${f.position.line}`)).toEqual(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
