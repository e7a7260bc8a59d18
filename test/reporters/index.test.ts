import { describe, expect, it } from "vitest";
import { FORMATS, getReporter } from "../../src/reporters/index.js";
import { formatJson } from "../../src/reporters/json.js";
import { formatSarif } from "../../src/reporters/sarif.js";
import { formatText } from "../../src/reporters/text.js";
import { sampleResult } from "./sample-result.js";

describe("reporter registry", () => {
  it("lists text, json and sarif", () => {
    expect(FORMATS).toEqual(["text", "json", "sarif", "compact", "github", "junit", "markdown"]);
  });

  it("returns the reporter of each format", () => {
    expect(getReporter("text")).toBe(formatText);
    expect(getReporter("json")).toBe(formatJson);
    expect(getReporter("sarif")).toBe(formatSarif);
    for (const format of FORMATS) expect(typeof getReporter(format)!(sampleResult(), { color: false })).toBe("string");
  });

  it("returns undefined for unknown names, including inherited property names", () => {
    for (const name of ["xml", "TEXT", "", "toString", "__proto__", "constructor"]) {
      expect(getReporter(name)).toBeUndefined();
    }
  });
});
