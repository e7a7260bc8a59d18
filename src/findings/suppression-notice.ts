import type { Rule } from "../model/rule.js";
import { fileLevelRule } from "./file-rule.js";

/** Rule id of the notes about suppressions parapet cannot read as written. */
export const SUPPRESSION_NOTICE_ID = "suppression-unreadable";

/**
 * Metadata of that note. It does not fail the run by itself: the suppression it is about does
 * not apply, so the findings it was meant to hide are reported (and fail the run) as usual.
 */
export const SUPPRESSION_NOTICE: Rule = fileLevelRule({
  id: SUPPRESSION_NOTICE_ID,
  title: "A suppression is written in a form parapet does not read",
  severity: "info",
  description:
    "A suppression comment or a resource's `Metadata` suppression has a misspelt or unknown key (`ignore:` for `suppress:`, " +
    "`reasn:`, `parapet:ignroe`), names no rule, or has an `until` day that is not a date written YYYY-MM-DD. parapet does not " +
    "guess what was meant: that suppression does not apply.",
  rationale:
    "A suppression that silently does nothing leaves its author believing a finding is waived, or that it expires, when " +
    "it is not. The findings it was meant to hide are still reported; this note says why.",
  remediation:
    "Write the suppression as documented: `# parapet:ignore <rule-id> <reason> [until=YYYY-MM-DD]` in YAML and HCL, or " +
    "`Metadata: parapet: suppress: [{rule, reason, until}]` on a CloudFormation resource. The message names the nearest known key.",
  message: "A suppression is written in a form parapet does not read.",
});
