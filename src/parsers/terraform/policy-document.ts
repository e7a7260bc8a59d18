/**
 * `data "aws_iam_policy_document"` computed the way the AWS provider documents it: a pure
 * function of its arguments, so its `json` is known whenever its statements are.
 *
 * - each `statement` block becomes one statement: `effect` (default `Allow`), `sid`,
 *   `actions` / `not_actions` → `Action` / `NotAction`, `resources` / `not_resources`,
 *   `principals` / `not_principals` blocks (`type`, `identifiers`) grouped by type, and
 *   `condition` blocks (`test`, `variable`, `values`) grouped by test then variable;
 * - `source_policy_documents` come first; a statement of the block with the same `sid`
 *   replaces a source statement. `override_policy_documents` are merged last, in order: a
 *   statement with a non-empty `sid` replaces the one with that `sid`, others are appended;
 * - `version` defaults to `2012-10-17`, `policy_id` becomes `Id`;
 * - `&{...}` in strings is written `${...}` (an IAM policy variable);
 * - a list of one element is written as that element, as the provider does.
 *
 * Parts that are unknown (a resource ARN known after apply) stay unknown inside the document:
 * `json` is then an unknown that keeps the document, which the `json` value shape reads.
 */
import { firstUnknown, isMap, refsIn, Unknown, type Resolved, type ResolvedMap } from "../../values/value.js";

export const POLICY_DOCUMENT_TYPE = "aws_iam_policy_document";
/** The attributes the data source exports (an instance key is anything else). */
export const POLICY_DOCUMENT_ATTRIBUTES = new Set(["json", "minified_json", "id"]);

/** The attributes of the data source a configuration reads: `json`, `minified_json`. */
export function policyDocumentAttributes(body: ResolvedMap, address: string): ResolvedMap {
  const document = policyDocument(body, address);
  if (document instanceof Unknown) return { json: document, minified_json: document };
  const unknown = firstUnknown(document);
  if (unknown) {
    const partial = new Unknown(`${address}.json has unknown parts: ${unknown.reason}`, { decoded: document, refs: refsIn(document) });
    return { json: partial, minified_json: partial };
  }
  return { json: JSON.stringify(document, null, 2), minified_json: JSON.stringify(document) };
}

function policyDocument(body: ResolvedMap, address: string): ResolvedMap | Unknown {
  const statements: Resolved[] = [];
  for (const text of listOf(body["source_policy_documents"])) {
    const parsed = statementsIn(text);
    if (parsed instanceof Unknown) return new Unknown(`${address}: a source policy document cannot be read: ${parsed.reason}`);
    statements.push(...parsed);
  }
  for (const block of listOf(body["statement"])) mergeBySid(statements, isMap(block) ? statementOf(block) : block);
  for (const text of listOf(body["override_policy_documents"])) {
    const parsed = statementsIn(text);
    if (parsed instanceof Unknown) return new Unknown(`${address}: an override policy document cannot be read: ${parsed.reason}`);
    for (const s of parsed) mergeBySid(statements, s);
  }
  const document: ResolvedMap = { Version: body["version"] ?? "2012-10-17" };
  if (body["policy_id"] !== undefined) document["Id"] = body["policy_id"];
  document["Statement"] = statements;
  return document;
}

/** A statement with a non-empty sid replaces the earlier one with that sid; any other is appended. */
function mergeBySid(statements: Resolved[], statement: Resolved): void {
  const sid = isMap(statement) ? statement["Sid"] : undefined;
  const at = typeof sid === "string" && sid !== "" ? statements.findIndex((s) => isMap(s) && s["Sid"] === sid) : -1;
  if (at >= 0) statements[at] = statement;
  else statements.push(statement);
}

const STATEMENT_LISTS: [string, string][] = [
  ["actions", "Action"],
  ["not_actions", "NotAction"],
  ["resources", "Resource"],
  ["not_resources", "NotResource"],
];

function statementOf(block: ResolvedMap): ResolvedMap {
  const out: ResolvedMap = {};
  if (block["sid"] !== undefined) out["Sid"] = block["sid"];
  out["Effect"] = block["effect"] ?? "Allow";
  for (const [from, to] of STATEMENT_LISTS) {
    const values = block[from];
    if (values instanceof Unknown) out[to] = values;
    else if (values !== undefined && listOf(values).length > 0) out[to] = oneOrMany(listOf(values).map(policyVariables));
  }
  const principals = principalsOf(block["principals"]);
  if (principals !== undefined) out["Principal"] = principals;
  const notPrincipals = principalsOf(block["not_principals"]);
  if (notPrincipals !== undefined) out["NotPrincipal"] = notPrincipals;
  const conditions = conditionsOf(block["condition"]);
  if (conditions !== undefined) out["Condition"] = conditions;
  return out;
}

/** `principals { type = "AWS", identifiers = [...] }` blocks → `{"AWS": [...]}`; `type = "*"` → `"*"`. */
function principalsOf(blocks: Resolved | undefined): Resolved | undefined {
  if (blocks === undefined) return undefined;
  if (blocks instanceof Unknown) return blocks;
  const byType: { [type: string]: Resolved[] } = {};
  for (const b of listOf(blocks)) {
    if (!isMap(b)) return b instanceof Unknown ? b : undefined;
    if (b["type"] instanceof Unknown) return b["type"];
    const type = String(b["type"] ?? "");
    if (type === "*") return "*";
    const ids = b["identifiers"];
    (byType[type] ??= []).push(...(ids instanceof Unknown ? [ids] : listOf(ids).map(policyVariables)));
  }
  const out: ResolvedMap = {};
  for (const [type, ids] of Object.entries(byType)) out[type] = oneOrMany(ids);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `condition { test, variable, values }` blocks → `{"test": {"variable": values}}`. */
function conditionsOf(blocks: Resolved | undefined): Resolved | undefined {
  if (blocks === undefined) return undefined;
  if (blocks instanceof Unknown) return blocks;
  const out: { [test: string]: ResolvedMap } = {};
  for (const b of listOf(blocks)) {
    if (!isMap(b)) return b instanceof Unknown ? b : undefined;
    const test = b["test"];
    const variable = b["variable"];
    if (typeof test !== "string" || typeof variable !== "string") return new Unknown("a condition's test or variable is not known");
    const tests = (out[test] ??= {});
    const earlier = tests[variable];
    const values = b["values"] instanceof Unknown ? [b["values"]] : listOf(b["values"]).map(policyVariables);
    const before: Resolved[] = earlier === undefined ? [] : Array.isArray(earlier) ? earlier : [earlier];
    tests[variable] = oneOrMany([...before, ...values]);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The statements of a policy document given as JSON text (or as an unknown that keeps its document). */
function statementsIn(text: Resolved): Resolved[] | Unknown {
  let document: unknown = text;
  if (text instanceof Unknown) {
    if (text.decoded === undefined) return text;
    document = text.decoded;
  } else if (typeof text === "string") {
    try {
      document = JSON.parse(text) as unknown;
    } catch {
      return new Unknown("it is not valid JSON");
    }
  }
  if (!isMap(document as Resolved)) return new Unknown("it is not a JSON object");
  const list = (document as ResolvedMap)["Statement"];
  if (list instanceof Unknown) return list;
  return Array.isArray(list) ? list : list === undefined ? [] : [list];
}

function policyVariables(s: Resolved): Resolved {
  return typeof s === "string" ? s.replace(/&\{/g, "${") : typeof s === "number" || typeof s === "boolean" ? String(s) : s;
}

function oneOrMany(values: Resolved[]): Resolved {
  return values.length === 1 ? values[0]! : values;
}

/** A list argument (or a single value) as a list; `null` and unset as empty. */
function listOf(v: Resolved | undefined): Resolved[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}
