// The network predicates as tables: CIDR text → block, open to the internet, containment;
// protocol and port range → covers the port.
import { describe, expect, it } from "vitest";
import { cidrContains, coversPort, isInternetCidr, parseCidr, type PortCoverage } from "../../src/rules/network.js";
import { ABSENT, Unknown, type Resolved } from "../../src/values/value.js";

describe("parseCidr", () => {
  it.each<[string, { family: 4 | 6; prefix: number; network: bigint } | undefined]>([
    ["10.0.0.0/8", { family: 4, prefix: 8, network: 0x0a000000n }],
    ["192.168.1.7/24", { family: 4, prefix: 24, network: 0xc0a80100n }],
    ["192.168.1.0/0", { family: 4, prefix: 0, network: 0n }],
    [" 10.0.0.0 / 08 ", { family: 4, prefix: 8, network: 0x0a000000n }],
    ["010.000.0.0/8", { family: 4, prefix: 8, network: 0x0a000000n }],
    ["1.2.3.4/32", { family: 4, prefix: 32, network: 0x01020304n }],
    ["2001:DB8::/32", { family: 6, prefix: 32, network: 0x20010db8n << 96n }],
    ["::ffff:10.0.0.0/104", { family: 6, prefix: 104, network: (0xffffn << 32n) | 0x0a000000n }],
    ["fe80::1/10", { family: 6, prefix: 10, network: 0xfe80n << 112n }],
    ["::/128", { family: 6, prefix: 128, network: 0n }],
    ["0.0.0.0/33", undefined],
    ["::/129", undefined],
    ["0.0.0.0/-1", undefined],
    ["0.0.0.0/", undefined],
    ["0.0.0.0", undefined],
    ["256.0.0.0/8", undefined],
    ["1.2.3/8", undefined],
    ["2001:db8::g/32", undefined],
    ["anywhere/0", undefined],
    ["", undefined],
  ])("%j", (text, block) => {
    expect(parseCidr(text)).toEqual(block);
  });
});

describe("isInternetCidr", () => {
  it.each<[string, boolean]>([
    // Every address, however it is spelled: the prefix decides, the address bits are masked.
    ["0.0.0.0/0", true],
    ["192.168.1.0/0", true],
    ["10.0.0.0/0", true],
    ["0.1.0.0/0", true],
    ["0.0.0.0/00", true],
    [" 0.0.0.0/0 ", true],
    ["00.0.0.0/0", true],
    ["::/0", true],
    ["0::0/0", true],
    ["::0/0", true],
    ["0:0:0:0:0:0:0:0/0", true],
    ["::1/0", true],
    ["2001:DB8::/0", true],
    ["::ffff:0.0.0.0/0", true],
    // Wider than any one holder's block, with public addresses in it: half or a quarter of the internet.
    ["0.0.0.0/1", true],
    ["128.0.0.0/1", true],
    ["10.0.0.0/1", true],
    ["64.0.0.0/2", true],
    ["1.0.0.0/7", true],
    ["::/1", true],
    ["2000::/3", true],
    ["2000::/11", true],
    // Wider blocks without public addresses: multicast and reserved IPv4, IPv6 outside global unicast.
    ["224.0.0.0/3", false],
    ["240.0.0.0/4", false],
    ["8000::/1", false],
    ["fc00::/7", false],
    // One holder's block or smaller: a known network, not the internet.
    ["10.0.0.0/8", false],
    ["3.0.0.0/8", false],
    ["203.0.113.0/24", false],
    ["1.2.3.4/32", false],
    ["2001:db8::/12", false],
    ["2001:db8::/32", false],
    ["::ffff:0.0.0.0/96", false],
    // Not a valid block: nothing is opened (the deployment rejects it).
    ["0.0.0.0/33", false],
    ["::/129", false],
    ["0.0.0.0", false],
    ["not-a-cidr", false],
  ])("%j → %s", (cidr, open) => {
    expect(isInternetCidr(cidr)).toBe(open);
  });
});

describe("blocks with bits set past the prefix, where the deployment rejects them", () => {
  it.each<[string, boolean]>([
    ["0.0.0.0/0", true],
    ["0.1.0.0/0", false],
    ["192.168.1.0/0", false],
    ["::1/0", false],
    ["128.0.0.0/1", true],
    ["10.0.0.0/1", false],
  ])("%j → %s", (cidr, open) => {
    expect(isInternetCidr(cidr, "rejected")).toBe(open);
  });

  it("a rejected block contains nothing", () => {
    expect(cidrContains("10.0.0.0/0", "10.0.0.0/8", "rejected")).toBe(false);
    expect(cidrContains("10.0.0.0/0", "10.0.0.0/8", "masked")).toBe(true);
  });
});

describe("cidrContains", () => {
  it.each<[string, string, boolean]>([
    ["0.0.0.0/0", "0.0.0.0/0", true],
    ["0.0.0.0/0", "128.0.0.0/1", true],
    ["192.168.0.0/0", "203.0.113.0/24", true],
    ["0.0.0.0/1", "0.0.0.0/0", false],
    ["0.0.0.0/1", "128.0.0.0/1", false],
    ["128.0.0.0/1", "203.0.113.0/24", true],
    ["10.0.0.0/8", "10.1.0.0/16", true],
    ["10.1.0.0/16", "10.0.0.0/8", false],
    ["::/0", "2001:db8::/32", true],
    ["::/0", "0.0.0.0/0", false],
    ["0.0.0.0/0", "::/0", false],
    ["0.0.0.0/0", "bogus", false],
  ])("%s contains %s → %s", (outer, inner, contains) => {
    expect(cidrContains(outer, inner)).toBe(contains);
  });
});

describe("coversPort", () => {
  const ssh: PortCoverage = { protocol: "tcp", port: 22 };
  const everyTcp: PortCoverage = { protocol: "tcp", all_ports: true };
  it.each<[string, Resolved, Resolved, Resolved, PortCoverage, boolean]>([
    ["protocol -1 ignores the ports", -1, 443, 443, ssh, true],
    ['protocol "-1"', "-1", ABSENT, ABSENT, ssh, true],
    ["protocol all", "all", 0, 0, everyTcp, true],
    ["tcp by number", 6, 22, 22, ssh, true],
    ['tcp by number as text with leading zeros', "006", 22, 22, ssh, true],
    ["TCP in capitals", "TCP", 22, 22, ssh, true],
    ["a range that contains the port", "tcp", 0, 1024, ssh, true],
    ["a range that ends at the port", "tcp", 20, 22, ssh, true],
    ["a range past the port", "tcp", 23, 1024, ssh, false],
    ["ports -1 mean every port", "tcp", -1, -1, ssh, true],
    ["missing ports mean every port", "tcp", ABSENT, ABSENT, ssh, true],
    ["ports as strings", "tcp", "22", "22", ssh, true],
    ["0 to 0 over tcp is port 0 only", "tcp", 0, 0, ssh, false],
    ["udp does not carry SSH", "udp", 22, 22, ssh, false],
    ["udp by number, every port", 17, 0, 65535, { protocol: "udp", all_ports: true }, true],
    ["icmp type 22 is not a port", "icmp", 22, -1, ssh, false],
    ["icmpv6 by number", 58, -1, -1, ssh, false],
    ["another protocol number opens its own ports only", 132, 22, 22, ssh, false],
    ["GRE is not TCP", "47", ABSENT, ABSENT, everyTcp, false],
    ["every TCP port", "tcp", 0, 65535, everyTcp, true],
    ["1-65535 is not 0-65535 for all_ports", "tcp", 1, 65535, everyTcp, false],
    ["no protocol covers nothing", ABSENT, 22, 22, ssh, false],
  ])("%s", (_name, protocol, from, to, want, covers) => {
    expect(coversPort(protocol, from, to, want)).toBe(covers);
  });

  it("an unknown protocol or port decides nothing", () => {
    const u = new Unknown("var.port is not set");
    expect(coversPort(u, 22, 22, ssh)).toBe(u);
    expect(coversPort("tcp", u, 22, ssh)).toBe(u);
    expect(coversPort("tcp", "ssh", 22, ssh)).toBeInstanceOf(Unknown);
  });
});
