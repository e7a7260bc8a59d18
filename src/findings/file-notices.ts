import type { Rule } from "../rules/rule.js";
import { fileLevelRule } from "./file-rule.js";
import { PREPROCESSOR_RULE, PREPROCESSOR_RULE_ID } from "./preprocessor.js";
import { SUPPRESSION_NOTICE, SUPPRESSION_NOTICE_ID } from "./suppression-notice.js";

/** Rule id of the notes about YAML that CloudFormation reads but YAML 1.2 does not. */
export const NONSTANDARD_YAML_RULE_ID = "yaml-nonstandard";
/** Rule id of the notes about Rules-section assertions that the parameter values violate. */
export const RULE_ASSERTION_RULE_ID = "cfn-rule-assertion";

/**
 * File-level notes: the file was read and checked, but something about it deserves a look.
 * They are findings to review (kind `review`), so they do not fail a run unless
 * `--fail-on-undecided` is given.
 */
const NOTICE_RULES: Record<string, Rule> = {
  [PREPROCESSOR_RULE_ID]: PREPROCESSOR_RULE,
  [SUPPRESSION_NOTICE_ID]: SUPPRESSION_NOTICE,
  [NONSTANDARD_YAML_RULE_ID]: fileLevelRule({
    id: NONSTANDARD_YAML_RULE_ID,
    title: "Template text is YAML that only CloudFormation's reader accepts",
    severity: "info",
    description:
      "The template uses YAML that CloudFormation (a YAML 1.1 reader) accepts but YAML 1.2 reads differently or rejects: " +
      "continuation lines of a quoted string or flow collection indented less than the enclosing block, or unquoted " +
      "yes/no/on/off, which YAML 1.1 reads as booleans.",
    rationale:
      "Other tools in the pipeline (editors, formatters, YAML 1.2 libraries) may reject the file or read a different value " +
      "than CloudFormation deploys.",
    remediation: "Indent the continuation lines more than their key, or quote yes/no/on/off when the text is meant.",
    message: "The template text is not standard YAML.",
  }),
  [RULE_ASSERTION_RULE_ID]: fileLevelRule({
    id: RULE_ASSERTION_RULE_ID,
    title: "Parameter values violate an assertion of the template's Rules section",
    severity: "low",
    description:
      "An assertion of the template's Rules section is false for the parameter values parapet used (given values, else " +
      "defaults), so CloudFormation would refuse to create or update the stack with them.",
    rationale: "The findings of the run describe a stack that cannot be deployed with these parameter values.",
    remediation: "Pass the parameter values the deployment uses (--param, --param-file), or fix the defaults or the rule.",
    message: "The parameter values violate an assertion of the Rules section.",
  }),
};

/** The notice rule of a diagnostic's `notice` id, if it is one. */
export function noticeRule(id: string | undefined): Rule | undefined {
  return id !== undefined && Object.hasOwn(NOTICE_RULES, id) ? NOTICE_RULES[id] : undefined;
}

/** The notice rules, for the list of file-level rules. */
export const NOTICE_RULE_LIST: readonly Rule[] = Object.values(NOTICE_RULES);
