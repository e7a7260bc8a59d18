/**
 * YAML syntax errors → one diagnostic per broken construct.
 *
 * The `yaml` package reports every place where the text stops making sense, so one mistake
 * (an unclosed bracket, a tab) can produce an error on each following line. Errors on the same
 * line as the previous one, or on the next line, are taken as consequences of it and folded
 * into it; an unclosed quote, which `yaml` reports where the text ends, is placed at the quote.
 */
import type { YAMLError } from "yaml";
import type { Diagnostic } from "./reader-types.js";
import { flowConstructs, openConstructAt, type FlowConstruct } from "./yaml-flow-constructs.js";
import type { PositionMap } from "./yaml-indent-leniency.js";

interface Group {
  first: Diagnostic;
  lastLine: number;
  count: number;
}

export function groupYamlErrors(errors: readonly YAMLError[], text: string, positions: PositionMap): Diagnostic[] {
  const groups: Group[] = [];
  let constructs: FlowConstruct[] | undefined;
  const constructsOnce = () => (constructs ??= flowConstructs(text));
  for (const error of errors) {
    const diagnostic = diagnosticOf(error, text, positions, constructsOnce);
    const line = positions.linePos(error.pos[0]).line;
    const last = groups[groups.length - 1];
    if (last && line <= last.lastLine + 1) {
      last.count++;
      last.lastLine = Math.max(last.lastLine, line);
      continue;
    }
    groups.push({ first: diagnostic, lastLine: Math.max(line, diagnostic.line), count: 1 });
  }
  return groups.map(describeGroup);
}

function describeGroup(group: Group): Diagnostic {
  if (group.count === 1) return group.first;
  const more = group.count - 1;
  const through = group.lastLine > group.first.line ? ` to line ${group.lastLine}` : "";
  return { ...group.first, message: `${group.first.message} (and ${more} follow-on error${more === 1 ? "" : "s"}${through})` };
}

function diagnosticOf(error: YAMLError, text: string, positions: PositionMap, constructs: () => FlowConstruct[]): Diagnostic {
  const message = firstLine(error.message);
  if (error.code === "MISSING_CHAR" && /quote/.test(message)) {
    const open = openConstructAt(text, constructs(), error.pos[0], "string");
    if (open) return at(open.start, `the ${open.kind} that starts here has no closing ${text[open.start]}`, positions);
  }
  if (error.code === "MULTIPLE_TAGS") return at(error.pos[0], twoTagsMessage(text, error.pos[0]), positions);
  if (/^Flow (sequence|map)/.test(message)) {
    // `yaml` reports where the collection stops making sense; the user looks for its bracket.
    const open = openConstructAt(text, constructs(), error.pos[0], "collection");
    if (open) return at(open.start, message, positions);
  }
  return at(error.pos[0], message, positions);
}

/**
 * Two short forms on one value (`!GetAZs !Ref "AWS::Region"`): YAML gives a node one tag, and
 * CloudFormation rejects this too; the fix is to write the inner function in its long form.
 */
function twoTagsMessage(text: string, offset: number): string {
  const tag = /^!([A-Za-z:]+)/.exec(text.slice(offset))?.[1];
  const name = tag === undefined ? "Fn::Name" : tag.includes("::") || tag === "Ref" || tag === "Condition" ? tag : `Fn::${tag}`;
  return `two short-form tags on one value (YAML allows one tag); write the inner one in long form: \`{ ${name}: ... }\``;
}

function at(offset: number, message: string, positions: PositionMap): Diagnostic {
  const p = positions.linePos(offset);
  return { message, line: p.line, column: p.col };
}

/** The first line of a `yaml` error message, without its position suffix. */
export function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, "").trim();
}
