/**
 * The rule language: one YAML file per rule, validated against `schemas/rule.schema.json`.
 * These types mirror that schema.
 */
import type { Severity, SourceFormat } from "../findings/finding.js";

export const CATEGORIES = [
  "identity-and-access-management",
  "detection",
  "infrastructure-protection",
  "data-protection",
  "incident-response",
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_TITLES: Record<Category, string> = {
  "identity-and-access-management": "Identity and access management",
  detection: "Detection",
  "infrastructure-protection": "Infrastructure protection",
  "data-protection": "Data protection",
  "incident-response": "Incident response",
};

/** An outcome the author chooses for a case the condition cannot look into. */
export type OutcomeChoice = "pass" | "fail" | "undecided";

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | AttributeCondition
  | PortsCondition
  | RelatedCondition
  | ReferrersCondition
  | FactCondition
  | KindCondition
  | ResourcesCondition;

/** The node (inside `related` / `referrers`: the node reached) is of one of these kinds or native types. */
export interface KindCondition {
  kind_in: string[];
}

/** Deployment-wide: how many resources of these kinds (that satisfy `where`) the deployment has. */
export interface ResourcesCondition {
  resources: { kinds: string[]; where?: Condition };
  count: { gt?: number; gte?: number; lt?: number; lte?: number; equals?: number };
}

/**
 * An operand of a comparison may be a literal or `{ subject: "attr.path" }`: the attribute of
 * the node the rule is checking (for comparisons with a related node, such as rule numbers).
 */
export type Operand = unknown;

/** Operators that test one value. Exactly one of them is given. */
export interface ValueTest {
  equals?: unknown;
  not_equals?: unknown;
  in?: unknown[];
  not_in?: unknown[];
  exists?: boolean;
  /** Set to something: "", [] and {} are not; an unknown value is when it names a resource, else undecided. */
  not_empty?: boolean;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  matches?: string;
  /**
   * With `matches`: the pattern looks for a secret, so unknown parts that are never one
   * (names and ids AWS assigns: stack names, regions, resource ids) are not searched.
   */
  secret?: boolean;
  /** A CIDR (IPv4 or IPv6) open to the internet: every address, or a block wider than one holder's that reaches public addresses. */
  internet?: boolean;
  /** A CIDR block that contains every address of this block (or of `{ subject: attr }`). */
  contains_cidr?: string | { subject: string };
  length?: { gt?: number; gte?: number; lt?: number; lte?: number; equals?: number };
  /** For lists: some item / every item satisfies the condition (attribute paths relative to the item). */
  some?: Condition;
  every?: Condition;
}

export interface AttributeCondition extends ValueTest {
  /** Dotted path of a node attribute (`metadata_options.http_tokens`); `.` is the value itself. */
  attr: string;
}

export interface PortsCondition {
  ports: { protocol: string; from: string; to: string };
  covers: { protocol: string; port?: number; all_ports?: boolean };
}

export interface RelatedCondition {
  /** Follow the edges made by this attribute to the nodes it references. */
  related: string;
  /** What every related node must satisfy. */
  assert: Condition;
  /** Outcome when the attribute is not set (default `fail`). */
  absent?: OutcomeChoice;
  /** Outcome when it names something outside the deployment (default `undecided`). */
  external?: OutcomeChoice;
}

export interface ReferrersCondition {
  /** Nodes whose attribute of this name references the current node. */
  referrers: { edge: string; kinds?: string[] };
  /** What every referring node must satisfy. */
  every: Condition;
  /** Outcome when no node refers to this one (default `fail`). */
  none?: OutcomeChoice;
}

export interface FactCondition extends ValueTest {
  /** A fact that holds for the node's whole deployment (`ebs_encryption_by_default`). */
  fact: string;
}

export interface RuleExample {
  name: string;
  format: SourceFormat;
  /** `fail`: findings at `findings`; `pass`: no finding; `review`: undecided findings at `findings`. */
  expect: "fail" | "pass" | "review";
  /** File name of the template (its extension picks YAML, JSON or Terraform). */
  file: string;
  template: string;
  /** More files of the example (path → text): a module folder, a variables file. */
  files?: Record<string, string>;
  /** Resource addresses and the lines the findings point at (in `file` unless another is named). */
  findings?: { address: string; line: number; file?: string }[];
}

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  category: Category;
  description: string;
  rationale: string;
  remediation: string;
  /** Message of a failing finding; `{address}`, `{type}` and `{kind}` are filled in. */
  message: string;
  /** Canonical kinds or native types the rule checks; `deployment` checks each deployment as a whole. */
  applies_to: string[];
  /** The preset that turns the rule on: `recommended` (default), `strict` or `account`. */
  preset?: "recommended" | "strict" | "account";
  /**
   * Rules of one group whose findings name the same resource and property describe one
   * problem (SSH, RDP and every port open on one rule): reporters show them as one entry.
   */
  problem_group?: string;
  /** Only nodes that satisfy this are checked. */
  where?: Condition;
  /** What every checked node must satisfy. */
  assert: Condition;
  compliance?: Record<string, string[]>;
  help_uri?: string;
  examples: RuleExample[];
  /** File the rule was read from (set by the loader). */
  source?: string;
}
