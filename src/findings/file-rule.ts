import type { Rule } from "../model/rule.js";

/**
 * The metadata of a file-level diagnostic that parsers report (not a security check): it has
 * no `applies_to`, `assert` or `examples`. No category of the fixed set fits a file-level
 * diagnostic; `detection` is the least misleading, kept rather than widening Category.
 */
export function fileLevelRule(meta: Pick<Rule, "id" | "title" | "severity" | "description" | "rationale" | "remediation" | "message">): Rule {
  return { ...meta, category: "detection", applies_to: [], assert: { all: [] }, examples: [] };
}
