/**
 * Which CloudFormation templates of a run may link to each other, from a cheap look at their
 * text (no parse): a template that exports a name and one of the same folder that imports a
 * name sharing a word with it; a template and the one its `TemplateURL` names as a relative path.
 * A false match only makes a group larger; the links themselves are decided after parsing.
 */
import { dirname } from "node:path";
import { localTemplatePath } from "../parsers/cloudformation/linked-stacks.js";
import { DisjointSets } from "./disjoint-sets.js";
import { readSource } from "../source/read.js";

/** What the text says about links to other templates. */
export interface LinkHints {
  /** Words near the template's `Export` names. */
  exports: Set<string>;
  /** Words near its `Fn::ImportValue`s. */
  imports: Set<string>;
  /** Absolute paths its `TemplateURL`s name. */
  nested: string[];
}

/** Templates larger than this are not scanned (they stay units of their own). */
const MAX_SCANNED = 2 * 1024 * 1024;
/** How far after `Export` or `ImportValue` the name is looked for. */
const WINDOW = 160;
const EXPORT = /\bExport["']?\s*:/g;
const IMPORT = /ImportValue/g;
const TEMPLATE_URL = /\bTemplateURL["']?\s*:\s*["']?([^\s"'{}[\],#]+)/g;
const WORD = /[A-Za-z0-9]{3,}/g;
/** Words of the syntax around a name, which say nothing about which name it is. */
const SYNTAX = new Set(["Export", "Name", "Value", "Sub", "Join", "Ref", "ImportValue", "AWS", "StackName", "Region", "AccountId", "Partition", "Select", "Split", "GetAtt", "Outputs", "Description", "Condition"]);

function wordsAfter(text: string, pattern: RegExp): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(pattern)) {
    const window = text.slice(m.index + m[0].length, m.index + m[0].length + WINDOW);
    for (const [w] of window.matchAll(WORD)) if (!SYNTAX.has(w)) out.add(w);
  }
  return out;
}

/** The link hints of a template's text; `file` is its absolute path. */
export function linkHints(file: string, text: string): LinkHints {
  const nested: string[] = [];
  for (const m of text.matchAll(TEMPLATE_URL)) {
    const path = localTemplatePath(file, m[1]);
    if (path) nested.push(path);
  }
  return { exports: wordsAfter(text, EXPORT), imports: wordsAfter(text, IMPORT), nested };
}

function readHints(file: string, size: number): LinkHints | undefined {
  if (size > MAX_SCANNED) return undefined;
  try {
    // The safe reader: a named pipe, a folder or a file over the limits is not waited for or read.
    return linkHints(file, readSource(file).text);
  } catch {
    return undefined;
  }
}

/**
 * Groups of files (by absolute path, with their sizes) that may link; files that link to none
 * are left out. Each group is sorted, and groups are in the order of their first file.
 * Exporters are indexed by folder and word, so a folder of many templates is grouped in time
 * linear in the words, not in the pairs of templates.
 */
export function linkedGroups(files: { path: string; size: number }[]): string[][] {
  const hints = new Map<string, LinkHints>();
  for (const f of files) {
    const h = readHints(f.path, f.size);
    if (h) hints.set(f.path, h);
  }
  const sets = new DisjointSets(hints.keys());
  const exporters = new Map<string, string[]>();
  const keyOf = (file: string, word: string) => `${dirname(file)}\0${word}`;
  for (const [file, h] of hints) {
    for (const word of h.exports) {
      const key = keyOf(file, word);
      const list = exporters.get(key);
      if (list) list.push(file);
      else exporters.set(key, [file]);
    }
  }
  // The exporters of a name that some template imports all join its group: join them once.
  const joined = new Set<string>();
  for (const [file, h] of hints) {
    for (const child of h.nested) if (sets.has(child) && child !== file) sets.union(file, child);
    for (const word of h.imports) {
      const key = keyOf(file, word);
      const list = exporters.get(key);
      if (!list) continue;
      if (!joined.has(key)) {
        for (const other of list) sets.union(list[0]!, other);
        joined.add(key);
      }
      // The exporters are one group now: joining one of them joins all (itself, if it is the only one).
      sets.union(file, list[0]!);
    }
  }
  return sets
    .groups()
    .filter((g) => g.length > 1)
    .map((g) => g.sort());
}
