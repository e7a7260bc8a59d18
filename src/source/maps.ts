/**
 * Objects without a prototype, for data read from a file: keys such as `__proto__`,
 * `constructor` or `toString` stay ordinary keys.
 */

/** A fresh object with no prototype, so keys such as `__proto__` stay ordinary keys. */
export function emptyMap<T>(): { [key: string]: T } {
  return Object.create(null) as { [key: string]: T };
}

/**
 * A lookup table without a prototype: looking up a key that comes from a template
 * (`constructor`, `toString`, `__proto__`) finds only the table's own entries.
 */
export function lookupTable<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(emptyMap<T>(), entries);
}

export function hasKey(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}
