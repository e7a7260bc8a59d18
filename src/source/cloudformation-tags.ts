/**
 * The YAML tags of CloudFormation templates, for the YAML reader ({@link CLOUDFORMATION_TAGS}):
 * the short forms of the intrinsic functions (`!Ref`, `!GetAtt`, `!Sub`, ...), which become
 * their long forms (`{"Ref": ...}`, `{"Fn::GetAtt": [...]}`); the rule-specific intrinsic
 * functions of the `Rules` section (rule-function-tags.ts); and the directives of the
 * package commands, read in long form. Templates are written with them, and so are the
 * examples in parapet's rule files.
 */
import type { YamlTags } from "./reader-types.js";
import { emptyMap, lookupTable } from "./maps.js";
import { misplacedRuleFunction, RULE_FUNCTION_TAGS, zoneOfItem, zoneOfKey, type RuleZone } from "./rule-function-tags.js";

/** Intrinsic function tags: tag name → long-form key. */
const INTRINSIC_TAGS: Record<string, string> = lookupTable({
  "!Ref": "Ref",
  "!Condition": "Condition",
  "!GetAtt": "Fn::GetAtt",
  "!Sub": "Fn::Sub",
  "!Join": "Fn::Join",
  "!If": "Fn::If",
  "!Equals": "Fn::Equals",
  "!Not": "Fn::Not",
  "!And": "Fn::And",
  "!Or": "Fn::Or",
  "!FindInMap": "Fn::FindInMap",
  "!Select": "Fn::Select",
  "!Split": "Fn::Split",
  "!Base64": "Fn::Base64",
  "!Cidr": "Fn::Cidr",
  "!GetAZs": "Fn::GetAZs",
  "!ImportValue": "Fn::ImportValue",
  "!Transform": "Fn::Transform",
  "!Length": "Fn::Length",
  "!ToJsonString": "Fn::ToJsonString",
  "!ForEach": "Fn::ForEach",
});

/** YAML tags of rain's directives and of the module intrinsics of the package commands: tag → long form. */
export const PREPROCESSOR_TAGS: Record<string, string> = lookupTable({
  "!Rain::Embed": "Rain::Embed",
  "!Rain::Include": "Rain::Include",
  "!Rain::Env": "Rain::Env",
  "!Rain::S3Http": "Rain::S3Http",
  "!Rain::S3": "Rain::S3",
  "!Rain::Module": "Rain::Module",
  "!Rain::Constant": "Rain::Constant",
  "!Invoke": "Fn::Invoke",
  "!InsertFile": "Fn::InsertFile",
  "!Merge": "Fn::Merge",
});

/** The long form of a tagged node, or the problem with its tag. */
function applyTag(tag: string, value: unknown, zone: RuleZone): { value: unknown } | { problem: string } {
  const ruleFunction = RULE_FUNCTION_TAGS[tag];
  if (ruleFunction && zone !== "expression") return { problem: misplacedRuleFunction(tag) };
  // rain's directives are read in long form: the template reports them as not expanded.
  const name = INTRINSIC_TAGS[tag] ?? ruleFunction ?? PREPROCESSOR_TAGS[tag];
  if (!name) return { problem: `unknown tag ${tag}: CloudFormation accepts only its intrinsic function tags` };
  if (name === "Fn::GetAtt" && typeof value === "string") {
    const dot = value.indexOf(".");
    value = dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
  }
  const out = emptyMap<unknown>();
  out[name] = value;
  return { value: out };
}

/** CloudFormation's tags, as the YAML reader takes them. */
export const CLOUDFORMATION_TAGS: YamlTags<RuleZone> = {
  root: "outside",
  zoneOfKey,
  zoneOfItem,
  apply: applyTag,
  keyOf: (tag) => INTRINSIC_TAGS[tag] ?? RULE_FUNCTION_TAGS[tag],
  scalarIsList: (tag) => tag === "!GetAtt",
};
