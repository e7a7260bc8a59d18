/** Built-in functions on IP networks, and the address arithmetic they need. */
import { EvalError } from "../guards.js";
import { type FunctionSpec, int, str } from "./spec.js";

export const NETWORK_FUNCTIONS: Record<string, FunctionSpec> = {
  cidrsubnet: {
    arity: [3, 3],
    fn: ([p, b, n]) => {
      const net = parseCidr(str(p!, "the prefix"));
      const newbits = int(b!, "newbits");
      const netnum = BigInt(int(n!, "netnum"));
      if (newbits < 0) throw new EvalError("newbits must not be negative");
      const length = net.prefix + newbits;
      if (length > net.bits) throw new EvalError(`insufficient address space to extend prefix of ${net.prefix} by ${newbits}`);
      if (netnum < 0n || netnum >= 1n << BigInt(newbits)) throw new EvalError(`prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}`);
      const address = net.network | (netnum << BigInt(net.bits - length));
      return `${formatAddress(address, net.bits)}/${length}`;
    },
  },
  cidrhost: {
    arity: [2, 2],
    fn: ([p, h]) => {
      const net = parseCidr(str(p!, "the prefix"));
      const size = 1n << BigInt(net.bits - net.prefix);
      let host = BigInt(int(h!, "hostnum"));
      if (host < 0n) host += size;
      if (host < 0n || host >= size) throw new EvalError(`prefix of ${net.prefix} does not accommodate a host numbered ${h as number}`);
      return formatAddress(net.network | host, net.bits);
    },
  },
  cidrnetmask: {
    arity: [1, 1],
    fn: ([p]) => {
      const net = parseCidr(str(p!, "the prefix"));
      if (net.bits !== 32) throw new EvalError("only IPv4 prefixes have a netmask");
      return formatAddress(mask(net.prefix, 32), 32);
    },
  },
};

// --- addresses

interface Network {
  network: bigint;
  prefix: number;
  bits: 32 | 128;
}

export function parseCidr(text: string): Network {
  const slash = text.indexOf("/");
  if (slash < 0) throw new EvalError(`${JSON.stringify(text)} is not in CIDR notation`);
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const isV6 = addressText.includes(":");
  const bits = isV6 ? 128 : 32;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) throw new EvalError(`${JSON.stringify(text)} has an invalid prefix length`);
  const prefix = Number(prefixText);
  const address = isV6 ? parseIpv6(addressText) : parseIpv4(addressText);
  if (address === undefined) throw new EvalError(`${JSON.stringify(text)} is not a valid address`);
  return { network: address & mask(prefix, bits), prefix, bits };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tail: bigint[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const value = parseIpv4(v4[1]!);
    if (value === undefined) return undefined;
    tail = [value >> 16n, value & 0xffffn];
    head = text.slice(0, -v4[1]!.length);
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }
  const groups = (s: string): bigint[] | undefined => {
    if (s === "") return [];
    const out: bigint[] = [];
    for (const g of s.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(BigInt(parseInt(g, 16)));
    }
    return out;
  };
  let all: bigint[];
  const gap = head.indexOf("::");
  if (gap >= 0) {
    if (head.indexOf("::", gap + 1) >= 0) return undefined;
    const before = groups(head.slice(0, gap));
    const after = groups(head.slice(gap + 2));
    if (!before || !after) return undefined;
    const missing = 8 - before.length - after.length - tail.length;
    if (missing < 1) return undefined;
    all = [...before, ...new Array<bigint>(missing).fill(0n), ...after, ...tail];
  } else {
    const g = groups(head);
    if (!g) return undefined;
    all = [...g, ...tail];
  }
  if (all.length !== 8) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function mask(prefix: number, bits: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return (all << BigInt(bits - prefix)) & all;
}

/** Dotted IPv4, or IPv6 in its canonical short form (RFC 5952). */
function formatAddress(value: bigint, bits: 32 | 128): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join(".");
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return hex.slice(0, bestStart).join(":") + "::" + hex.slice(bestStart + bestLength).join(":");
}
