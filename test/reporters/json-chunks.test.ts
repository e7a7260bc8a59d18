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
  ])("%s: the document laid out as JSON.stringify does, each item on a line of its own", (_name, document, items) => {
    const text = [...jsonChunks(document, items, (x) => x)].join("");
    const whole = JSON.parse(JSON.stringify(document).replace(JSON.stringify(ITEMS), JSON.stringify(items))) as unknown;
    expect(JSON.parse(text)).toEqual(whole);
    expect(text.endsWith("\n")).toBe(true);
    // Without the items' lines, the text is the document with an empty list, indented by two.
    const itemLines = new Set(items.map((x) => JSON.stringify(x)));
    const lines = text.split("\n");
    const listed = lines.filter((l) => itemLines.has(l.trim().replace(/,$/, "")));
    expect(listed).toHaveLength(items.length);
    listed.forEach((l, i) => expect(JSON.parse(l.trim().replace(/,$/, ""))).toEqual(items[i]));
    const rest = lines.filter((l) => !listed.includes(l)).join("\n");
    const emptied = JSON.stringify(JSON.parse(JSON.stringify(document).replace(JSON.stringify(ITEMS), "[]")), null, 2) + "\n";
    expect(rest.replace(/\[\n\s*\]/g, "[]")).toBe(emptied);
  });

  it("many items come in more than one piece", () => {
    const items = Array.from({ length: 20_000 }, (_, i) => ({ index: i, text: "x".repeat(60) }));
    const chunks = [...jsonChunks({ items: ITEMS }, items, (x) => x)];
    expect(chunks.length).toBeGreaterThan(1);
    expect(JSON.parse(chunks.join(""))).toEqual({ items });
  });

  it("SARIF in pieces is the SARIF log, and so is JSON, a finding a line", () => {
    const result = sampleResult();
    const options = { color: false, baseUri: "file:///work/" };
    const sarif = [...sarifChunks(result, options)].join("");
    const log = toSarifLog(result, options);
    expect(JSON.parse(sarif)).toEqual(log);
    const results = (log.runs as { results: unknown[] }[])[0]!.results;
    expect(results.length).toBeGreaterThan(1);
    for (const r of results) expect(sarif).toContain(`\n${" ".repeat(8)}${JSON.stringify(r)}`);
    expect(JSON.parse([...jsonReportChunks(result, options)].join(""))).toEqual(toJsonReport(result));
    const empty = { ...result, findings: [] };
    expect([...sarifChunks(empty, options)].join("")).toBe(JSON.stringify(toSarifLog(empty, options), null, 2) + "\n");
  });
});
