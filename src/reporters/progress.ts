/**
 * The progress line of long runs: on a terminal, with many files, parapet shows on standard
 * error how many files it has read and how many findings it has so far. Never in CI, never
 * when standard error is not a terminal, so logs and pipes stay clean.
 */
export interface ProgressSink {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Files below this count finish too fast for a progress line to help. */
export const PROGRESS_MIN_FILES = 50;

export function progressText(done: number, total: number, findings: number): string {
  return `parapet: ${done}/${total} files read, ${findings} finding${findings === 1 ? "" : "s"} so far`;
}

/** A progress reporter, or undefined when progress must not be shown. */
export function createProgress(
  sink: ProgressSink,
  env: Record<string, string | undefined>,
  total: number,
  now: () => number = Date.now,
): { update(done: number, findings: number): void; end(): void } | undefined {
  if (!sink.isTTY || env["CI"] || total < PROGRESS_MIN_FILES) return undefined;
  let last = Number.NEGATIVE_INFINITY;
  let shown = false;
  return {
    update(done, findings) {
      const t = now();
      if (t - last < 100 && done < total) return; // at most ten updates a second
      last = t;
      shown = true;
      sink.write(`\r${progressText(done, total, findings)}\u001b[K`);
    },
    end() {
      if (shown) sink.write("\r\u001b[K");
    },
  };
}
