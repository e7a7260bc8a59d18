/**
 * `docs/kinds.md`: the canonical kinds and their attributes, generated from the adapter
 * tables, so rule authors see which native property each attribute is read from.
 */
import type { KindSpec } from "../graph/mapping.js";

interface Row {
  attribute: string;
  sources: Map<string, string[]>;
}

function describe(spec: { from?: string | string[]; value?: unknown; default?: unknown; translate?: Readonly<Record<string, unknown>> }): string {
  if (spec.value !== undefined) return `always \`${JSON.stringify(spec.value)}\``;
  const from = spec.from === undefined ? [] : Array.isArray(spec.from) ? spec.from : [spec.from];
  const text = from.map((f) => `\`${f}\``).join(" or ");
  const notes = [
    ...(spec.default !== undefined ? [`default \`${JSON.stringify(spec.default)}\``] : []),
    ...Object.entries(spec.translate ?? {}).map(([native, canonical]) => `\`${native}\` is \`${JSON.stringify(canonical)}\``),
  ];
  return notes.length > 0 ? `${text} (${notes.join("; ")})` : text;
}

export function renderKinds(tables: Record<string, Record<string, KindSpec>>): string {
  const kinds = new Map<string, Map<string, Row>>();
  const natives = new Map<string, Map<string, string[]>>();
  const add = (kind: string, format: string, nativeType: string, attrs: KindSpec["attributes"], prefix = "") => {
    const rows = kinds.get(kind) ?? new Map<string, Row>();
    kinds.set(kind, rows);
    const types = natives.get(kind) ?? new Map<string, string[]>();
    natives.set(kind, types);
    const list = types.get(format) ?? [];
    const label = prefix ? `${nativeType} (${prefix})` : nativeType;
    if (!list.includes(label)) list.push(label);
    types.set(format, list);
    for (const [name, spec] of Object.entries(attrs)) {
      const row = rows.get(name) ?? { attribute: name, sources: new Map() };
      rows.set(name, row);
      const s = row.sources.get(format) ?? [];
      const text = `${prefix ? `${prefix}[].` : ""}${describe(spec)}`;
      if (!s.includes(text)) s.push(text);
      row.sources.set(format, s);
    }
  };
  for (const [format, table] of Object.entries(tables)) {
    for (const [nativeType, spec] of Object.entries(table)) {
      add(spec.kind, format, nativeType, spec.attributes);
      for (const child of spec.children ?? []) {
        add(child.kind, format, nativeType, { ...child.attributes, ...Object.fromEntries(Object.entries(child.fixed ?? {}).map(([k, v]) => [k, { value: v }])), [child.ownerAttribute]: { value: "<owner>" } }, child.list);
      }
    }
  }
  const formats = Object.keys(tables);
  const out = [
    "# Canonical kinds",
    "",
    "<!-- Generated from the adapter tables by `npm run rules:doc`. Do not edit by hand. -->",
    "",
    "Rules name these kinds in `applies_to` and read these attributes with `attr`. Each attribute",
    "is read from the native property shown, per format; a default is what the format applies",
    "when the property is not written. Resources without a kind keep their native type and",
    "properties (`AWS::S3::Bucket`, `aws_s3_bucket`).",
    "",
  ];
  for (const kind of [...kinds.keys()].sort()) {
    out.push(`## ${kind}`, "");
    for (const format of formats) {
      const types = natives.get(kind)?.get(format);
      if (types) out.push(`- ${format}: ${types.map((t) => `\`${t}\``).join(", ")}`);
    }
    out.push("", `| attribute | ${formats.join(" | ")} |`, `| --- | ${formats.map(() => "---").join(" | ")} |`);
    for (const row of [...kinds.get(kind)!.values()].sort((a, b) => (a.attribute < b.attribute ? -1 : 1))) {
      out.push(`| \`${row.attribute}\` | ${formats.map((f) => (row.sources.get(f) ?? []).join("; ").replace(/\|/g, "\\|") || "–").join(" | ")} |`);
    }
    out.push("");
  }
  return out.join("\n").trimEnd() + "\n";
}
