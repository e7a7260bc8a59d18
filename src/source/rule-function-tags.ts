/**
 * The rule-specific intrinsic functions of the `Rules` section and where CloudFormation
 * accepts their short-form tags: in a rule's `RuleCondition` and in the `Assert` of each of
 * its `Assertions`, nowhere else.
 */
import { lookupTable } from "./maps.js";

/** Rule function tags: tag name → long-form key. */
export const RULE_FUNCTION_TAGS: Record<string, string> = lookupTable({
  "!Contains": "Fn::Contains",
  "!EachMemberEquals": "Fn::EachMemberEquals",
  "!EachMemberIn": "Fn::EachMemberIn",
  "!RefAll": "Fn::RefAll",
  "!ValueOf": "Fn::ValueOf",
  "!ValueOfAll": "Fn::ValueOfAll",
});

/**
 * Where a node sits with respect to the Rules section, as the reader walks down:
 * outside it, the section's map, one rule, its Assertions list, one assertion, or a rule
 * expression (RuleCondition or Assert), where rule functions are allowed.
 */
export type RuleZone = "outside" | "section" | "rule" | "assertions" | "assertion" | "expression";

/** The zone of the value under `key` of a map in `zone` (`topLevel`: the template's own map). */
export function zoneOfKey(zone: RuleZone, key: string, topLevel: boolean): RuleZone {
  switch (zone) {
    case "outside":
      return topLevel && key === "Rules" ? "section" : "outside";
    case "section":
      return "rule";
    case "rule":
      return key === "RuleCondition" ? "expression" : key === "Assertions" ? "assertions" : "outside";
    case "assertion":
      return key === "Assert" ? "expression" : "outside";
    case "expression":
      return "expression";
    default:
      return "outside";
  }
}

/** The zone of the items of a list in `zone`. */
export function zoneOfItem(zone: RuleZone): RuleZone {
  return zone === "assertions" ? "assertion" : zone === "expression" ? "expression" : "outside";
}

export function misplacedRuleFunction(tag: string): string {
  return `${tag} is a rule function: CloudFormation accepts it only in a rule's RuleCondition or Assert (Rules section)`;
}
