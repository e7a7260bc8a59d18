/**
 * `rules.md`: the rule catalogue, generated from the rule files (their metadata is the
 * single source of truth). `npm run rules:doc` writes it; a test fails when it is stale.
 */
import { CATEGORIES, CATEGORY_TITLES, type Rule } from "../model/rule.js";

const COMPLIANCE_TITLES: Record<string, string> = {
  "cis-aws-foundations": "CIS AWS Foundations Benchmark v3.0.0",
  "aws-foundational-security-best-practices": "AWS Foundational Security Best Practices",
  "nist-800-53-rev5": "NIST SP 800-53 Rev. 5",
};

const FORMAT_TITLES: Record<string, string> = { cloudformation: "CloudFormation", terraform: "Terraform", cdk: "CDK" };

function fence(file: string, text: string): string {
  const lang = file.endsWith(".json") ? "json" : /\.(tf|tfvars)$/.test(file) ? "hcl" : "yaml";
  return "```" + lang + "\n" + text.replace(/\n$/, "") + "\n```";
}

function anchor(id: string): string {
  return id;
}

function renderRule(rule: Rule): string {
  const out: string[] = [];
  out.push(`### ${rule.id}`, "", `**${rule.title}** — severity \`${rule.severity}\`, ${CATEGORY_TITLES[rule.category].toLowerCase()}.`, "");
  out.push(rule.description.trim(), "");
  out.push(`Applies to: ${rule.applies_to.map((k) => `\`${k}\``).join(", ")}.`, "");
  out.push("**Why.** " + rule.rationale.trim(), "");
  out.push("**Fix.** " + rule.remediation.trim(), "");
  const mappings = Object.entries(rule.compliance ?? {}).filter(([, ids]) => ids.length > 0);
  if (mappings.length > 0) {
    out.push("**Compliance.**", "");
    for (const [framework, ids] of mappings) out.push(`- ${COMPLIANCE_TITLES[framework] ?? framework}: ${ids.join(", ")}`);
    out.push("");
  }
  out.push("**Examples.**", "");
  for (const ex of rule.examples) {
    const verdict = ex.expect === "fail" ? "fails" : ex.expect === "pass" ? "passes" : "is undecided (review)";
    const at = ex.findings?.length
      ? ` (${ex.findings.map((f) => `\`${f.address}\` ${f.file ? `${f.file} ` : ""}line ${f.line}`).join(", ")})`
      : "";
    out.push(`${FORMAT_TITLES[ex.format] ?? ex.format}, ${ex.name} — ${verdict}${at}:`, "");
    const files = Object.entries(ex.files ?? {});
    if (files.length > 0) out.push(`\`${ex.file}\`:`, "");
    out.push(fence(ex.file, ex.template), "");
    for (const [path, text] of files) out.push(`\`${path}\`:`, "", fence(path, text), "");
  }
  return out.join("\n");
}

export function renderCatalogue(rules: readonly Rule[]): string {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : 1));
  const out: string[] = [
    "# parapet rules",
    "",
    "<!-- Generated from src/rules/builtin/*.yaml by `npm run rules:doc`. Do not edit by hand. -->",
    "",
    "| Rule | Title | Severity | Area |",
    "| --- | --- | --- | --- |",
    ...sorted.map((r) => `| [${r.id}](#${anchor(r.id)}) | ${r.title} | ${r.severity} | ${CATEGORY_TITLES[r.category]} |`),
    "",
  ];
  for (const category of CATEGORIES) {
    const inCategory = sorted.filter((r) => r.category === category);
    if (inCategory.length === 0) continue;
    out.push(`## ${CATEGORY_TITLES[category]}`, "");
    for (const rule of inCategory) out.push(renderRule(rule));
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

/** `parapet rules`: one line a rule (text) or the metadata as JSON. */
export function renderRuleList(rules: readonly Rule[], format: "text" | "json"): string {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : 1));
  if (format === "json") {
    const list = sorted.map((r) => ({
      id: r.id,
      title: r.title,
      severity: r.severity,
      category: r.category,
      preset: r.preset ?? "recommended",
      appliesTo: r.applies_to,
      compliance: r.compliance ?? {},
      source: r.source ?? null,
    }));
    return JSON.stringify(list, null, 2) + "\n";
  }
  const width = Math.max(...sorted.map((r) => r.id.length), 4);
  const lines = sorted.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${(r.preset ?? "recommended").padEnd(11)}  ${r.title}`);
  return [`${"rule".padEnd(width)}  severity  preset       title`, ...lines, "", `${sorted.length} rules`].join("\n") + "\n";
}

/** `parapet explain <id>`: everything a user needs to understand and fix a finding of a rule. */
export function renderExplanation(rule: Rule): string {
  const out: string[] = [
    `${rule.id}: ${rule.title}`,
    `severity ${rule.severity}, ${CATEGORY_TITLES[rule.category].toLowerCase()}, preset ${rule.preset ?? "recommended"}`,
    "",
    rule.description.trim(),
    "",
    "Why",
    indent(rule.rationale.trim()),
    "",
    "How to fix",
    indent(rule.remediation.trim()),
  ];
  const mappings = Object.entries(rule.compliance ?? {}).filter(([, ids]) => ids.length > 0);
  if (mappings.length > 0) {
    out.push("", "Compliance");
    for (const [framework, ids] of mappings) out.push(`  ${COMPLIANCE_TITLES[framework] ?? framework}: ${ids.join(", ")}`);
  }
  out.push("", "Examples");
  for (const ex of rule.examples) {
    const verdict = ex.expect === "fail" ? "fails" : ex.expect === "pass" ? "passes" : "is undecided";
    out.push("", `  ${FORMAT_TITLES[ex.format] ?? ex.format}: ${ex.name} (${verdict})`, "", indent(ex.template.replace(/\n$/, ""), 4));
  }
  return out.join("\n") + "\n";
}

function indent(text: string, n = 2): string {
  return text
    .split("\n")
    .map((l) => (l ? " ".repeat(n) + l : l))
    .join("\n");
}
