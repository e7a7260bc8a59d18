import type { Rule } from "../model/rule.js";
import { fileLevelRule } from "./file-rule.js";

/** Rule id of the file-level review finding for parts of a template a pre-processor or macro makes. */
export const PREPROCESSOR_RULE_ID = "preprocessor-not-expanded";

/**
 * Metadata of that finding. Unlike `parse-error` it does not fail a run: the rest of the template was
 * checked, and what was not is named in the message, as for any undecided outcome.
 */
export const PREPROCESSOR_RULE: Rule = fileLevelRule({
  id: PREPROCESSOR_RULE_ID,
  title: "Template parts expanded by a pre-processor or macro were not checked",
  severity: "info",
  description:
    "The template uses a pre-processor (rain's directives, package modules), a macro or a registry module " +
    "(a resource of type `...::MODULE`) that changes it before or during deployment. parapet does not run it, so what it creates or changes was not checked; " +
    "the other resources of the template were.",
  rationale:
    "A macro or pre-processor can add resources or rewrite properties. Reporting the parts that were not " +
    "checked keeps a clean result from being read as covering them.",
  remediation:
    "Lint the processed template as well: the output of `rain pkg` or `aws cloudformation package`, or the " +
    "processed template of a change set for a macro or a registry module. Suppress the finding where that is not possible.",
  message: "Parts of the template are expanded by a pre-processor or macro and were not checked.",
});
