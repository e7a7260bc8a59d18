// Large reports are written in pieces; the pieces must make exactly the text of the whole report.
import { describe, expect, it } from "vitest";
import { ITEMS, jsonChunks } from "../../src/reporters/json-chunks.js";
import { jsonReportChunks, toJsonReport } from "../../src/reporters/json.js";
import { sarifChunks, toSarifLog } from "../../src/reporters/sarif.js";
import { sampleResult } from "./sample-result.js";

describe("reports in pieces", () => {
  it.each<[string, unknown, unknown[]]>([
    ["a list at the top", { list: ITEMS }, [1, { a: [2, { b: "x\ny" }] }, "three"]],
    ["a list deep inside, with keys after it", { a: { b: [{ c: ITEMS, d: 1 }] }, e: "f" }, [{ nested: { deeper: [1, 2] } }, null, true]],
    ["an empty list", { a: ITEMS, b: 2 }, []],
    ["one item", { a: ITEMS }, [{}]],
  ])("%s: the pieces are JSON.stringify of the whole", (_name, document, items) => {
    const whole = JSON.stringify(JSON.parse(JSON.stringify(document).replace(JSON.stringify(ITEMS), JSON.stringify(items))), null, 2) + "\n";
    expect([...jsonChunks(document, items, (x) => x)].join("")).toBe(whole);
  });

  it("many items come in more than one piece", () => {
    const items = Array.from({ length: 20_000 }, (_, i) => ({ index: i, text: "x".repeat(60) }));
    const chunks = [...jsonChunks({ items: ITEMS }, items, (x) => x)];
    expect(chunks.length).toBeGreaterThan(1);
    expect(JSON.parse(chunks.join(""))).toEqual({ items });
  });

  it("SARIF in pieces is the SARIF log, and so is JSON", () => {
    const result = sampleResult();
    const options = { color: false, baseUri: "file:///work/" };
    expect([...sarifChunks(result, options)].join("")).toBe(JSON.stringify(toSarifLog(result, options), null, 2) + "\n");
    expect([...jsonReportChunks(result, options)].join("")).toBe(JSON.stringify(toJsonReport(result), null, 2) + "\n");
    const empty = { ...result, findings: [] };
    expect([...sarifChunks(empty, options)].join("")).toBe(JSON.stringify(toSarifLog(empty, options), null, 2) + "\n");
  });
});
