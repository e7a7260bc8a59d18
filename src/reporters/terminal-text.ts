/** Helpers for text meant for a terminal: neutralising control characters and optional colour. */
import { styleText } from "node:util";

/** A format, or formats, of `util.inspect.colors`. */
export type StyleFormat = Parameters<typeof styleText>[0];

// C0 controls except tab, DEL, and C1 controls (U+009B is a one-byte CSI on some terminals).
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/**
 * Replaces control characters with U+FFFD so text from a template (messages, addresses,
 * source lines) cannot move the cursor or change colours. One character for one keeps
 * columns, and with them code-frame carets, aligned.
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL_CHARACTERS, "\ufffd");
}

/**
 * Styles `text` when `color` is true. The decision is the caller's alone: `validateStream`
 * is off so the result never depends on whether this process's stdout is a terminal.
 */
export function paint(color: boolean, format: StyleFormat, text: string): string {
  if (!color || text === "") return text;
  return styleText(format, text, { validateStream: false });
}
