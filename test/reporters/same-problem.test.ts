// Findings of one problem: which findings share an entry, and how each format shows them.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/findings/finding.js";
import { formatCompact } from "../../src/reporters/compact.js";
import { formatGithub } from "../../src/reporters/github.js";
import { formatJson } from "../../src/reporters/json.js";
import { formatMarkdown } from "../../src/reporters/markdown.js";
import { groupSameProblem } from "../../src/reporters/same-problem.js";
import { formatSarif } from "../../src/reporters/sarif.js";
import { formatText } from "../../src/reporters/text.js";
import type { Rule } from "../../src/model/rule.js";
import { compileSarifSchema } from "./sarif-schema.js";
import { ALL_PORTS_FINDING, ALL_PORTS_RULE, EBS_RULE, GROUPED_SSH_RULE, groupedResult, SSH_FINDING } from "./sample-result.js";

const RDP_RULE: Rule = { ...GROUPED_SSH_RULE, id: "sg-no-rdp-from-internet", severity: "high" };
const rdp = (overrides: Partial<Finding> = {}): Finding => ({ ...SSH_FINDING, ruleId: RDP_RULE.id, fingerprint: `rdp|${overrides.propertyPath ?? "p"}`, ...overrides });
const RULES = [GROUPED_SSH_RULE, ALL_PORTS_RULE, RDP_RULE, EBS_RULE];

describe("groupSameProblem", () => {
  const shape = (findings: Finding[], rules = RULES) => groupSameProblem(findings, rules).map((e) => [e.lead.ruleId, ...e.others.map((o) => o.ruleId)]);

  it.each<[string, Finding[], string[][]]>([
    ["rules of one group at one property are one entry, led by the most severe", [SSH_FINDING, ALL_PORTS_FINDING, rdp()], [["sg-no-all-ports-from-internet", "sg-no-ssh-from-internet", "sg-no-rdp-from-internet"]]],
    ["equal severities keep report order", [rdp(), SSH_FINDING], [["sg-no-rdp-from-internet", "sg-no-ssh-from-internet"]]],
    ["another property of the resource is another problem", [SSH_FINDING, rdp({ propertyPath: "Properties.SecurityGroupIngress[1].CidrIp" })], [["sg-no-ssh-from-internet"], ["sg-no-rdp-from-internet"]]],
    ["another resource is another problem", [SSH_FINDING, rdp({ address: "Other" })], [["sg-no-ssh-from-internet"], ["sg-no-rdp-from-internet"]]],
    ["another file is another problem", [SSH_FINDING, rdp({ file: "templates/other.yaml" })], [["sg-no-ssh-from-internet"], ["sg-no-rdp-from-internet"]]],
    ["a review does not hide behind a failure", [SSH_FINDING, rdp({ kind: "review", reason: "port unknown" })], [["sg-no-ssh-from-internet"], ["sg-no-rdp-from-internet"]]],
    ["a suppressed finding stays apart", [SSH_FINDING, rdp({ suppressions: [{ kind: "inSource", justification: "lab" }] })], [["sg-no-ssh-from-internet"], ["sg-no-rdp-from-internet"]]],
    ["without a property, the same position", [{ ...SSH_FINDING, propertyPath: undefined }, rdp({ propertyPath: undefined })], [["sg-no-ssh-from-internet", "sg-no-rdp-from-internet"]]],
    ["without a property, another position", [{ ...SSH_FINDING, propertyPath: undefined }, rdp({ propertyPath: undefined, position: { line: 3, column: 1, endLine: 3, endColumn: 2 } })], [["sg-no-ssh-from-internet"], ["sg-no-rdp-from-internet"]]],
    ["a rule without a group is never merged", [SSH_FINDING, { ...SSH_FINDING, ruleId: EBS_RULE.id, fingerprint: "ebs" }], [["sg-no-ssh-from-internet"], ["ebs-volume-encrypted"]]],
  ])("%s", (_name, findings, entries) => {
    expect(shape(findings)).toEqual(entries);
  });

  it("rules of different groups are not merged", () => {
    const other: Rule = { ...RDP_RULE, problem_group: "another-problem" };
    expect(shape([SSH_FINDING, rdp()], [GROUPED_SSH_RULE, other])).toEqual([["sg-no-ssh-from-internet"], ["sg-no-rdp-from-internet"]]);
  });
});

describe("one problem in each format", () => {
  const result = groupedResult();

  it("text: one line, led by the most severe, naming the other rule; the summary still counts findings", () => {
    const out = formatText(result, { color: false });
    const lines = out.split("\n").filter((l) => l.includes("WebSecurityGroup"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("critical  sg-no-all-ports-from-internet");
    expect(lines[0]).toContain(`${ALL_PORTS_FINDING.message} (also: sg-no-ssh-from-internet)`);
    expect(out).toContain("4 failures (1 critical, 2 high, 1 medium), 1 to review, shown as 4 entries, 1 suppressed in 4 files");
  });

  it("text: no entry count when nothing is merged", () => {
    const single = groupedResult({ findings: groupedResult().findings.filter((f) => f !== ALL_PORTS_FINDING) });
    expect(formatText(single, { color: false })).toContain("3 failures (2 high, 1 medium), 1 to review, 1 suppressed in 4 files");
  });

  it("compact: one line per problem", () => {
    const lines = formatCompact(result, { color: false }).split("\n").filter((l) => l.includes("WebSecurityGroup"));
    expect(lines).toEqual([`templates/web.yaml:11:11: critical: ${ALL_PORTS_FINDING.message} (also: sg-no-ssh-from-internet) [sg-no-all-ports-from-internet]`]);
  });

  it("github: one annotation per problem", () => {
    const lines = formatGithub(result, { color: false }).split("\n").filter((l) => l.includes("templates/web.yaml,line=11"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^::error .*title=sg-no-all-ports-from-internet%3A .*::.* \(also: sg-no-ssh-from-internet\)$/);
  });

  it("markdown: one row per problem", () => {
    const rows = formatMarkdown(result, { color: false }).split("\n").filter((l) => l.includes("WebSecurityGroup"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^\| critical \| sg-no-all-ports-from-internet \| WebSecurityGroup \|.*\(also: sg-no-ssh-from-internet\) \|$/);
  });

  it("json: every finding stays, each names the others of its problem", () => {
    const doc = JSON.parse(formatJson(result, { color: false }));
    const byRule = (id: string) => doc.findings.find((f: { ruleId: string; address: string }) => f.ruleId === id && f.address === "WebSecurityGroup");
    expect(byRule("sg-no-all-ports-from-internet").sameProblem).toEqual({ lead: true, others: [{ ruleId: "sg-no-ssh-from-internet", fingerprint: SSH_FINDING.fingerprint }] });
    expect(byRule("sg-no-ssh-from-internet").sameProblem).toEqual({ lead: false, others: [{ ruleId: "sg-no-all-ports-from-internet", fingerprint: ALL_PORTS_FINDING.fingerprint }] });
    expect(doc.findings.filter((f: { sameProblem: unknown }) => f.sameProblem === null)).toHaveLength(doc.findings.length - 2);
    expect(doc.summary.findings).toBe(result.findings.length);
  });

  it("sarif: every result stays, linked both ways with relatedLocations the message points at, and the log is valid", () => {
    const log = JSON.parse(formatSarif(result, { color: false }));
    const results = log.runs[0].results as { ruleId: string; message: { text: string }; relatedLocations?: { id: number; message: { text: string }; properties: Record<string, string> }[] }[];
    expect(results).toHaveLength(result.findings.length);
    const lead = results.find((r) => r.ruleId === "sg-no-all-ports-from-internet")!;
    const other = results.find((r) => r.ruleId === "sg-no-ssh-from-internet" && r.relatedLocations)!;
    expect(lead.message.text).toBe(`${ALL_PORTS_FINDING.message}. Also reported by [sg-no-ssh-from-internet](0).`);
    expect(lead.relatedLocations).toEqual([
      expect.objectContaining({ id: 0, properties: { ruleId: "sg-no-ssh-from-internet", fingerprint: SSH_FINDING.fingerprint } }),
    ]);
    expect(other.message.text).toBe(`${SSH_FINDING.message}. Part of the problem reported by [sg-no-all-ports-from-internet](0).`);
    expect(other.relatedLocations![0]!.properties.fingerprint).toBe(ALL_PORTS_FINDING.fingerprint);
    const validate = compileSarifSchema();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });
});
