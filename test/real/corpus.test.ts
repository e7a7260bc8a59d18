import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CORPUS,
  LINTED,
  PARSE_ERRORS,
  REGENERATE,
  type CorpusRecord,
  type CorpusReport,
  diffRecords,
  formatRecord,
  lintCorpus,
  readExpected,
  recordOf,
  unexpectedParseErrors,
} from "../../scripts/real-fixtures.mjs";

/** Every file kept in the linted folders of the corpus, relative to it with forward slashes. */
function corpusFiles(): string[] {
  return LINTED.flatMap((folder) =>
    readdirSync(join(CORPUS, folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(CORPUS, join(entry.parentPath, entry.name)).split(sep).join("/")),
  ).sort();
}

describe("the corpus of real public templates (test/fixtures/real)", () => {
  let report: CorpusReport;
  let record: CorpusRecord;
  beforeAll(() => {
    report = lintCorpus();
    record = recordOf(report);
    // Lints the whole corpus in this process: seconds alone, more on a loaded machine.
  }, 120_000);

  it("reads every file of the corpus as a template or a Terraform module", () => {
    expect([...report.files].sort()).toEqual(corpusFiles());
  });

  it("has parse errors only in the files listed, with a reason, in parse-errors.json", () => {
    const allowed = JSON.parse(readFileSync(PARSE_ERRORS, "utf8"));
    const { unlisted, stale } = unexpectedParseErrors(record, allowed);
    expect(unlisted, "these files no longer parse; a template AWS deploys must parse").toEqual([]);
    expect(stale, "these files parse now: remove them from parse-errors.json").toEqual([]);
  });

  it("reports exactly the recorded findings (expected.json)", () => {
    const diff = diffRecords(readExpected(), record);
    const hint = `\n${diff.join("\n")}\n\nReview the changes above (REVIEW.md), then regenerate with: ${REGENERATE}\n`;
    expect(diff, hint).toEqual([]);
  });

  it("keeps expected.json in the form the script writes (stable order, one finding per line)", () => {
    expect(readFileSync(join(CORPUS, "expected.json"), "utf8")).toBe(formatRecord(readExpected()));
  });
});
