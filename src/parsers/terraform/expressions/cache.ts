/** Syntax trees parsed up front: the evaluator is synchronous, the HCL parser is not. */
import { type ExpressionAst, hcl2json } from "../hcl.js";
import { TOO_COMPLEX } from "./guards.js";
import { collectExpressions, heredoc, parserMessage, simpleTraversalTree, withinParserLimits } from "./syntax.js";

/** Templates parsed per call into the HCL parser. */
const BATCH_SIZE = 256;

const FILENAME = "expression.tf";

interface CacheEntry {
  tree: ExpressionAst | Error;
  /** The heredoc that was parsed, as UTF-8 (tree ranges are byte offsets into it). */
  bytes?: Buffer;
}

/** Caches syntax trees; the evaluator is synchronous, so trees are fetched up front. */
export class ExpressionCache {
  private readonly entries = new Map<string, CacheEntry>();
  /** Template files met while evaluating, not parsed yet (see {@link preparePending}). */
  private readonly pending = new Set<string>();
  /** Parses run one after another, also across overlapping `prepare` calls. */
  private queue: Promise<void> = Promise.resolve();

  /** Collects every string inside a hcl2json value that holds an expression (contains "${" or "%{") and parses each distinct one once with getExpressionAst (calls are serialised in one WASM runtime; do them one after another). */
  prepare(value: unknown): Promise<void> {
    const found = new Set<string>();
    collectExpressions(value, found, 0);
    for (const s of found) if (this.entries.has(s)) found.delete(s);
    if (found.size === 0) return this.queue;
    const run = async (): Promise<void> => {
      let getExpressionAst: Awaited<ReturnType<typeof hcl2json>>["getExpressionAst"];
      try {
        ({ getExpressionAst } = await hcl2json());
      } catch (error) {
        const message = `the HCL parser could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
        for (const source of found) if (!this.entries.has(source)) this.entries.set(source, { tree: new Error(message) });
        return;
      }
      const todo: string[] = [];
      for (const source of found) {
        if (this.entries.has(source)) continue;
        const traversal = simpleTraversalTree(source);
        if (traversal) this.entries.set(source, { tree: traversal });
        else if (withinParserLimits(source)) todo.push(source);
        else this.entries.set(source, { tree: new Error(TOO_COMPLEX) });
      }
      // A call into the parser costs more than a small expression's parse: expressions go
      // in batches, as the items of one tuple; a batch the parser rejects goes one by one.
      for (let i = 0; i < todo.length; i += BATCH_SIZE) {
        const batch = todo.slice(i, i + BATCH_SIZE);
        if (batch.length > 1 && (await this.parseBatch(batch, getExpressionAst))) continue;
        for (const source of batch) {
          const wrapped = heredoc(source);
          try {
            const tree = await getExpressionAst(FILENAME, wrapped);
            this.entries.set(source, tree ? { tree, bytes: Buffer.from(wrapped, "utf8") } : { tree: new Error("empty expression") });
          } catch (error) {
            this.entries.set(source, { tree: new Error(parserMessage(error, wrapped)) });
          }
        }
      }
    };
    this.queue = this.queue.then(run, run);
    return this.queue;
  }

  /**
   * Parses several templates in one call, as the heredoc items of a tuple: each item's tree
   * is the tree the template alone gives, with byte ranges into the whole input (which is
   * kept as every item's bytes). False when the parser rejects the batch.
   */
  private async parseBatch(batch: string[], getExpressionAst: (file: string, text: string) => Promise<ExpressionAst | null | undefined>): Promise<boolean> {
    const wrapped = `[\n${batch.map((source) => `${heredoc(source)},\n`).join("")}]\n`;
    let tree: ExpressionAst | null | undefined;
    try {
      tree = await getExpressionAst(FILENAME, wrapped);
    } catch {
      return false;
    }
    const items = tree?.type === "tuple" ? tree.children : undefined;
    if (!items || items.length !== batch.length) return false;
    const bytes = Buffer.from(wrapped, "utf8");
    batch.forEach((source, i) => this.entries.set(source, { tree: items[i]!, bytes }));
    return true;
  }

  get(source: string): ExpressionAst | Error | undefined {
    return this.entries.get(source)?.tree;
  }

  /** The tree of a template file's text; when it is not parsed yet, it is noted for {@link preparePending}. */
  template(text: string): ExpressionAst | Error | undefined {
    const tree = this.get(text);
    if (tree === undefined) this.pending.add(text);
    return tree;
  }

  /** Parses the template files met since the last call; false when there were none. */
  async preparePending(): Promise<boolean> {
    if (this.pending.size === 0) return false;
    const texts = [...this.pending];
    this.pending.clear();
    await this.prepare(texts);
    return true;
  }

  /** @internal The parsed heredoc's bytes, for reading leaf ranges. */
  sourceBytes(source: string): Buffer | undefined {
    return this.entries.get(source)?.bytes;
  }
}
