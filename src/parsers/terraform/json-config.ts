/**
 * Recognising Terraform's JSON configuration syntax in a file whose name does not say so.
 */
import { isRecord } from "../../values/value.js";

/** The top-level keys of Terraform's JSON syntax (`//` is its comment key). */
const TERRAFORM_JSON_KEYS = new Set(["resource", "data", "module", "provider", "terraform", "variable", "output", "locals", "moved", "import", "removed", "check", "//"]);

/**
 * True for parsed JSON in Terraform's configuration syntax: an object whose every key is a
 * Terraform block type and which declares at least one resource, data source or module.
 */
export function isTerraformJsonConfig(data: unknown): boolean {
  if (!isRecord(data)) return false;
  const keys = Object.keys(data);
  if (keys.length === 0 || !keys.every((k) => TERRAFORM_JSON_KEYS.has(k))) return false;
  const d = data as Record<string, unknown>;
  return ["resource", "data", "module"].some((k) => isRecord(d[k]) && Object.keys(d[k] as object).length > 0);
}
