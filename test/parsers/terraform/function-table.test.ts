import { describe, expect, it } from "vitest";
import { FUNCTIONS, UNEVALUATED } from "../../../src/parsers/terraform/expressions/functions/index.js";
import { COLLECTION_FUNCTIONS } from "../../../src/parsers/terraform/expressions/functions/collections.js";
import { STRING_FUNCTIONS } from "../../../src/parsers/terraform/expressions/functions/strings.js";
import { NUMBER_FUNCTIONS } from "../../../src/parsers/terraform/expressions/functions/numbers.js";
import { ENCODING_FUNCTIONS } from "../../../src/parsers/terraform/expressions/functions/encoding.js";
import { NETWORK_FUNCTIONS } from "../../../src/parsers/terraform/expressions/functions/network.js";

// The built-in functions are declared in one table per kind and merged into one; a name
// declared in two tables would silently keep only the last one.
const KINDS = { COLLECTION_FUNCTIONS, STRING_FUNCTIONS, NUMBER_FUNCTIONS, ENCODING_FUNCTIONS, NETWORK_FUNCTIONS };

describe("the table of built-in Terraform functions", () => {
  it("declares each function in one table of its kind only", () => {
    const owners = new Map<string, string[]>();
    for (const [kind, table] of Object.entries(KINDS)) for (const name of Object.keys(table)) owners.set(name, [...(owners.get(name) ?? []), kind]);
    expect([...owners].filter(([, kinds]) => kinds.length > 1)).toEqual([]);
  });

  it("holds every function of every kind, and nothing else", () => {
    const names = Object.values(KINDS).flatMap((table) => Object.keys(table));
    expect(Object.keys(FUNCTIONS).sort()).toEqual(names.sort());
  });

  it("never lists a function it evaluates among those it does not", () => {
    expect(Object.keys(UNEVALUATED).filter((name) => name in FUNCTIONS)).toEqual([]);
  });
});
