/** A hand-built lint result for the reporter tests: fail, review, suppressed and parse-error findings in several files. */
import type { Finding } from "../../src/findings/finding.js";
import type { LintResult } from "../../src/reporters/report.js";
import type { Rule } from "../../src/model/rule.js";

export const WEB_TEMPLATE = [
  "AWSTemplateFormatVersion: '2010-09-09'",
  "Resources:",
  "  WebSecurityGroup:",
  "    Type: AWS::EC2::SecurityGroup",
  "    Properties:",
  "      GroupDescription: web",
  "      SecurityGroupIngress:",
  "        - IpProtocol: tcp",
  "          FromPort: 22",
  "          ToPort: 22",
  "          CidrIp: 0.0.0.0/0",
  "  DataVolume:",
  "    Type: AWS::EC2::Volume",
  "    Properties:",
  "      Size: 10",
  "      Encrypted: !Ref EncryptVolumes",
  "",
].join("\n");

export const MAIN_TF = [
  'resource "aws_instance" "web" {',
  '  ami           = "ami-12345678"',
  '  instance_type = "t3.micro"',
  "}",
  "",
].join("\r\n");

export const BROKEN_TEMPLATE = ["Resources:", "  Bad: [unclosed", ""].join("\n");

function rule(id: string, overrides: Partial<Rule>): Rule {
  return {
    id,
    title: `Title of ${id}`,
    severity: "high",
    category: "infrastructure-protection",
    description: `Description of ${id}.`,
    rationale: `Rationale of ${id}.`,
    remediation: `Remediation of ${id}.`,
    message: "{address} violates the rule",
    applies_to: ["aws.ec2.sg_rule"],
    assert: { all: [] },
    examples: [],
    ...overrides,
  };
}

export const SSH_RULE = rule("sg-no-ssh-from-internet", {
  title: "Security groups do not allow SSH from the internet",
  compliance: { "cis-aws-foundations": ["5.2"] },
  help_uri: "https://example.org/rules/sg-no-ssh-from-internet",
});
export const EBS_RULE = rule("ebs-volume-encrypted", {
  title: "EBS volumes are encrypted",
  severity: "medium",
  category: "data-protection",
  applies_to: ["aws.ebs.volume"],
});
export const PROFILE_RULE = rule("ec2-instance-profile-attached", {
  title: "EC2 instances have an instance profile",
  severity: "medium",
  category: "identity-and-access-management",
  applies_to: ["aws.ec2.instance"],
});
export const TRAIL_RULE = rule("cloudtrail-multi-region", {
  title: "CloudTrail logs all regions",
  severity: "low",
  category: "detection",
  applies_to: ["aws.cloudtrail.trail"],
});

function finding(overrides: Partial<Finding> & Pick<Finding, "ruleId" | "file" | "address">): Finding {
  return {
    severity: "high",
    kind: "fail",
    message: `${overrides.address} violates ${overrides.ruleId}`,
    position: { line: 1, column: 1, endLine: 1, endColumn: 2 },
    fingerprint: `${overrides.ruleId}|${overrides.address}|${overrides.propertyPath ?? ""}`,
    ...overrides,
  };
}

export const SSH_FINDING = finding({
  ruleId: "sg-no-ssh-from-internet",
  file: "templates/web.yaml",
  address: "WebSecurityGroup",
  message: "Security group WebSecurityGroup allows SSH (22) from 0.0.0.0/0",
  position: { line: 11, column: 11, endLine: 11, endColumn: 28 },
  propertyPath: "Properties.SecurityGroupIngress[0].CidrIp",
  resourceType: "AWS::EC2::SecurityGroup",
  format: "cloudformation",
});

export const EBS_REVIEW = finding({
  ruleId: "ebs-volume-encrypted",
  severity: "medium",
  kind: "review",
  file: "templates/web.yaml",
  address: "DataVolume",
  message: "Volume DataVolume may be unencrypted",
  reason: "parameter EncryptVolumes has no default",
  position: { line: 16, column: 7, endLine: 16, endColumn: 39 },
  propertyPath: "Properties.Encrypted",
  resourceType: "AWS::EC2::Volume",
  format: "cloudformation",
});

export const PROFILE_FINDING = finding({
  ruleId: "ec2-instance-profile-attached",
  severity: "medium",
  file: "infra/main.tf",
  address: "aws_instance.web",
  message: "Instance aws_instance.web has no IAM instance profile",
  position: { line: 1, column: 1, endLine: 4, endColumn: 2 },
  resourceType: "aws_instance",
  format: "terraform",
});

export const SUPPRESSED_FINDING = finding({
  ruleId: "cloudtrail-multi-region",
  severity: "low",
  file: "infra/main.tf",
  address: "module.audit.aws_cloudtrail.this",
  message: "Trail module.audit.aws_cloudtrail.this logs one region only",
  position: { line: 2, column: 3, endLine: 2, endColumn: 33 },
  format: "terraform",
  suppressions: [{ kind: "inSource", justification: "Single-region account by design" }],
});

export const PARSE_ERROR_FINDING = finding({
  ruleId: "parse-error",
  file: "templates/broken.yaml",
  address: "",
  message: "Flow sequence in block collection must be sufficiently indented\nand end with a ]",
  position: { line: 2, column: 8, endLine: 2, endColumn: 17 },
  fingerprint: "parse-error||",
});

export const SOURCES: Record<string, string> = {
  "templates/web.yaml": WEB_TEMPLATE,
  "infra/main.tf": MAIN_TF,
  "templates/broken.yaml": BROKEN_TEMPLATE,
};

export function sampleResult(overrides: Partial<LintResult> = {}): LintResult {
  return {
    findings: [PROFILE_FINDING, SUPPRESSED_FINDING, PARSE_ERROR_FINDING, SSH_FINDING, EBS_REVIEW],
    rules: [SSH_RULE, EBS_RULE, PROFILE_RULE, TRAIL_RULE],
    files: ["infra/main.tf", "templates/broken.yaml", "templates/web.yaml", "templates/clean.yaml"],
    notes: ["skipped templates/notes.txt: not a template"],
    version: "0.1.0",
    ...overrides,
  };
}

export function readSample(file: string): string | undefined {
  return SOURCES[file];
}

/** A rule of the same problem group as {@link GROUPED_SSH_RULE}, more severe. */
export const ALL_PORTS_RULE = rule("sg-no-all-ports-from-internet", {
  title: "Security groups do not open every port to the internet",
  severity: "critical",
  problem_group: "sg-open-to-internet",
});
export const GROUPED_SSH_RULE: Rule = { ...SSH_RULE, problem_group: "sg-open-to-internet" };

/** The every-port finding on the same security-group rule as {@link SSH_FINDING}. */
export const ALL_PORTS_FINDING = finding({
  ...SSH_FINDING,
  ruleId: "sg-no-all-ports-from-internet",
  severity: "critical",
  message: "Security group WebSecurityGroup allows every port from 0.0.0.0/0",
  fingerprint: "sg-no-all-ports-from-internet|WebSecurityGroup|Properties.SecurityGroupIngress[0].CidrIp",
});

/** {@link sampleResult} where the SSH finding and an every-port finding are one problem. */
export function groupedResult(overrides: Partial<LintResult> = {}): LintResult {
  const base = sampleResult();
  return sampleResult({
    findings: [...base.findings, ALL_PORTS_FINDING],
    rules: [GROUPED_SSH_RULE, ALL_PORTS_RULE, ...base.rules.filter((r) => r.id !== SSH_RULE.id)],
    ...overrides,
  });
}
