/**
 * Network predicates of the rule language: CIDR blocks open to the internet and port ranges.
 */
import { isIP } from "node:net";
import { ABSENT, Unknown, type Resolved } from "../values/value.js";

/**
 * True when the CIDR block spans the whole IPv4 or IPv6 address space: prefix length 0 on the
 * all-zero address, however it is spelled (`0.0.0.0/0`, `::/0`, `0::0/0`). A block that is not
 * a valid network (`127.0.0.1/33`, `0.1.0.0/0` with bits set past its prefix) opens nothing:
 * the Terraform provider and EC2 reject it.
 */
export function isInternetCidr(value: string): boolean {
  const slash = value.indexOf("/");
  if (slash < 0) return false;
  const address = value.slice(0, slash).trim();
  const prefix = value.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) !== 0) return false;
  const family = isIP(address);
  if (family === 4) return address.split(".").every((octet) => Number(octet) === 0);
  if (family === 6) return address.split(":").every((group) => group === "" || /^0+$/.test(group));
  return false;
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
 * Protocol `all` covers every port; a missing bound or -1 means every port.
 * Returns an Unknown when an unknown value decides it.
 */
export function coversPort(protocol: Resolved, from: Resolved, to: Resolved, want: PortCoverage): boolean | Unknown {
  if (protocol instanceof Unknown) return protocol;
  if (protocol === ABSENT) return false;
  const p = String(protocol).toLowerCase();
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
