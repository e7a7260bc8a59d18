import type { Rule } from "../model/rule.js";
import { fileLevelRule } from "./file-rule.js";

/** Rule id of the findings a parser returns for a file it could not read. */
export const PARSE_ERROR_RULE_ID = "parse-error";

/**
 * Metadata of the file-level diagnostic that parsers emit instead of throwing; reporters
 * list it among the rules whenever a parse-error finding is present.
 */
export const PARSE_ERROR_RULE: Rule = fileLevelRule({
  id: PARSE_ERROR_RULE_ID,
  title: "Template could not be read",
  severity: "high",
  description:
    "The file could not be parsed as a CloudFormation template, CDK cloud assembly or Terraform " +
    "configuration, so none of its resources were checked.",
  rationale:
    "A template that parapet cannot read is not checked at all. Reporting it as a failure keeps " +
    "a syntax error or an unsupported construct from silently hiding insecure resources.",
  remediation:
    "Fix the syntax error at the reported line and column (for example indentation, an unclosed " +
    "bracket or an unknown tag), or exclude the file from the lint run if it is not a template.",
  message: "The file could not be parsed; none of its resources were checked.",
});
