/**
 * Evaluates Terraform expressions into three-valued values (DESIGN.md, "Values are
 * three-valued").
 *
 * `@cdktf/hcl2json` hands every expression over as a string: `"${var.cidr}"`,
 * `"web-${var.env}"`, `"%{if var.x}a%{endif}"`. Those strings are template *bodies*: HCL's
 * string escapes (`\"`, `\n`) are already decoded, template escapes (`$${`, `%%{`) are kept.
 * We hand each body to `getExpressionAst` wrapped in a heredoc (which decodes nothing but the
 * template escapes) and walk the syntax tree it returns.
 *
 * What the tree looks like (found by experiment, version 0.21):
 * * literal strings keep their *source* text: `$${`, and inside quoted strings `\"`, `\n`,
 *   `\u00e9`, are not decoded. We decode them, knowing whether the template is quoted or a
 *   heredoc from its `meta.value`.
 * * index keys of static traversals come as `segment` text: `0`, `1.5`, or `"k"` (quoted,
 *   with the string's value inside the quotes).
 * * parentheses, object keys and the splat's anonymous symbol are nodes with type `""`.
 *   A bare object key is a `""` node without children: its name is read through its byte range.
 * * `range` of composite nodes is not their extent (it is often the first child's range);
 *   only leaf ranges are usable. `meta.value` holds the full source of every node, which makes
 *   the tree quadratic in the expression's nesting — and a few thousand levels of nesting
 *   crash the Go runtime and the whole process. {@link ExpressionCache.prepare} therefore
 *   refuses expressions that are too long or too deep before they reach the parser.
 *
 * Evaluation never throws. Terraform errors (missing attribute, index out of range, a null in
 * a template, a wrong argument) stop the expression; `try` and `can` observe them; anything
 * else that reaches the top becomes an {@link Unknown} with a reason quoting the expression.
 *
 * A reference the scope answers with ABSENT reads as null (an unset optional attribute or a
 * null variable), except inside `try`/`can` when the traversal goes past the referenced object
 * (`var.settings.missing`): there it is the error Terraform would raise.
 *
 * The parts, in expressions/: `syntax` (what is parsed, what is refused before the parser,
 * literals), `cache` (trees parsed up front), `guards` (the limits and the errors that stop
 * an evaluation), `scope` (references, local bindings, files), `evaluate` (the walk over a
 * tree), `operators`, `conversions` (values as text, in messages), and `functions/` (the
 * table of built-in functions, by kind). This file is the public entry.
 */
export { evaluateValue, renderTemplateText, evaluateNode } from "./expressions/evaluate.js";
export { ExpressionCache } from "./expressions/cache.js";
export { simpleTraversalTree, type SyntaxNode } from "./expressions/syntax.js";
export type { ExpressionScope, ConfigurationFile } from "./expressions/scope.js";
export { TOO_COMPLEX } from "./expressions/guards.js";
export { formatNumber } from "./expressions/conversions.js";
export { encodeJson } from "./expressions/functions/encoding.js";
