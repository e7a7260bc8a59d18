// The progress line: only on a terminal, never in CI, only for many files, throttled.
import { describe, expect, it } from "vitest";
import { createProgress, progressText, PROGRESS_MIN_FILES } from "../../src/reporters/progress.js";

function sink(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (t: string) => written.push(t) };
}

describe("progress line", () => {
  it("is off when standard error is not a terminal, in CI, or for few files", () => {
    expect(createProgress(sink(false), {}, 1000)).toBeUndefined();
    expect(createProgress(sink(true), { CI: "true" }, 1000)).toBeUndefined();
    expect(createProgress(sink(true), {}, PROGRESS_MIN_FILES - 1)).toBeUndefined();
  });

  it("rewrites one line at most ten times a second and clears it at the end", () => {
    const s = sink(true);
    let t = 0;
    const p = createProgress(s, {}, 100, () => t)!;
    p.update(1, 0);
    t = 50;
    p.update(2, 1); // too soon: skipped
    t = 150;
    p.update(3, 1);
    t = 160;
    p.update(100, 4); // the last file is always shown
    p.end();
    expect(s.written).toEqual([
      `\r${progressText(1, 100, 0)}\u001b[K`,
      `\r${progressText(3, 100, 1)}\u001b[K`,
      `\r${progressText(100, 100, 4)}\u001b[K`,
      "\r\u001b[K",
    ]);
    expect(progressText(3, 100, 1)).toBe("parapet: 3/100 files read, 1 finding so far");
  });
});
