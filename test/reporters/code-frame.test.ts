import { describe, expect, it, vi } from "vitest";
import { createCodeFrameRenderer, indexLines, renderCodeFrame } from "../../src/reporters/code-frame.js";
import type { Position } from "../../src/source/location.js";

const at = (line: number, column: number, endLine = line, endColumn = column + 1): Position => ({
  line,
  column,
  endLine,
  endColumn,
});

/** Column (0-based, in the frame text) of the caret, and the frame line above it. */
function caretAndLineAbove(frame: string): { caret: number; above: string } {
  const lines = frame.split("\n");
  const caretRow = lines.findIndex((l) => l.trimEnd().endsWith("^"));
  return { caret: lines[caretRow]!.indexOf("^"), above: lines[caretRow - 1]! };
}

const TEXT = ["one", "two", "three", "  four: 4", "five", "six", "seven", ""].join("\n");

describe("renderCodeFrame", () => {
  it("shows context, a > marker on the offending line and a caret under the start column", () => {
    const frame = renderCodeFrame(indexLines(TEXT), at(4, 3), { color: false })!;
    expect(frame.split("\n")).toEqual([
      "  2 | two",
      "  3 | three",
      "> 4 |   four: 4",
      "    |   ^",
      "  5 | five",
    ]);
    const { caret, above } = caretAndLineAbove(frame);
    expect(above[caret]).toBe("f");
  });

  it("marks every offending line, caps them at three and says how many were left out", () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n");
    const frame = renderCodeFrame(indexLines(lines), at(5, 1, 25, 3), { color: false })!;
    const rows = frame.split("\n");
    expect(rows.filter((r) => r.startsWith(">"))).toEqual(["> 5 | line 5", "> 6 | line 6", "> 7 | line 7"]);
    expect(rows.at(-1)).toContain("18 more lines");
    expect(rows.length).toBeLessThanOrEqual(7);
  });

  it("pads the gutter to the widest line number", () => {
    const lines = Array.from({ length: 12 }, (_, i) => `l${i + 1}`).join("\n");
    const frame = renderCodeFrame(indexLines(lines), at(10, 2), { color: false })!;
    expect(frame.split("\n")).toEqual(["   8 | l8", "   9 | l9", "> 10 | l10", "     |  ^", "  11 | l11"]);
  });

  it("copies tabs before the caret so it lines up with tab-indented text", () => {
    const frame = renderCodeFrame(indexLines("\t\tkey = 1\n"), at(1, 3), { color: false })!;
    expect(frame.split("\n")[1]).toBe("    | \t\t^");
  });

  it("drops carriage returns of CRLF files", () => {
    const frame = renderCodeFrame(indexLines("a\r\nb\r\nc\r\n"), at(2, 1), { color: false })!;
    expect(frame).not.toContain("\r");
    expect(frame.split("\n")[1]).toBe("> 2 | b");
  });

  it("cuts a very long line to a window around the column and keeps the caret on the right character", () => {
    const long = `${"x".repeat(5000)}TARGET${"y".repeat(5000)}`;
    const frame = renderCodeFrame(indexLines(long), at(1, 5001), { color: false })!;
    for (const row of frame.split("\n")) expect(row.length).toBeLessThan(160);
    const { caret, above } = caretAndLineAbove(frame);
    expect(above.slice(caret, caret + 6)).toBe("TARGET");
    expect(above).toContain("\u2026");
  });

  it("does not show the empty line after the final line break as context, but frames a finding on it", () => {
    const index = indexLines("a: 1\nb: [\n");
    expect(renderCodeFrame(index, at(2, 4), { color: false })!.split("\n")).toEqual(["  1 | a: 1", "> 2 | b: [", "    |    ^"]);
    expect(renderCodeFrame(index, at(3, 1), { color: false })!.split("\n")).toEqual(["  1 | a: 1", "  2 | b: [", "> 3 |", "    | ^"]);
  });

  it("returns undefined for positions outside the file", () => {
    const index = indexLines(TEXT);
    expect(renderCodeFrame(index, at(0, 1), { color: false })).toBeUndefined();
    expect(renderCodeFrame(index, at(99, 1), { color: false })).toBeUndefined();
  });

  it("replaces control characters of the source so they cannot reach the terminal", () => {
    const frame = renderCodeFrame(indexLines("Name: \u001b[31mred\u0007\n"), at(1, 1), { color: false })!;
    expect(frame).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(frame).toContain("Name: \ufffd[31mred\ufffd");
  });

  it("colours only when asked to", () => {
    expect(renderCodeFrame(indexLines(TEXT), at(4, 3), { color: false })).not.toMatch(/\u001b\[/);
    expect(renderCodeFrame(indexLines(TEXT), at(4, 3), { color: true })).toMatch(/\u001b\[31m/);
  });

  it("puts the indent in front of every line", () => {
    const frame = renderCodeFrame(indexLines(TEXT), at(1, 1), { color: false, indent: "    " })!;
    for (const row of frame.split("\n")) expect(row.startsWith("    ")).toBe(true);
  });
});

describe("createCodeFrameRenderer", () => {
  it("reads and indexes each file once however many findings it has", () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `  Key${i}: value`).join("\n");
    const readSource = vi.fn((file: string) => (file === "big.yaml" ? big : undefined));
    const frameFor = createCodeFrameRenderer(readSource, { color: false });
    for (let line = 1; line <= 20_000; line += 4) expect(frameFor("big.yaml", at(line, 3))).toContain(`Key${line - 1}:`);
    expect(frameFor("missing.yaml", at(1, 1))).toBeUndefined();
    expect(frameFor("missing.yaml", at(2, 1))).toBeUndefined();
    expect(readSource).toHaveBeenCalledTimes(2);
  });

  it("renders nothing without a source reader", () => {
    expect(createCodeFrameRenderer(undefined, { color: false })("a.yaml", at(1, 1))).toBeUndefined();
  });
});
