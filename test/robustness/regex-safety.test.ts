// Patterns in rules (`matches`) that could stall a scan on crafted input are refused when
// the rule is loaded, with the file, line and key; safe patterns load.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { BUILTIN_RULES_DIR, loadRuleDir, loadRuleFile } from "../../src/rules/load.js";
import { regexRisk } from "../../src/source/regex-safety.js";

describe("regexRisk", () => {
  it.each([
    ["(a+)+$", "exponential"],
    ["^(\\w+\\s?)*$", "exponential"],
    ["^(a|ab)*c", "exponential"],
    ["^(\\d|\\w)+$", "exponential"],
    ["^(x|)*y", "exponential"],
    ["^(a*)*$", "exponential"],
    ["^\\s*\\s*x", "polynomial"],
    ["^\\d+\\w*$", "polynomial"],
    [".*=.*", "quadratic"],
    ["[a-z]+@example", "quadratic"],
    ["^(?:[A-Z]|[a-z])+$", undefined],
    ["^(\\.\\d+)*$", undefined],
    ["^(\\d{3})+$", undefined],
    ["^[a-z]+@[a-z]+\\.[a-z]+$", undefined],
    ["(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])", undefined],
    ["password\\s*[:=]\\s*\\S+", undefined],
    ["^arn:aws[a-z-]*:iam::aws:policy/AdministratorAccess$", undefined],
  ])("%s → %s", (pattern, kind) => {
    const risk = regexRisk(pattern, "u");
    if (kind === undefined) expect(risk).toBeUndefined();
    else expect(risk).toContain(kind);
  });

  it("a refused shape really backtracks: (a+)+$ slows down sharply as the input grows, the check is instant", () => {
    const time = (n: number) => {
      const started = process.hrtime.bigint();
      /(a+)+$/u.test("a".repeat(n) + "!");
      return Number(process.hrtime.bigint() - started);
    };
    time(10);
    // Each extra character doubles the work: 8 more characters, far more than 8 times the time.
    expect(time(22)).toBeGreaterThan(20 * time(14));
  });

  it("accepts every built-in rule's patterns", () => {
    expect(loadRuleDir(BUILTIN_RULES_DIR).length).toBeGreaterThan(20);
  });
});

describe("loading a rule with a dangerous pattern", () => {
  const rule = (matches: string) => `id: tag-pattern
title: Volumes carry a well-formed owner tag
severity: low
category: data-protection
description: Every volume has an owner tag in the agreed format.
rationale: Owners are needed to route findings to the team that can fix them.
remediation: Add an Owner tag of the form team-name.
message: "{address} has no well-formed Owner tag"
applies_to: [AWS::EC2::Volume]
assert:
  all:
    - attr: Tags.0.Value
      matches: ${JSON.stringify(matches)}
examples:
  - name: untagged
    format: cloudformation
    expect: fail
    file: t.yaml
    findings: [{ address: V, line: 2 }]
    template: |
      Resources:
        V: { Type: AWS::EC2::Volume, Properties: { Size: 1 } }
  - name: tagged
    format: cloudformation
    expect: pass
    file: t.yaml
    template: |
      Resources:
        V: { Type: AWS::EC2::Volume, Properties: { Size: 1, Tags: [{ Key: Owner, Value: web }] } }
`;
  const write = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), "parapet-regex-"));
    writeFileSync(join(dir, "tag-pattern.yaml"), text);
    return join(dir, "tag-pattern.yaml");
  };

  it("is a usage error naming file, line, column and key", () => {
    const path = write(rule("^([a-z]+-?)+$"));
    let error: unknown;
    try {
      loadRuleFile(path, "rules/tag-pattern.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      'rules/tag-pattern.yaml:13:7: invalid rule: assert.all.0.matches: the pattern "^([a-z]+-?)+$" could stall the scan: ' +
        "a repeated group contains a repetition that can also start its next round (as in (a+)+ or (\\w+\\s?)*), which takes exponential time",
    );
  });

  it("a safe pattern loads", () => {
    expect(loadRuleFile(write(rule("^[a-z]+(-[a-z]+)*$")), "r.yaml").id).toBe("tag-pattern");
  });
});
