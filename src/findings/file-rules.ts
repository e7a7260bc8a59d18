import type { Rule } from "../model/rule.js";
import type { Finding } from "./finding.js";
import { PARSE_ERROR_RULE } from "./parse-error.js";
import { NOTICE_RULE_LIST } from "./file-notices.js";

/** The file-level diagnostics parsers report, which are not rules of a rule set. */
const FILE_RULES: readonly Rule[] = [PARSE_ERROR_RULE, ...NOTICE_RULE_LIST];

/** The file-level diagnostics that these findings use and that `rules` does not list already. */
export function fileRulesUsed(rules: readonly Rule[], findings: readonly Finding[]): Rule[] {
  const listed = new Set(rules.map((r) => r.id));
  const used = new Set(findings.map((f) => f.ruleId));
  return FILE_RULES.filter((r) => used.has(r.id) && !listed.has(r.id));
}
