/**
 * A mistake in how parapet was called (unknown flag, missing path, invalid rule or config
 * file). The CLI prints each line of its message as a line of its own (a configuration file
 * may have several problems) and exits with code 2, never a stack trace.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
