// The network rules as tables, in CloudFormation and Terraform: one security-group rule or
// network ACL per row (source, protocol, ports) → the rules that report it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../src/findings/finding.js";
import { lint, lintText } from "../../src/pipeline/lint.js";
import { builtinRules } from "../../src/rules/load.js";

const SG_RULES = ["sg-no-all-ports-from-internet", "sg-no-ssh-from-internet", "sg-no-rdp-from-internet", "sg-restrict-internet-ingress"];
const [ALL, SSH, RDP, OPEN] = SG_RULES as [string, string, string, string];
const rules = builtinRules().filter((r) => [...SG_RULES, "nacl-no-admin-ports-from-internet"].includes(r.id));

/** Rule ids that report each resource address, sorted. */
function verdicts(findings: Finding[]): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const f of findings) {
    expect(f.ruleId).not.toBe("parse-error");
    by.set(f.address, [...(by.get(f.address) ?? []), f.kind === "review" ? `${f.ruleId} (review)` : f.ruleId].sort());
  }
  return by;
}

function lintCloudFormation(resources: string): Map<string, string[]> {
  const file = { path: "template.yaml", absolutePath: "/table/template.yaml", explicit: true };
  return verdicts(lintText(file, `Resources:\n${resources}`, { rules }).findings);
}

async function lintTerraform(hcl: string): Promise<Map<string, string[]>> {
  const dir = mkdtempSync(join(tmpdir(), "parapet-network-"));
  try {
    writeFileSync(join(dir, "main.tf"), hcl);
    return verdicts((await lint({ paths: ["."], cwd: dir, rules, terraform: { sources: [], env: {} } })).findings);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface SgRow {
  name: string;
  protocol: string | number;
  from?: number;
  to?: number;
  v4?: string;
  v6?: string;
  prefixList?: boolean;
  peerGroup?: boolean;
  egress?: boolean;
  expect: string[];
  /** When Terraform differs: the provider rejects a block with bits set past its prefix. */
  terraform?: string[];
}

const SG_TABLE: SgRow[] = [
  { name: "all traffic from 0.0.0.0/0", protocol: -1, v4: "0.0.0.0/0", expect: [ALL, OPEN, RDP, SSH] },
  { name: "all traffic with ports 0-0 from ::/0", protocol: "-1", from: 0, to: 0, v6: "::/0", expect: [ALL, OPEN, RDP, SSH] },
  { name: "SSH from the world", protocol: "tcp", from: 22, to: 22, v4: "0.0.0.0/0", expect: [OPEN, SSH] },
  { name: "a range from SSH to RDP", protocol: "tcp", from: 22, to: 3389, v4: "0.0.0.0/0", expect: [OPEN, RDP, SSH] },
  { name: "every TCP port", protocol: "tcp", from: 0, to: 65535, v4: "0.0.0.0/0", expect: [ALL, OPEN, RDP, SSH] },
  { name: "TCP 1-65535", protocol: "tcp", from: 1, to: 65535, v4: "0.0.0.0/0", expect: [ALL, OPEN, RDP, SSH] },
  { name: "every UDP port", protocol: "udp", from: 0, to: 65535, v4: "0.0.0.0/0", expect: [ALL, OPEN] },
  { name: "TCP ports -1", protocol: "tcp", from: -1, to: -1, v4: "0.0.0.0/0", expect: [ALL, OPEN, RDP, SSH] },
  { name: "RDP by protocol number from a /0 with host bits", protocol: 6, from: 3389, to: 3389, v4: "192.168.1.0/0", expect: [OPEN, RDP], terraform: [] },
  { name: "SSH from half the internet", protocol: "tcp", from: 22, to: 22, v4: "0.0.0.0/1", expect: [OPEN, SSH] },
  { name: "SSH from the other half", protocol: "tcp", from: 22, to: 22, v4: "128.0.0.0/1", expect: [OPEN, SSH] },
  { name: "SSH from ::/0 spelled 0::0/0", protocol: "tcp", from: 22, to: 22, v6: "0::0/0", expect: [OPEN, SSH] },
  { name: "SSH from all of IPv6 global unicast", protocol: "tcp", from: 22, to: 22, v6: "2000::/3", expect: [OPEN, SSH] },
  { name: "SSH from a private /8", protocol: "tcp", from: 22, to: 22, v4: "10.0.0.0/8", expect: [] },
  { name: "SSH from an office", protocol: "tcp", from: 22, to: 22, v4: "203.0.113.0/24", expect: [] },
  { name: "SSH from an invalid block", protocol: "tcp", from: 22, to: 22, v4: "0.0.0.0/33", expect: [] },
  { name: "HTTPS from the world", protocol: "tcp", from: 443, to: 443, v4: "0.0.0.0/0", expect: [] },
  { name: "80 to 443 from the world", protocol: "tcp", from: 80, to: 443, v4: "0.0.0.0/0", expect: [OPEN] },
  { name: "UDP 443 from the world", protocol: "udp", from: 443, to: 443, v4: "0.0.0.0/0", expect: [OPEN] },
  { name: "ICMP from the world", protocol: "icmp", from: -1, to: -1, v4: "0.0.0.0/0", expect: [] },
  { name: "ICMPv6 by number from the world", protocol: 58, from: -1, to: -1, v6: "::/0", expect: [] },
  { name: "ESP (protocol 50) from the world", protocol: 50, v4: "0.0.0.0/0", expect: [OPEN] },
  { name: "SSH from a prefix list", protocol: "tcp", from: 22, to: 22, prefixList: true, expect: [] },
  { name: "SSH from another security group", protocol: "tcp", from: 22, to: 22, peerGroup: true, expect: [] },
  { name: "all traffic out to the world", protocol: -1, v4: "0.0.0.0/0", egress: true, expect: [] },
];

const resourceName = (i: number) => `Rule${i}`;

function cfnResource(row: SgRow, i: number): string {
  const props: string[] = ["GroupId: sg-0123456789abcdef0", `IpProtocol: ${JSON.stringify(row.protocol)}`];
  if (row.from !== undefined) props.push(`FromPort: ${row.from}`);
  if (row.to !== undefined) props.push(`ToPort: ${row.to}`);
  const peer = row.egress ? "Destination" : "Source";
  if (row.v4) props.push(`CidrIp: ${JSON.stringify(row.v4)}`);
  if (row.v6) props.push(`CidrIpv6: ${JSON.stringify(row.v6)}`);
  if (row.prefixList) props.push(`${peer}PrefixListId: pl-0123456789abcdef0`);
  if (row.peerGroup) props.push(`${row.egress ? "DestinationSecurityGroupId" : "SourceSecurityGroupId"}: sg-0fedcba9876543210`);
  const type = row.egress ? "AWS::EC2::SecurityGroupEgress" : "AWS::EC2::SecurityGroupIngress";
  return `  ${resourceName(i)}:\n    Type: ${type}\n    Properties:\n${props.map((p) => `      ${p}`).join("\n")}\n`;
}

function tfResource(row: SgRow, i: number): string {
  const args = [
    `type = "${row.egress ? "egress" : "ingress"}"`,
    `security_group_id = "sg-0123456789abcdef0"`,
    `protocol = "${row.protocol}"`,
    `from_port = ${row.from ?? 0}`,
    `to_port = ${row.to ?? 0}`,
  ];
  if (row.v4) args.push(`cidr_blocks = ["${row.v4}"]`);
  if (row.v6) args.push(`ipv6_cidr_blocks = ["${row.v6}"]`);
  if (row.prefixList) args.push(`prefix_list_ids = ["pl-0123456789abcdef0"]`);
  if (row.peerGroup) args.push(`source_security_group_id = "sg-0fedcba9876543210"`);
  return `resource "aws_security_group_rule" "${resourceName(i)}" {\n${args.map((a) => `  ${a}`).join("\n")}\n}\n`;
}

/** The same rows as `aws_vpc_security_group_ingress_rule` (one block per rule; -1 takes no ports). */
function tfVpcRuleResource(row: SgRow, i: number): string {
  const args = [`security_group_id = "sg-0123456789abcdef0"`, `ip_protocol = "${row.protocol}"`];
  if (String(row.protocol) !== "-1" && row.from !== undefined) args.push(`from_port = ${row.from}`, `to_port = ${row.to}`);
  if (row.v4) args.push(`cidr_ipv4 = "${row.v4}"`);
  if (row.v6) args.push(`cidr_ipv6 = "${row.v6}"`);
  if (row.prefixList) args.push(`prefix_list_id = "pl-0123456789abcdef0"`);
  if (row.peerGroup) args.push(`referenced_security_group_id = "sg-0fedcba9876543210"`);
  const type = row.egress ? "aws_vpc_security_group_egress_rule" : "aws_vpc_security_group_ingress_rule";
  return `resource "${type}" "${resourceName(i)}" {\n${args.map((a) => `  ${a}`).join("\n")}\n}\n`;
}

describe("security-group rules from the internet", () => {
  let cfn: Map<string, string[]>;
  let tf: Map<string, string[]>;
  let tfVpc: Map<string, string[]>;
  beforeAll(async () => {
    cfn = lintCloudFormation(SG_TABLE.map(cfnResource).join(""));
    tf = await lintTerraform(SG_TABLE.map(tfResource).join("\n"));
    tfVpc = await lintTerraform(SG_TABLE.map(tfVpcRuleResource).join("\n"));
  });

  it.each(SG_TABLE.map((row, i) => [row.name, i, row] as const))("%s", (_name, i, row) => {
    expect(cfn.get(resourceName(i)) ?? [], "CloudFormation").toEqual([...row.expect].sort());
    const expected = [...(row.terraform ?? row.expect)].sort();
    expect(tf.get(`aws_security_group_rule.${resourceName(i)}`) ?? [], "aws_security_group_rule").toEqual(expected);
    const vpcType = row.egress ? "aws_vpc_security_group_egress_rule" : "aws_vpc_security_group_ingress_rule";
    expect(tfVpc.get(`${vpcType}.${resourceName(i)}`) ?? [], vpcType).toEqual(expected);
  });
});

const NACL = "nacl-no-admin-ports-from-internet";

interface AclEntry {
  number: number;
  action: "allow" | "deny";
  protocol: number;
  from?: number;
  to?: number;
  v4?: string;
  v6?: string;
  egress?: boolean;
}

interface AclRow {
  name: string;
  entries: AclEntry[];
  /** Indexes of the entries that are reported. */
  reported: number[];
}

const allow = (e: Partial<AclEntry>): AclEntry => ({ number: 100, action: "allow", protocol: 6, from: 22, to: 22, v4: "0.0.0.0/0", ...e });
const deny = (e: Partial<AclEntry>): AclEntry => ({ ...allow(e), action: "deny", number: e.number ?? 90 });

const ACL_TABLE: AclRow[] = [
  { name: "SSH allowed from the world", entries: [allow({})], reported: [0] },
  { name: "RDP in a range, over IPv6", entries: [allow({ from: 3000, to: 4000, v4: undefined, v6: "::/0" })], reported: [0] },
  { name: "all protocols: the port range is ignored", entries: [allow({ protocol: -1, from: 443, to: 443 })], reported: [0] },
  { name: "UDP 22 is not SSH", entries: [allow({ protocol: 17 })], reported: [] },
  { name: "an office range", entries: [allow({ v4: "198.51.100.0/24" })], reported: [] },
  { name: "half the internet", entries: [allow({ v4: "128.0.0.0/1" })], reported: [0] },
  { name: "outbound SSH", entries: [allow({ egress: true })], reported: [] },
  { name: "a lower deny of the port shadows the allow", entries: [deny({}), allow({})], reported: [] },
  { name: "a lower deny of every protocol shadows the allow", entries: [deny({ protocol: -1, from: undefined, to: undefined }), allow({ v4: "0.0.0.0/1" })], reported: [] },
  { name: "a higher deny comes too late", entries: [deny({ number: 110 }), allow({})], reported: [1] },
  { name: "a deny of half the addresses leaves the other half", entries: [deny({ v4: "0.0.0.0/1" }), allow({})], reported: [1] },
  { name: "a deny of another port", entries: [deny({ from: 80, to: 80 }), allow({})], reported: [1] },
  { name: "an IPv4 deny leaves IPv6 open", entries: [deny({}), allow({ v4: undefined, v6: "::/0" })], reported: [1] },
  { name: "an outbound deny does not shadow inbound", entries: [deny({ egress: true }), allow({})], reported: [1] },
];

function cfnAcl(row: AclRow, i: number): string {
  const acl = `  Acl${i}:\n    Type: AWS::EC2::NetworkAcl\n    Properties: { VpcId: vpc-0123456789abcdef0 }\n`;
  const entries = row.entries.map((e, j) => {
    const props = [`NetworkAclId: !Ref Acl${i}`, `RuleNumber: ${e.number}`, `RuleAction: ${e.action}`, `Protocol: ${e.protocol}`, `Egress: ${e.egress ?? false}`];
    if (e.from !== undefined) props.push(`PortRange: { From: ${e.from}, To: ${e.to} }`);
    if (e.v4) props.push(`CidrBlock: ${e.v4}`);
    if (e.v6) props.push(`Ipv6CidrBlock: "${e.v6}"`);
    return `  Acl${i}Entry${j}:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties:\n${props.map((p) => `      ${p}`).join("\n")}\n`;
  });
  return acl + entries.join("");
}

function tfAcl(row: AclRow, i: number): string {
  const acl = `resource "aws_network_acl" "Acl${i}" {\n  vpc_id = "vpc-0123456789abcdef0"\n}\n`;
  const entries = row.entries.map((e, j) => {
    const args = [`network_acl_id = aws_network_acl.Acl${i}.id`, `rule_number = ${e.number}`, `rule_action = "${e.action}"`, `protocol = "${e.protocol}"`, `egress = ${e.egress ?? false}`];
    if (e.from !== undefined) args.push(`from_port = ${e.from}`, `to_port = ${e.to}`);
    if (e.v4) args.push(`cidr_block = "${e.v4}"`);
    if (e.v6) args.push(`ipv6_cidr_block = "${e.v6}"`);
    return `resource "aws_network_acl_rule" "Acl${i}Entry${j}" {\n${args.map((a) => `  ${a}`).join("\n")}\n}\n`;
  });
  return [acl, ...entries].join("\n");
}

describe("network ACL entries from the internet", () => {
  let cfn: Map<string, string[]>;
  let tf: Map<string, string[]>;
  beforeAll(async () => {
    cfn = lintCloudFormation(ACL_TABLE.map(cfnAcl).join(""));
    tf = await lintTerraform(ACL_TABLE.map(tfAcl).join("\n"));
  });

  it.each(ACL_TABLE.map((row, i) => [row.name, i, row] as const))("%s", (_name, i, row) => {
    row.entries.forEach((_e, j) => {
      const expected = row.reported.includes(j) ? [NACL] : [];
      expect(cfn.get(`Acl${i}Entry${j}`) ?? [], `CloudFormation entry ${j}`).toEqual(expected);
      expect(tf.get(`aws_network_acl_rule.Acl${i}Entry${j}`) ?? [], `Terraform entry ${j}`).toEqual(expected);
    });
  });
});
