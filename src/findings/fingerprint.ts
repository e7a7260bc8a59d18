import { createHash } from "node:crypto";

/**
 * A finding's stable identity: rule id, file, resource address and the path of the part of
 * the resource the node stands for. No line numbers, so baselines survive edits that move lines.
 */
export function fingerprint(ruleId: string, file: string, address: string, part = ""): string {
  return createHash("sha256").update([ruleId, file, address, part].join("\u0000")).digest("hex").slice(0, 32);
}

/**
 * The fingerprint of a Terraform finding in a module file outside its root module's folder:
 * several roots may call that module by the same name, and each root's finding must keep its
 * own identity. A finding in the root's own files keeps its plain fingerprint.
 */
export function fingerprintInRoot(plain: string, root: string): string {
  return createHash("sha256").update([plain, root].join("\u0000")).digest("hex").slice(0, 32);
}
