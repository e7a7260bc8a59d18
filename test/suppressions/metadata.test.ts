// Suppressions written in a resource's Metadata (CloudFormation, and CDK through addMetadata).
import { describe, expect, it } from "vitest";
import { lintText } from "../../src/pipeline/lint.js";
import { builtinRules } from "../../src/rules/load.js";
import { applySuppressions, metadataSuppressions } from "../../src/suppressions/suppression.js";
import type { Finding } from "../../src/findings/finding.js";

function template(suppress: string): string {
  return [
    "Resources:",
    "  Bastion:",
    "    Type: AWS::EC2::SecurityGroup",
    "    Metadata:",
    "      parapet:",
    "        suppress:",
    suppress,
    "    Properties:",
    "      GroupDescription: bastion",
    "      SecurityGroupIngress:",
    "        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }",
    "",
  ].join("\n");
}

function lintSsh(text: string) {
  const rules = builtinRules().filter((r) => r.id === "sg-no-ssh-from-internet");
  return lintText({ path: "t.yaml", absolutePath: "/t.yaml", explicit: true }, text, { rules }).findings;
}

describe("Metadata suppressions", () => {
  it("a suppression with a reason keeps the finding, marked as suppressed with its justification", () => {
    const [f] = lintSsh(template("          - { rule: sg-no-ssh-from-internet, reason: reachable from the office VPN only }"));
    expect(f).toMatchObject({ ruleId: "sg-no-ssh-from-internet", suppressions: [{ kind: "inSource", justification: "reachable from the office VPN only" }] });
  });

  it("a suppression of another rule does not apply", () => {
    const [f] = lintSsh(template("          - { rule: ebs-encrypted, reason: n/a }"));
    expect(f!.suppressions).toBeUndefined();
  });

  it("a suppression without a reason is ignored, and the finding says so", () => {
    const [f] = lintSsh(template("          - { rule: sg-no-ssh-from-internet }"));
    expect(f!.suppressions).toBeUndefined();
    expect(f!.message).toContain("its suppression is ignored: it gives no reason");
  });

  it("an expired suppression brings the finding back with a note", () => {
    const [f] = lintSsh(template("          - { rule: sg-no-ssh-from-internet, reason: temporary, until: 2020-01-31 }"));
    expect(f!.suppressions).toBeUndefined();
    expect(f!.message).toContain("its suppression expired on 2020-01-31");
  });

  it("until holds through its last day", () => {
    const finding = { ruleId: "r", message: "m", file: "f", address: "a" } as Finding;
    const spec = [{ rule: "r", reason: "ok", until: "2026-11-28" }];
    expect(applySuppressions([finding], () => spec, new Date("2026-11-28T23:00:00Z"))[0]!.suppressions).toHaveLength(1);
    expect(applySuppressions([finding], () => spec, new Date("2026-11-29T01:00:00Z"))[0]!.suppressions).toBeUndefined();
  });

  it("reads only well-formed entries", () => {
    expect(metadataSuppressions({ parapet: { suppress: [{ rule: "a", reason: " r " }, { reason: "no rule" }, "x"] } })).toEqual([{ rule: "a", reason: "r" }]);
    expect(metadataSuppressions({ cfn_nag: {} })).toEqual([]);
    expect(metadataSuppressions(undefined)).toEqual([]);
  });
});
