import type { Position } from "../source/location.js";

/** Where in its file a finding points: part of the vocabulary reporters read. */
export type { Position };

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export type SourceFormat = "cloudformation" | "terraform" | "cdk";

/** `fail`: the rule is known to be violated; `review`: the outcome could not be decided. */
export type FindingKind = "fail" | "review";

export interface Suppression {
  kind: "inSource" | "external";
  justification: string;
}

/** One result of a rule (or a parse error) on one resource or file. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  kind: FindingKind;
  message: string;
  /** Path of the file relative to the working directory, `/`-separated. */
  file: string;
  position: Position;
  /** Resource address: logical id, Terraform address, CDK construct path. Empty for file-level findings. */
  address: string;
  /** CloudFormation logical id, when `address` is a CDK construct path. */
  logicalId?: string;
  /** First line of the resource the finding is about. */
  resourceLine?: number;
  /** Property path inside the resource that the finding points at (`Properties.Encrypted`), if any. */
  propertyPath?: string;
  /** Native type of the resource (`AWS::EC2::Instance`). */
  resourceType?: string;
  format?: SourceFormat;
  /** Why the outcome is undecided (review findings). */
  reason?: string;
  /** Stable identity: rule id + address + property path, no line numbers. */
  fingerprint: string;
  suppressions?: Suppression[];
  /** Other places that matter, such as the CDK code that created the resource. */
  related?: RelatedLocation[];
  /** Terraform: the folder of the root module the finding was evaluated in, as users see it (`.`, `examples/simple`). */
  root?: string;
}

export interface RelatedLocation {
  file: string;
  line: number;
  column: number;
  message: string;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export function severityRank(s: Severity): number {
  return SEVERITY_RANK[s];
}

/** Orders findings by file, line, column, rule id, address and Terraform root: the order every reporter prints. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.position.line - b.position.line ||
    a.position.column - b.position.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.address < b.address ? -1 : a.address > b.address ? 1 : 0) ||
    ((a.root ?? "") < (b.root ?? "") ? -1 : (a.root ?? "") > (b.root ?? "") ? 1 : 0)
  );
}
