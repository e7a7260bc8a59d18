/**
 * Network predicates of the rule language: CIDR blocks open to the internet, blocks that
 * contain others, and port ranges. docs/decisions.md ("Network rules") gives the reasons.
 */
import { isIP } from "node:net";
import { normaliseProtocol } from "../graph/mapping.js";
import { ABSENT, Unknown, type Resolved } from "../values/value.js";

/** A CIDR block as AWS applies it: the address masked to its prefix. */
export interface CidrBlock {
  family: 4 | 6;
  prefix: number;
  /** The first address of the block (host bits cleared). */
  network: bigint;
}

const BITS = { 4: 32, 6: 128 } as const;

/**
 * What the deployment does with bits set past the prefix (`192.168.1.0/0`): EC2, and so
 * CloudFormation, clears them; the Terraform provider rejects the block before anything is
 * created.
 */
export type HostBits = "masked" | "rejected";

/**
 * The block a CIDR text stands for, or undefined when it is not one: no `/`, an address
 * that is not IPv4 or IPv6, or a prefix length outside 0–32 / 0–128. Blanks around the
 * parts and leading zeros in the prefix are read past; bits set past the prefix are
 * cleared, as EC2 does (`192.168.1.0/0` is every IPv4 address), or make the text no block
 * when `hostBits` is `rejected`.
 */
export function parseCidr(text: string, hostBits: HostBits = "masked"): CidrBlock | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const prefixText = text.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const address = addressValue(text.slice(0, slash).trim());
  if (!address) return undefined;
  const prefix = Number(prefixText);
  const bits = BITS[address.family];
  if (prefix > bits) return undefined;
  const shift = BigInt(bits - prefix);
  const network = (address.value >> shift) << shift;
  if (hostBits === "rejected" && network !== address.value) return undefined;
  return { family: address.family, prefix, network };
}

/** Dotted IPv4 (leading zeros read as decimal) or any IPv6 spelling, as a number. */
function addressValue(text: string): { family: 4 | 6; value: bigint } | undefined {
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (octets) {
    const parts = octets.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { family: 4, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (isIP(text) !== 6) return undefined;
  return { family: 6, value: ipv6Value(text.toLowerCase()) };
}

/** A valid IPv6 address (`::` shorthand, embedded IPv4 tail) as a 128-bit number. */
function ipv6Value(text: string): bigint {
  const groupsOf = (part: string): number[] =>
    part === ""
      ? []
      : part.split(":").flatMap((g) => {
          if (!g.includes(".")) return [parseInt(g, 16)];
          const [a, b, c, d] = g.split(".").map(Number) as [number, number, number, number];
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const front = groupsOf(head!);
  const back = tail === undefined ? [] : groupsOf(tail);
  const groups = [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Does block `outer` contain every address of block `inner` (same family)? */
export function blockContains(outer: CidrBlock, inner: CidrBlock): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  const hostBits = BigInt(BITS[outer.family] - outer.prefix);
  return inner.network >> hostBits === outer.network >> hostBits;
}

/** True when the CIDR text `outer` is a block that contains block `inner`; false if either is not a block. */
export function cidrContains(outer: string, inner: string, hostBits: HostBits = "masked"): boolean {
  const a = parseCidr(outer, hostBits);
  const b = parseCidr(inner, hostBits);
  return a !== undefined && b !== undefined && blockContains(a, b);
}

/**
 * The widest block one holder gets: an IPv4 /8 (the largest assignment to one organisation)
 * and an IPv6 /12 (what IANA hands a whole regional registry). A wider block that reaches
 * public addresses is other people's networks: the internet.
 */
const WIDEST_HOLDER = { 4: 8, 6: 12 } as const;

/** Where public addresses live in blocks wider than {@link WIDEST_HOLDER}: outside 224.0.0.0/3 (multicast, reserved), inside 2000::/3 (global unicast). */
const NOT_PUBLIC_V4 = parseCidr("224.0.0.0/3")!;
const PUBLIC_V6 = parseCidr("2000::/3")!;

function reachesPublicSpace(block: CidrBlock): boolean {
  if (block.family === 4) return !blockContains(NOT_PUBLIC_V4, block);
  return blockContains(block, PUBLIC_V6) || blockContains(PUBLIC_V6, block);
}

/**
 * True when the CIDR block lets in the internet: every address (prefix length 0, whatever
 * the address part), or any block wider than one holder's that reaches public addresses
 * (`0.0.0.0/1`, `128.0.0.0/1`, `::/1`). Text that is not a valid block opens nothing.
 */
export function isInternetCidr(value: string, hostBits: HostBits = "masked"): boolean {
  const block = parseCidr(value, hostBits);
  if (!block) return false;
  return block.prefix === 0 || (block.prefix < WIDEST_HOLDER[block.family] && reachesPublicSpace(block));
}

export interface PortCoverage {
  protocol: string;
  port?: number;
  all_ports?: boolean;
}

function portNumber(v: Resolved): number | Unknown | undefined {
  if (v === ABSENT) return undefined;
  if (v instanceof Unknown) return v;
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : new Unknown(`port ${String(v)} is not a number`);
}

/**
 * Does a rule with this protocol and port range let the given traffic in?
 * Protocol `all` covers every port of every protocol; any other protocol covers only its
 * own ports. A missing bound or -1 means that end of the range is open.
 * Returns an Unknown when an unknown value decides it.
 */
export function coversPort(protocol: Resolved, from: Resolved, to: Resolved, want: PortCoverage): boolean | Unknown {
  if (protocol instanceof Unknown) return protocol;
  if (protocol === ABSENT || (typeof protocol !== "string" && typeof protocol !== "number")) return false;
  const p = normaliseProtocol(protocol);
  if (p === "all") return true;
  if (p !== want.protocol) return false;
  const lo = portNumber(from);
  const hi = portNumber(to);
  if (lo instanceof Unknown) return lo;
  if (hi instanceof Unknown) return hi;
  const low = lo === undefined || lo === -1 ? 0 : lo;
  const high = hi === undefined || hi === -1 ? 65535 : hi;
  if (want.all_ports) return low <= 0 && high >= 65535;
  if (want.port === undefined) return false;
  return low <= want.port && want.port <= high;
}
