/**
 * Writing a large JSON report piece by piece: the document is laid out once with a marker
 * where its long list goes, and the list's items are converted and laid out one at a time.
 * The output is exactly `JSON.stringify(document, null, 2)` with the items in place, but no
 * object tree of the whole report, nor the whole text, is ever held in memory at once.
 */

const MARK = "\u0000parapet-items\u0000";

/** The marker to put in the document where the items go (as the list's only member). */
export const ITEMS: readonly unknown[] = [MARK];

/** Chunks of about this many characters. */
const CHUNK = 1 << 20;

export function* jsonChunks<T>(document: unknown, items: readonly T[], toItem: (item: T) => unknown): Generator<string> {
  const text = JSON.stringify(document, null, 2);
  const quoted = JSON.stringify(MARK);
  const at = text.indexOf(quoted);
  const lineStart = text.lastIndexOf("\n", at) + 1;
  const indent = text.slice(lineStart, at);
  const open = text.lastIndexOf("[", lineStart);
  const close = text.indexOf("]", at + quoted.length);
  if (items.length === 0) {
    yield `${text.slice(0, open + 1)}]${text.slice(close + 1)}\n`;
    return;
  }
  let buffer = `${text.slice(0, open + 1)}\n`;
  for (let i = 0; i < items.length; i++) {
    buffer += indent + JSON.stringify(toItem(items[i]!), null, 2).replaceAll("\n", `\n${indent}`) + (i < items.length - 1 ? ",\n" : "\n");
    if (buffer.length >= CHUNK) {
      yield buffer;
      buffer = "";
    }
  }
  yield `${buffer}${text.slice(text.lastIndexOf("\n", close) + 1)}\n`;
}
