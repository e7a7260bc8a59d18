import { describe, expect, it } from "vitest";
import { readYamlSource } from "../../src/source/document.js";

const read = (text: string) => readYamlSource("t.yaml", "/abs/t.yaml", text);
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
const errors = (text: string) => read(text).diagnostics.filter((d) => d.notice === undefined);
const notes = (text: string) => read(text).diagnostics.filter((d) => d.notice !== undefined);

describe("YAML that CloudFormation reads although YAML 1.2 rejects it", () => {
  const cases: [name: string, text: string, expected: unknown, noteAt: [line: number, column: number]][] = [
    ["double-quoted string continued at column 0", 'A:\n  B: "first line\nsecond line"\n', { A: { B: "first line second line" } }, [2, 6]],
    ["single-quoted string continued at column 0", "A:\n  B: 'first line\nsecond line'\n", { A: { B: "first line second line" } }, [2, 6]],
    ["single-quoted string continued at its key's column", "A:\n  B: 'first line\n  second line'\n", { A: { B: "first line second line" } }, [2, 6]],
    ["continuation less indented than the key, then a sibling", 'A:\n    B: "x\n  y"\nC: 1\n', { A: { B: "x y" }, C: 1 }, [2, 8]],
    ["continuation in a list item's map", 'R:\n  - N: "a\nb"\n    M: 1\n', { R: [{ N: "a b", M: 1 }] }, [2, 8]],
    ["tab before a continuation line of a quoted string", 'A: "x\n\ty"\n', { A: "x y" }, [1, 4]],
    ["flow sequence closed at column 0", "A:\n  B: [\n    x,\n]\nC: 1\n", { A: { B: ["x"] }, C: 1 }, [2, 6]],
    ["flow mapping written JSON-style under its key", 'A:\n  B: {\n  "Fn::Join": ["", [a, b]]\n  }\n', { A: { B: { "Fn::Join": ["", ["a", "b"]] } } }, [2, 6]],
    ["flow mapping item at column 0", "A: {x: 1,\ny: 2}\n", { A: { x: 1, y: 2 } }, [1, 4]],
  ];

  it.each(cases)("%s", (_name, text, expected, [line, column]) => {
    const parsed = read(text);
    expect(plain(parsed.data)).toEqual(expected);
    expect(parsed.diagnostics).toHaveLength(1);
    expect(parsed.diagnostics[0]).toMatchObject({ notice: "yaml-nonstandard", line, column });
    expect(parsed.diagnostics[0]!.message).toMatch(/non-standard YAML: lines? \d+(-\d+)? of this .* indented less/);
  });

  it("keeps the positions of what follows an indented string", () => {
    const parsed = read('A:\n  B: "x\ny"\n  C: !Ref D\n');
    expect(parsed.file.locate(["A", "C"])).toMatchObject({ line: 4, column: 3 });
  });

  it("maps columns on an indented line back to the original text", () => {
    const parsed = read("A:\n  B: [\n1, !Ref X]\n");
    expect(plain(parsed.data)).toEqual({ A: { B: [1, { Ref: "X" }] } });
    expect(parsed.file.locate(["A", "B", 1])).toMatchObject({ line: 3, column: 4 });
  });

  const rejected: [name: string, text: string][] = [
    ["a document marker inside a string at column 0", 'A: "x\n--- y"\n'],
    ["a tab indenting a flow sequence", "A: [1,\n\t2]\n"],
    ["a plain (unquoted) scalar continued at column 0", "A:\n  B: first line\nsecond line\n"],
    ["tab indentation of a block mapping", "A:\n\tB: 1\n"],
  ];
  it.each(rejected)("still rejects %s", (_name, text) => {
    expect(read(text).data).toBeUndefined();
    expect(errors(text)).toHaveLength(1);
  });
});

describe("YAML 1.1 booleans", () => {
  it("reads unquoted yes/no/on/off as booleans, with one note per file", () => {
    const text = "A: yes\nB: Off\nC: 'yes'\nD: y\nE: NO\n";
    const parsed = read(text);
    expect(plain(parsed.data)).toEqual({ A: true, B: false, C: "yes", D: "y", E: false });
    expect(notes(text)).toHaveLength(1);
    expect(notes(text)[0]).toMatchObject({ line: 1, column: 4, notice: "yaml-nonstandard" });
    expect(notes(text)[0]!.message).toContain("and 2 more");
  });

  it("says nothing about true and false", () => {
    expect(read("A: true\nB: False\n").diagnostics).toEqual([]);
  });
});

describe("one parse error per broken construct", () => {
  const template = (body: string) =>
    [
      "AWSTemplateFormatVersion: '2010-09-09'",
      "Resources:",
      "  Topic:",
      "    Type: AWS::SNS::Topic",
      "    Properties:",
      body,
      "  Queue:",
      "    Type: AWS::SQS::Queue",
      "    Properties:",
      "      QueueName: q",
      "      Tags:",
      "        - Key: a",
      "          Value: b",
      "",
    ].join("\n");
  const cases: [name: string, text: string, expected: [line: number, column: number, words: RegExp][]][] = [
    ["unclosed double quote: at the quote", template('      DisplayName: "first line\n      TopicName: t'), [[6, 20, /double-quoted string .* no closing "/]]],
    ["unclosed single quote: at the quote", template("      DisplayName: 'first line\n      TopicName: t"), [[6, 20, /single-quoted string .* no closing '/]]],
    ["unclosed flow map", template("      Tags: {Key: a, Value: b\n      TopicName: t"), [[6, 13, /flow map/i]]],
    ["unclosed flow sequence", template("      Subscription: [a, b\n      TopicName: t"), [[6, 21, /flow sequence/i]]],
    ["bad indentation", template("      DisplayName: x\n     TopicName: t"), [[7, 1, /same column/]]],
    ["tab indentation", template("      DisplayName: x\n\tTopicName: t"), [[7, 1, /tab/i]]],
    ["two short-form tags on one value: the inner one in long form", template('      DisplayName: !Select [0, !GetAZs !Ref "AWS::Region"]'), [[6, 40, /two short-form tags .*long form: `\{ Ref: \.\.\. \}`/]]],
    [
      "two duplicate keys in one file",
      template("      DisplayName: x\n      DisplayName: y\n      TopicName: t\n      TopicName: u\n      TopicName: v"),
      [
        [7, 7, /duplicate key DisplayName \(first on line 6\)/],
        [9, 7, /duplicate key TopicName \(first on line 8, 3 times in all\)/],
      ],
    ],
    [
      "two independent errors far apart",
      template("      DisplayName: x\n     TopicName: t").replace("      QueueName: q", "      QueueName: q\n      Tags: [a, b"),
      [
        [7, 1, /same column/],
        [12, 13, /flow sequence/i],
      ],
    ],
  ];

  it.each(cases)("%s", (_name, text, expected) => {
    const parsed = read(text);
    expect(parsed.data).toBeUndefined();
    expect(parsed.diagnostics.map((d) => [d.line, d.column])).toEqual(expected.map(([line, column]) => [line, column]));
    parsed.diagnostics.forEach((d, i) => expect(d.message).toMatch(expected[i]![2]));
  });

  it("names the follow-on errors it folds into the first", () => {
    const [d] = read(template("      Tags: {Key: a, Value: b\n      TopicName: t")).diagnostics;
    expect(d!.message).toMatch(/\(and \d+ follow-on errors? to line 7\)$/);
  });
});

describe("YAML 1.1 boolean words as keys", () => {
  it("keeps a key such as Off as text (a logical id or property name)", () => {
    const parsed = read("Resources:\n  Off:\n    Type: AWS::SNS::Topic\n  yes: 1\n");
    expect(plain(parsed.data)).toEqual({ Resources: { Off: { Type: "AWS::SNS::Topic" }, yes: 1 } });
    expect(parsed.diagnostics).toEqual([]);
  });
});

describe("parapet's own YAML files", () => {
  it("are read as YAML 1.2: yes stays text and under-indented strings are errors", () => {
    const parsed = readYamlSource("c.yaml", "/abs/c.yaml", 'a: yes\nb: "x\ny"\n', "yaml");
    expect(parsed.data).toBeUndefined();
    expect(readYamlSource("c.yaml", "/abs/c.yaml", "a: yes\n", "yaml").data).toEqual({ a: "yes" });
  });
});
