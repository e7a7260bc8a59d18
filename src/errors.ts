/**
 * A mistake in how parapet was called (unknown flag, missing path, invalid rule or config
 * file). The CLI prints its message on one line and exits with code 2, never a stack trace.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
