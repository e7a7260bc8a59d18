/**
 * The types the YAML and JSON readers share with the modules around them (their error
 * messages, the tag tables they are given), declared apart so that none of those imports the
 * reader itself.
 */

export interface Diagnostic {
  message: string;
  line: number;
  column: number;
  /**
   * Set for a note that does not stop the file from being checked: the id of the file-level
   * rule it is reported under (for example text CloudFormation reads that is not standard YAML).
   */
  notice?: string;
  /**
   * What tells this note apart from the others of its file, without line numbers (the key
   * path of the construct it is about): its fingerprint. Without it, the message is.
   */
  subject?: string;
  /** For a note about something that was not checked: why (the finding's reason). */
  reason?: string;
}

/**
 * What the reader makes of tagged nodes (`!Name value`). `Zone` is where a node sits in the
 * document as the reader walks down from its root, for tags accepted in some places only.
 */
export interface YamlTags<Zone> {
  /** The zone of the document's root. */
  readonly root: Zone;
  /** The zone of the value under `key` of a map in `zone` (`topLevel`: the document's own map). */
  zoneOfKey(zone: Zone, key: string, topLevel: boolean): Zone;
  /** The zone of the items of a list in `zone`. */
  zoneOfItem(zone: Zone): Zone;
  /** The data a tagged node stands for, or the problem with its tag (an error at the node, which keeps its value as written). */
  apply(tag: string, value: unknown, zone: Zone): { value: unknown } | { problem: string };
  /** The key a tagged node stands for in a property path (`!Ref X` stands for `{Ref: X}`), if any. */
  keyOf(tag: string): string | undefined;
  /** Whether a tagged scalar stands for a list in a property path (`!GetAtt A.B` for `[A, B]`). */
  scalarIsList(tag: string): boolean;
}
