/** Walks a prepared syntax tree (see ../expressions.ts for the shape of the tree and the rules of evaluation). */
import { ABSENT, type Resolved, Unknown, attributeOfUnknown, combine, emptyMap, firstUnknown, hasKey, isMap, partlyKnownText, possibleValues, textParts } from "../../../values/value.js";
import { LimitExceeded } from "../../../limits/limits.js";
import { checkDeadline } from "../../../limits/budget.js";
import { fixedCap } from "../../../limits/evaluation.js";
import { type ExpressionAst } from "../hcl.js";
import { ANON, type Env, type ExpressionScope, FILE_READERS, bind, lookup, referenceLength, templateScope, utf8Text } from "./scope.js";
import { EvalError, MAX_EVAL_DEPTH, MAX_STEPS, MAX_STRING_LENGTH, MAX_VALUE_DEPTH, NeedUnknown, TOO_COMPLEX, TooComplex, combineSafe, unknownOnError } from "./guards.js";
import { ExpressionCache } from "./cache.js";
import { FUNCTIONS, UNEVALUATED } from "./functions/index.js";
import { type Fx } from "./functions/spec.js";
import { type Mode, type Node, type SyntaxNode, decodeLiteral, hasExpression, isDirective, literal, segmentKey } from "./syntax.js";
import { binary, unary } from "./operators.js";
import { compareText, describe, describeKey, indexKey, quote, scalarText, templateText, toBool, typeName } from "./conversions.js";
import { partlyKnownCall } from "./functions/format.js";

/** Evaluates a hcl2json value: literals stay as they are (objects get null prototypes via emptyMap), strings with expressions are evaluated, lists/maps recursively. Never throws: anything that cannot be evaluated becomes an Unknown with a reason that quotes the expression. */
export function evaluateValue(value: unknown, scope: ExpressionScope, cache: ExpressionCache): Resolved {
  try {
    return new Evaluator(scope, cache).value(value, 0);
  } catch (error) {
    return new Unknown(error instanceof RangeError ? TOO_COMPLEX : `cannot evaluate value: ${String(error)}`);
  }
}

/**
 * A template's text rendered with `vars` as templatefile() renders a file: the
 * `template_file` data source, whose `template` argument holds the text. Never throws.
 */
export function renderTemplateText(text: string, shown: string, vars: Resolved, scope: ExpressionScope, cache: ExpressionCache): Resolved {
  try {
    return new Evaluator(scope, cache).render(text, shown, vars);
  } catch (error) {
    if (error instanceof EvalError) return new Unknown(error.message);
    return new Unknown(error instanceof RangeError ? TOO_COMPLEX : `cannot render ${shown}: ${String(error)}`);
  }
}

/**
 * Evaluates one node of a prepared expression's syntax tree in `scope`: a constant inside a
 * type constraint (`optional(string, "x")`) or a validation condition. Never throws.
 */
export function evaluateNode(source: string, node: SyntaxNode, scope: ExpressionScope, cache: ExpressionCache): Resolved {
  try {
    return new Evaluator(scope, cache).node(source, node);
  } catch (error) {
    return new Unknown(error instanceof RangeError ? TOO_COMPLEX : `cannot evaluate value: ${String(error)}`);
  }
}

class Evaluator {
  private steps = 0;
  private depth = 0;
  /** > 0 while evaluating an argument of `try` or `can`. */
  private tryDepth = 0;
  private bytes: Buffer | undefined;

  constructor(
    private readonly scope: ExpressionScope,
    private readonly cache: ExpressionCache,
    /** True while rendering a template file (which may not call templatefile() again). */
    private readonly rendering = false,
  ) {}

  value(raw: unknown, depth: number): Resolved {
    checkDeadline();
    if (depth > MAX_VALUE_DEPTH) return new Unknown(TOO_COMPLEX);
    if (raw === null || raw === undefined) return null;
    if (typeof raw === "string") return hasExpression(raw) ? this.expression(raw) : raw;
    if (typeof raw === "number" || typeof raw === "boolean") return raw;
    if (raw === ABSENT || raw instanceof Unknown) return raw as Resolved;
    if (Array.isArray(raw)) return raw.map((item) => this.value(item, depth + 1));
    if (typeof raw !== "object") return String(raw);
    const out = emptyMap();
    for (const [rawKey, item] of Object.entries(raw)) {
      let key = rawKey;
      if (hasExpression(rawKey)) {
        const k = this.expression(rawKey);
        if (k instanceof Unknown) return new Unknown(`the object key ${quote(rawKey)} is unknown: ${k.reason}`);
        if (typeof k === "string" || typeof k === "number" || typeof k === "boolean") key = scalarText(k);
        else return new Unknown(`the object key ${quote(rawKey)} is not a string`);
      }
      out[key] = this.value(item, depth + 1);
    }
    return out;
  }

  /** One expression string from hcl2json. */
  expression(source: string): Resolved {
    const tree = this.cache.get(source);
    if (tree === undefined) return new Unknown(`expression ${quote(source)} was not prepared for evaluation`);
    if (tree instanceof Error) {
      return new Unknown(tree.message === TOO_COMPLEX ? TOO_COMPLEX : `cannot parse expression: ${tree.message} (in ${quote(source)})`);
    }
    return this.run(source, () => this.topTemplate(tree as unknown as Node));
  }

  /** One node of the tree of a prepared expression (see {@link evaluateNode}). */
  node(source: string, node: Node): Resolved {
    return this.run(source, () => this.eval(node, undefined, "heredoc"));
  }

  /** The text of a template file, with `scope` answering its variables. */
  renderTemplate(text: string, tree: ExpressionAst, label: string): Resolved {
    return this.run(text, () => this.topTemplate(tree as unknown as Node), label);
  }

  private run(source: string, evaluate: () => Resolved, label = quote(source)): Resolved {
    this.steps = 0;
    this.depth = 0;
    this.tryDepth = 0;
    this.bytes = this.cache.sourceBytes(source);
    try {
      return evaluate();
    } catch (error) {
      if (error instanceof LimitExceeded) throw error;
      if (error instanceof TooComplex || error instanceof RangeError) return new Unknown(TOO_COMPLEX);
      if (error instanceof NeedUnknown) return error.unknown;
      const message = error instanceof Error ? error.message : String(error);
      return new Unknown(`cannot evaluate ${label}: ${message}`);
    }
  }

  private step(n = 1): void {
    checkDeadline();
    this.steps += n;
    if (this.steps > MAX_STEPS) throw new TooComplex(TOO_COMPLEX);
  }

  /** The heredoc around a hcl2json string: a single interpolation keeps its value's type. */
  private topTemplate(node: Node): Resolved {
    const children = [...(node.children ?? [])];
    const last = children[children.length - 1];
    if (last && last.type === "literalValue" && typeof last.meta?.value === "string" && last.meta.value.endsWith("\n")) {
      children[children.length - 1] = { ...last, meta: { ...last.meta, value: last.meta.value.slice(0, -1) } };
    }
    const isText = (c: Node): boolean => c.type === "literalValue" && c.meta?.type === "string";
    const parts = children.filter((c) => !(isText(c) && c.meta?.value === ""));
    if (parts.length === 1 && !isText(parts[0]!) && !isDirective(parts[0]!)) return this.eval(parts[0]!, undefined, "heredoc");
    if (node.type === "templateWrap" && children.length === 1) return this.eval(children[0]!, undefined, "heredoc");
    return this.template(children, undefined, "heredoc");
  }

  private eval(node: Node, env: Env, mode: Mode): Resolved {
    this.step();
    if (++this.depth > MAX_EVAL_DEPTH) throw new TooComplex(TOO_COMPLEX);
    try {
      return this.evalNode(node, env, mode);
    } finally {
      this.depth--;
    }
  }

  private evalNode(node: Node, env: Env, mode: Mode): Resolved {
    const meta = node.meta ?? {};
    const children = node.children ?? [];
    switch (node.type) {
      case "literalValue":
        return literal(meta.type, String(meta.value ?? ""), mode);
      case "template": {
        const text = String(meta.value ?? "");
        const inner: Mode = text.startsWith('"') ? "quoted" : text.startsWith("<<") ? "heredoc" : mode;
        return this.template(children, env, inner);
      }
      case "templateWrap":
        return children[0] ? this.eval(children[0], env, mode) : "";
      case "templateJoin":
        return children[0] ? this.eval(children[0], env, mode) : "";
      case "tuple":
        return children.map((c) => this.eval(c, env, mode));
      case "object":
        return this.object(children, env, mode);
      case "scopeTraversal":
        return this.scopeTraversal(meta.traversal ?? [], String(meta.fullAccessor ?? meta.value ?? ""), env);
      case "relativeTraversal": {
        let v = this.eval(children[0]!, env, mode);
        for (const part of meta.traversal ?? []) v = this.traverse(v, segmentKey(part), part.type === "nameTraversal");
        return v;
      }
      case "index": {
        const collection = this.eval(children[0]!, env, mode);
        const key = this.eval(children[1]!, env, mode);
        return combineSafe([key], ([k]) => this.traverse(collection, indexKey(k!), false));
      }
      case "splat":
        return this.splat(children, env, mode);
      case "conditional":
        return this.conditional(children, String(meta.conditionExpression ?? ""), env, mode);
      case "unaryOp":
        return unary(String(meta.operator), this.eval(children[0]!, env, mode));
      case "binaryOp":
        return binary(String(meta.operator), this.eval(children[0]!, env, mode), this.eval(children[1]!, env, mode));
      case "function":
        return this.call(node, env, mode);
      case "for":
        return this.forExpression(node, env, mode);
      case "":
        if (children.length > 0) return this.eval(children[0]!, env, mode);
        {
          const anon = lookup(env, ANON);
          if (anon) return anon.value;
        }
        throw new EvalError("unexpected syntax");
      default:
        throw new EvalError(`unsupported syntax (${node.type})`);
    }
  }

  private template(children: Node[], env: Env, mode: Mode): Resolved {
    const parts = children.map((c) => (c.type === "literalValue" && c.meta?.type === "string" ? this.templateLiteral(c, mode) : this.eval(c, env, mode)));
    const result = combineSafe(parts, (known) => {
      const text = known.map(templateText).join("");
      if (text.length > MAX_STRING_LENGTH) throw new TooComplex(TOO_COMPLEX);
      return text;
    });
    // A partly unknown template keeps its parts in order (see concatenate in values).
    return result instanceof Unknown && !result.possible ? partlyKnownText(result, parts, textParts(parts, "")) : result;
  }

  /**
   * A literal part of a template, decoded, without the white space that a strip marker next
   * to it removes (`${x ~}` or `%{ if c ~}` before it, `${~ x}` or `%{~ endif }` after it).
   * The markers are read in the source bytes around the literal's range.
   */
  private templateLiteral(node: Node, mode: Mode): string {
    let text = decodeLiteral(String(node.meta?.value ?? ""), mode);
    const range = node.range;
    if (!this.bytes || !range) return text;
    const start = range.start.byte;
    const end = range.end.byte;
    if (start >= 2 && this.bytes.toString("utf8", start - 2, start) === "~}") text = text.replace(/^\s+/, "");
    const after = this.bytes.toString("utf8", end, end + 3);
    if (after === "${~" || after === "%{~") text = text.replace(/\s+$/, "");
    return text;
  }

  private object(children: Node[], env: Env, mode: Mode): Resolved {
    const out = emptyMap();
    let unknownKey: Unknown | undefined;
    for (let i = 0; i + 1 < children.length; i += 2) {
      const keyNode = children[i]!;
      const value = this.eval(children[i + 1]!, env, mode);
      let key: Resolved;
      if (keyNode.type === "" && (keyNode.children ?? []).length === 0) key = this.leafText(keyNode);
      else key = this.eval(keyNode, env, mode);
      if (key instanceof Unknown) {
        unknownKey ??= key;
        continue;
      }
      if (key === null || key === ABSENT) throw new EvalError("an object key is null");
      if (typeof key !== "string" && typeof key !== "number" && typeof key !== "boolean") throw new EvalError("an object key is not a string");
      const name = scalarText(key);
      if (hasKey(out, name)) throw new EvalError(`duplicate object key "${name}"`);
      out[name] = value;
    }
    if (unknownKey) return new Unknown(`an object key is unknown: ${unknownKey.reason}`);
    return out;
  }

  private leafText(node: Node): string {
    if (!this.bytes || !node.range) throw new EvalError("cannot read an object key");
    return this.bytes.subarray(node.range.start.byte, node.range.end.byte).toString("utf8");
  }

  private scopeTraversal(traversal: { type: string; segment: string }[], accessor: string, env: Env): Resolved {
    const root = traversal[0];
    if (!root) throw new EvalError("empty reference");
    const local = lookup(env, root.segment);
    if (local) {
      let v = local.value;
      for (const part of traversal.slice(1)) v = this.traverse(v, segmentKey(part), part.type === "nameTraversal");
      return v;
    }
    const keys = traversal.map(segmentKey);
    const v = this.scope.reference(keys);
    if (v === ABSENT) {
      if (this.tryDepth > 0 && keys.length > referenceLength(keys)) throw new EvalError(`${accessor} does not exist`);
      return null;
    }
    return v;
  }

  /** One attribute or index step on a value (`.name`, `[0]`, `["k"]`). */
  private traverse(v: Resolved, key: string | number, byName: boolean): Resolved {
    this.step();
    if (v instanceof Unknown) {
      if (!v.possible) return byName ? attributeOfUnknown(v, key) : new Unknown(v.reason);
      return this.overPossible(v, (p) => this.traverse(p, key, byName));
    }
    if (v === null || v === ABSENT) throw new EvalError(`cannot read ${describeKey(key, byName)} of a null value`);
    if (Array.isArray(v)) {
      if (byName && typeof key === "string" && !/^\d+$/.test(key)) throw new EvalError(`a list has no attribute "${key}"`);
      const i = typeof key === "number" ? key : Number(key);
      if (!Number.isInteger(i)) throw new EvalError(`invalid list index ${JSON.stringify(key)}`);
      if (i < 0 || i >= v.length) throw new EvalError(`index ${i} is out of range for a list of ${v.length} elements`);
      return v[i]!;
    }
    if (isMap(v)) {
      const name = String(key);
      if (!hasKey(v, name)) throw new EvalError(byName ? `there is no attribute "${name}"` : `there is no element with the key "${name}"`);
      return v[name]!;
    }
    throw new EvalError(`cannot read ${describeKey(key, byName)} of a ${typeName(v)}`);
  }

  /** Applies `fn` to each possible value; branches that fail become plain unknowns. */
  private overPossible(u: Unknown, fn: (p: Resolved) => Resolved): Resolved {
    const results = (u.possible ?? []).map((p) => (p instanceof Unknown ? p : unknownOnError(() => fn(p === ABSENT ? null : p))));
    return possibleValues(results, u.reason);
  }

  private splat(children: Node[], env: Env, mode: Mode): Resolved {
    const source = this.eval(children[0]!, env, mode);
    const each = children[1];
    const apply = (item: Resolved): Resolved => {
      if (!each || (each.type === "" && (each.children ?? []).length === 0)) return item;
      return this.eval(each, bind(env, ANON, item), mode);
    };
    const over = (v: Resolved): Resolved => {
      if (v === null || v === ABSENT) return [];
      if (Array.isArray(v)) {
        this.step(v.length);
        return v.map(apply);
      }
      return [apply(v)];
    };
    if (source instanceof Unknown) return source.possible ? this.overPossible(source, over) : new Unknown(source.reason);
    return over(source);
  }

  private conditional(children: Node[], conditionSource: string, env: Env, mode: Mode): Resolved {
    const condition = toBool(this.eval(children[0]!, env, mode), "the condition");
    const branch = (which: boolean): Resolved => this.eval(children[which ? 1 : 2]!, env, mode);
    if (typeof condition === "boolean") return branch(condition);
    const options: boolean[] = [];
    for (const p of condition.possible ?? [true, false]) {
      if (p === true || p === "true") options.push(true);
      else if (p === false || p === "false") options.push(false);
      else options.push(true, false);
    }
    const which = [...new Set(options.length > 0 ? options : [true, false])];
    const results = which.map((w) => unknownOnError(() => branch(w)));
    return possibleValues(results, `the condition ${quote(conditionSource)} cannot be decided: ${condition.reason}`);
  }

  private forExpression(node: Node, env: Env, mode: Mode): Resolved {
    const meta = node.meta ?? {};
    const children = node.children ?? [];
    const open = String(meta.openRangeValue ?? "");
    const inTemplate = open.startsWith("%{");
    const objectForm = !inTemplate && open.trim() === "{";
    let i = 0;
    const collectionNode = children[i++]!;
    const keyNode = objectForm && meta.keyExpression !== undefined ? children[i++] : undefined;
    const valueNode = children[i++]!;
    const conditionNode = meta.conditionalExpression ? children[i++] : undefined;
    const keyVar = String(meta.keyVar ?? "");
    const valVar = String(meta.valVar ?? "");
    const grouped = meta.groupedValue === true;

    const run = (collection: Resolved): Resolved => {
      let pairs: [Resolved, Resolved][];
      if (Array.isArray(collection)) pairs = collection.map((v, index) => [index, v]);
      else if (isMap(collection)) pairs = Object.keys(collection).sort(compareText).map((k) => [k, collection[k]!]);
      else if (collection === null || collection === ABSENT) throw new EvalError("cannot iterate over a null value");
      else throw new EvalError(`cannot iterate over a ${typeName(collection)}`);
      this.step(pairs.length);
      const listOut: Resolved[] = [];
      const objectOut = emptyMap();
      const groups = new Map<string, Resolved[]>();
      for (const [k, v] of pairs) {
        let scope = env;
        if (keyVar) scope = bind(scope, keyVar, k);
        scope = bind(scope, valVar, v);
        if (conditionNode) {
          const keep = toBool(this.eval(conditionNode, scope, mode), "the if clause of a for expression");
          if (keep instanceof Unknown) return new Unknown(`the filter ${quote(String(meta.conditionalExpression))} cannot be decided: ${keep.reason}`);
          if (!keep) continue;
        }
        const value = this.eval(valueNode, scope, mode);
        if (!objectForm) {
          listOut.push(value);
          continue;
        }
        const key = this.eval(keyNode!, scope, mode);
        if (key instanceof Unknown) return new Unknown(`a key of the for expression is unknown: ${key.reason}`);
        if (typeof key !== "string" && typeof key !== "number" && typeof key !== "boolean") throw new EvalError("a key of the for expression is not a string");
        const name = scalarText(key);
        if (grouped) {
          const group = groups.get(name);
          if (group) group.push(value);
          else groups.set(name, [value]);
        } else {
          if (hasKey(objectOut, name)) throw new EvalError(`duplicate key "${name}" in a for expression (use ... to group)`);
          objectOut[name] = value;
        }
      }
      if (inTemplate) {
        return combine(listOut, (known) => {
          const text = known.map(templateText).join("");
          if (text.length > MAX_STRING_LENGTH) throw new TooComplex(TOO_COMPLEX);
          return text;
        });
      }
      if (!objectForm) return listOut;
      if (grouped) for (const name of [...groups.keys()].sort(compareText)) objectOut[name] = groups.get(name)!;
      return objectOut;
    };

    const collection = this.eval(collectionNode, env, mode);
    if (collection instanceof Unknown) return collection.possible ? this.overPossible(collection, run) : new Unknown(collection.reason);
    return run(collection);
  }

  private call(node: Node, env: Env, mode: Mode): Resolved {
    const meta = node.meta ?? {};
    const name = String(meta.name ?? "");
    const children = node.children ?? [];
    if (name === "try" || name === "can") return this.tryCall(name, children, env, mode);
    if (FILE_READERS.has(name)) return this.fileCall(name, children, env, mode);
    const unevaluated = UNEVALUATED[name];
    if (unevaluated !== undefined) return new Unknown(`${name}() ${unevaluated}`);
    const spec = FUNCTIONS[name];
    if (!spec) return new Unknown(`the function ${name}() is not evaluated by parapet`);
    let args = children.map((c) => this.eval(c, env, mode));
    if (meta.expandedFinalArgument === true && args.length > 0) {
      const last = args[args.length - 1]!;
      if (last instanceof Unknown) return new Unknown(last.reason);
      if (!Array.isArray(last)) throw new EvalError(`${name}(): the argument expanded with ... is not a list`);
      args = [...args.slice(0, -1), ...last];
    }
    const [min, max] = spec.arity;
    if (args.length < min || (max !== undefined && args.length > max)) {
      throw new EvalError(`${name}() takes ${max === min ? min : max === undefined ? `at least ${min}` : `${min} to ${max}`} arguments, not ${args.length}`);
    }
    const fx: Fx = { charge: (n) => this.step(n), name };
    const run = (known: Resolved[]): Resolved => {
      try {
        const result = spec.fn(known.map((a) => (a === ABSENT ? null : a)), fx);
        if (typeof result === "string" && result.length > MAX_STRING_LENGTH) throw new TooComplex(TOO_COMPLEX);
        return result;
      } catch (error) {
        if (error instanceof NeedUnknown) return new Unknown(error.unknown.reason, error.unknown.possible ? { possible: error.unknown.possible } : {});
        if (error instanceof EvalError) throw new EvalError(`${name}(): ${error.message}`);
        throw error;
      }
    };
    if (spec.lazy) return run(args);
    const expanding = args.some((a) => a instanceof Unknown);
    const result = combine(args, (known) => {
      if (!expanding) return run(known);
      try {
        return run(known);
      } catch (error) {
        if (error instanceof EvalError) return new Unknown(error.message);
        throw error;
      }
    });
    return result instanceof Unknown && !result.possible ? (partlyKnownCall(name, args, result, fx) ?? result) : result;
  }

  /** `file(path)`, `filebase64(path)`, `templatefile(path, vars)`: the file is read through the scope. */
  private fileCall(name: string, children: Node[], env: Env, mode: Mode): Resolved {
    const arity = name === "templatefile" ? 2 : 1;
    if (children.length !== arity) throw new EvalError(`${name}() takes ${arity === 1 ? "1 argument" : "2 arguments"}, not ${children.length}`);
    if (name === "templatefile" && this.rendering) throw new EvalError("templatefile() cannot be called from inside a template file");
    const [path, vars] = children.map((c) => this.eval(c, env, mode));
    const scope = this.scope;
    if (!scope.readFile) return new Unknown(`${name}() reads a file, which parapet does not do here`);
    if (path instanceof Unknown && !path.possible) return new Unknown(`the file that ${name}() reads is unknown: ${path.reason}`, path.ref ? { ref: path.ref } : {});
    return combineSafe([path!], ([p]) => {
      if (typeof p !== "string") throw new EvalError(`${name}(): the path must be a string, not ${describe(p!)}`);
      const file = scope.readFile!(p);
      if (file instanceof Unknown) return file;
      if (name === "filebase64") return file.bytes.toString("base64");
      const text = utf8Text(file.bytes);
      if (text === undefined) throw new EvalError(`${name}(): ${file.shown} is not UTF-8 text`);
      return name === "file" ? text : this.render(text, file.shown, vars!);
    });
  }

  /** The text of a template file rendered with the variables templatefile() gives it. */
  render(text: string, shown: string, vars: Resolved): Resolved {
    if (!(vars instanceof Unknown) && !isMap(vars)) throw new EvalError(`templatefile(): the variables must be a map, not ${describe(vars)}`);
    if (!hasExpression(text)) return text;
    const label = `the template ${shown}`;
    const tree = this.cache.template(text);
    if (tree === undefined) return new Unknown(`${label} is not parsed yet`);
    if (tree instanceof Error) return new Unknown(tree.message === TOO_COMPLEX ? `${label} is too complex to render ${fixedCap("expression size")}` : `${label} is not a valid template: ${tree.message}`);
    return new Evaluator(templateScope(vars, label, this.scope), this.cache, true).renderTemplate(text, tree, label);
  }

  private tryCall(name: "try" | "can", children: Node[], env: Env, mode: Mode): Resolved {
    if (name === "can" && children.length !== 1) throw new EvalError("can() takes 1 argument");
    if (children.length === 0) throw new EvalError("try() needs at least one argument");
    let lastError = "";
    for (const child of children) {
      let value: Resolved;
      this.tryDepth++;
      try {
        value = this.eval(child, env, mode);
      } catch (error) {
        if (error instanceof EvalError) {
          lastError = error.message;
          if (name === "can") return false;
          continue;
        }
        if (error instanceof NeedUnknown) value = error.unknown;
        else throw error;
      } finally {
        this.tryDepth--;
      }
      if (name === "can") {
        const u = firstUnknown(value);
        return u ? new Unknown(`can() cannot tell whether ${quote(String(child.meta?.value ?? ""))} succeeds: ${u.reason}`) : true;
      }
      return value;
    }
    throw new EvalError(`try(): no argument could be evaluated (last error: ${lastError})`);
  }
}
