/**
 * The one decoder of input files: bytes → text. The encoding is told by a byte order mark
 * (UTF-8, UTF-16LE/BE, UTF-32LE/BE), else by the NUL bytes of the first characters (as the
 * YAML 1.2 and RFC 4627 JSON readers tell UTF-16 and UTF-32 without a mark), else it is UTF-8.
 * The text never holds the byte order mark, so lines and columns are those an editor shows.
 * Bytes that are no character of the encoding are reported at the first of them (line and
 * column in the text decoded before it), never read silently as replacement characters.
 */
import { isUtf8 } from "node:buffer";
import { LineIndex } from "./line-index.js";

export type TextEncoding = "UTF-8" | "UTF-16LE" | "UTF-16BE" | "UTF-32LE" | "UTF-32BE";

export interface DecodedText {
  /** The text without its byte order mark (U+FFFD where `invalid` says the bytes were no character). */
  text: string;
  encoding: TextEncoding;
  /** How the encoding was told. */
  by: "byte order mark" | "NUL bytes" | "default";
  /** The first bytes that are no character of the encoding, where the text was decoded up to them. */
  invalid?: { message: string; line: number; column: number };
}

const MARKS: [TextEncoding, number[]][] = [
  ["UTF-8", [0xef, 0xbb, 0xbf]],
  // UTF-32LE first: its mark begins with UTF-16LE's.
  ["UTF-32LE", [0xff, 0xfe, 0x00, 0x00]],
  ["UTF-32BE", [0x00, 0x00, 0xfe, 0xff]],
  ["UTF-16LE", [0xff, 0xfe]],
  ["UTF-16BE", [0xfe, 0xff]],
];

/** Units of the NUL-byte pattern looked at: the first characters of the text. */
const SAMPLE_UNITS = 32;

/**
 * UTF-16 or UTF-32 without a byte order mark: the first character, and three in four of the
 * first characters, are ASCII written with the NUL bytes of that encoding (`A\0W\0` is UTF-16LE).
 */
function byNulBytes(bytes: Uint8Array): TextEncoding | undefined {
  for (const [encoding, width, nonZero] of [
    ["UTF-32BE", 4, 3],
    ["UTF-32LE", 4, 0],
    ["UTF-16BE", 2, 1],
    ["UTF-16LE", 2, 0],
  ] as const) {
    const units = Math.min(SAMPLE_UNITS, Math.floor(bytes.length / width));
    if (units < 2) continue;
    const ascii = (u: number) => {
      for (let k = 0; k < width; k++) if ((bytes[u * width + k] === 0) !== (k !== nonZero)) return false;
      return true;
    };
    if (!ascii(0)) continue;
    let matches = 0;
    for (let u = 0; u < units; u++) if (ascii(u)) matches++;
    if (matches * 4 >= units * 3) return encoding;
  }
  return undefined;
}

/** The offset of the first byte that does not begin a well-formed UTF-8 character, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let follow: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) follow = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      follow = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      follow = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k <= follow; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += follow + 1;
  }
  return -1;
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => `0x${b.toString(16).toUpperCase().padStart(2, "0")}`).join(" ");

/** The bytes as a message shows them: `the byte 0xE9 is …`, `the bytes 0xC3 0x28 are …`. */
const bytesAre = (bytes: Uint8Array, what: string) => (bytes.length === 1 ? `the byte ${hex(bytes)} is ${what}` : `the bytes ${hex(bytes)} are ${what}`);

/** The problem at the end of `textBefore` (the text decoded before the bad bytes), where the diagnostic points: `what` says what is there. */
function invalidAt(textBefore: string, encoding: TextEncoding, what: string): NonNullable<DecodedText["invalid"]> {
  const at = new LineIndex(textBefore).at(textBefore.length);
  const hint = encoding === "UTF-8" ? " (was it saved in another encoding, such as Latin-1 or Windows-1252?)" : "";
  return { message: `the file is not valid ${encoding} text: ${what}${hint}; save it as UTF-8`, ...at };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function decodeUtf16(body: Uint8Array, encoding: "UTF-16LE" | "UTF-16BE"): Omit<DecodedText, "encoding" | "by"> {
  const even = body.length - (body.length % 2);
  const units = Buffer.from(body.subarray(0, even));
  if (encoding === "UTF-16BE") units.swap16();
  let text = units.toString("utf16le");
  let invalid: DecodedText["invalid"];
  const lone = LONE_SURROGATE.exec(text);
  if (lone) {
    const offset = lone.index * 2;
    invalid = invalidAt(text.slice(0, lone.index), encoding, bytesAre(body.subarray(offset, offset + 2), "half of a character (an unpaired surrogate)"));
    text = text.replace(new RegExp(LONE_SURROGATE.source, "g"), "\uFFFD");
  } else if (even < body.length) {
    invalid = invalidAt(text, encoding, "the file ends in the middle of a character");
    text += "\uFFFD";
  }
  return invalid ? { text, invalid } : { text };
}

function decodeUtf32(body: Uint8Array, encoding: "UTF-32LE" | "UTF-32BE"): Omit<DecodedText, "encoding" | "by"> {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const parts: string[] = [];
  let chunk: number[] = [];
  let invalid: DecodedText["invalid"];
  const flush = () => {
    parts.push(String.fromCodePoint(...chunk));
    chunk = [];
  };
  for (let i = 0; i + 4 <= body.length; i += 4) {
    const c = view.getUint32(i, encoding === "UTF-32LE");
    const ok = c <= 0x10ffff && (c < 0xd800 || c > 0xdfff);
    if (!ok && !invalid) {
      flush();
      invalid = invalidAt(parts.join(""), encoding, bytesAre(body.subarray(i, i + 4), "no character"));
    }
    chunk.push(ok ? c : 0xfffd);
    if (chunk.length >= 8192) flush();
  }
  flush();
  let text = parts.join("");
  if (body.length % 4 !== 0) {
    invalid ??= invalidAt(text, encoding, "the file ends in the middle of a character");
    text += "\uFFFD";
  }
  return invalid ? { text, invalid } : { text };
}

/** Decodes an input file's bytes (see the module comment). Never throws. */
export function decodeText(bytes: Uint8Array): DecodedText {
  const marked = MARKS.find(([, mark]) => mark.every((b, i) => bytes[i] === b));
  const encoding = marked?.[0] ?? byNulBytes(bytes) ?? "UTF-8";
  const by = marked ? "byte order mark" : encoding === "UTF-8" ? "default" : "NUL bytes";
  const body = bytes.subarray(marked?.[1].length ?? 0);
  if (encoding === "UTF-16LE" || encoding === "UTF-16BE") return { ...decodeUtf16(body, encoding), encoding, by };
  if (encoding === "UTF-32LE" || encoding === "UTF-32BE") return { ...decodeUtf32(body, encoding), encoding, by };
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const text = buffer.toString("utf8");
  if (isUtf8(buffer)) return { text, encoding, by };
  const bad = firstInvalidUtf8(buffer);
  return { text, encoding, by, invalid: invalidAt(buffer.subarray(0, bad).toString("utf8"), "UTF-8", bytesAre(buffer.subarray(bad, bad + 2), "no UTF-8 character")) };
}

/** How the file's encoding reads in a message: `UTF-16LE (told by its byte order mark)`. */
export function describeEncoding(d: Pick<DecodedText, "encoding" | "by">): string {
  return d.by === "default" ? d.encoding : d.by === "byte order mark" ? `${d.encoding} (it starts with a byte order mark)` : `${d.encoding} (without a byte order mark: its first characters have the NUL bytes of ${d.encoding})`;
}
