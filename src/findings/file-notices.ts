import type { Rule } from "../model/rule.js";
import { fileLevelRule } from "./file-rule.js";
import { PREPROCESSOR_RULE, PREPROCESSOR_RULE_ID } from "./preprocessor.js";
import { SUPPRESSION_NOTICE, SUPPRESSION_NOTICE_ID } from "./suppression-notice.js";
import { describeEncoding, type DecodedText } from "../source/decode.js";
import { NONSTANDARD_YAML_RULE_ID } from "../source/document.js";

export { NONSTANDARD_YAML_RULE_ID };

/** Rule id of the notes about Rules-section assertions that the parameter values violate. */
export const RULE_ASSERTION_RULE_ID = "cfn-rule-assertion";
/** Rule id of the notes about templates written in UTF-16 or UTF-32. */
export const TEMPLATE_ENCODING_RULE_ID = "template-encoding";

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
  [TEMPLATE_ENCODING_RULE_ID]: fileLevelRule({
    id: TEMPLATE_ENCODING_RULE_ID,
    title: "Template is UTF-16 or UTF-32 text",
    severity: "low",
    description:
      "The template is written in UTF-16 or UTF-32 (as Windows PowerShell 5 writes files by default). parapet decodes it and " +
      "checks it, but the AWS CLI reads a `file://` template in the system's encoding (UTF-8 on Linux and macOS), and the other " +
      "tools of a deployment read templates as UTF-8.",
    rationale: "A deployment tool that reads the file as UTF-8 rejects it or reads other text than the one parapet checked.",
    remediation: "Save the template as UTF-8 (in PowerShell: `Set-Content -Encoding utf8`, or `Out-File -Encoding utf8`).",
    message: "The template is not UTF-8 text.",
  }),
};

/** The note on a CloudFormation template decoded from UTF-16 or UTF-32 (see TEMPLATE_ENCODING_RULE_ID). */
export function templateEncodingNote(decoded: Pick<DecodedText, "encoding" | "by">): { message: string; line: number; column: number; notice: string; subject: string } {
  return {
    message: `the template is ${describeEncoding(decoded)}: parapet decoded and checked it, but the AWS CLI reads a file:// template in the system's encoding (UTF-8 on Linux and macOS) and other deployment tools read UTF-8; save it as UTF-8`,
    line: 1,
    column: 1,
    notice: TEMPLATE_ENCODING_RULE_ID,
    subject: "encoding",
  };
}

/** The notice rule of a diagnostic's `notice` id, if it is one. */
export function noticeRule(id: string | undefined): Rule | undefined {
  return id !== undefined && Object.hasOwn(NOTICE_RULES, id) ? NOTICE_RULES[id] : undefined;
}

/** The notice rules, for the list of file-level rules. */
export const NOTICE_RULE_LIST: readonly Rule[] = Object.values(NOTICE_RULES);
