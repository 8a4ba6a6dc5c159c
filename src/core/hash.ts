/**
 * Stable, fast, non-cryptographic content hashes (cyrb53) for change detection of records and
 * photos. Not for security. Same input -> same hash on every platform.
 *
 * @example
 *   hashString('{"lastName":"Schmidt"}') // "1f3a9c0d2b4e7" (13 hex digits at most)
 */
function cyrb53(next: (i: number) => number, length: number, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < length; i++) {
    const ch = next(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}

export function hashString(text: string): string {
  return cyrb53((i) => text.charCodeAt(i), text.length);
}

/** Hash of binary content, prefixed with its length so that equal hashes of different sizes cannot meet. */
export function hashBytes(bytes: Uint8Array): string {
  return `${bytes.length}:${cyrb53((i) => bytes[i] ?? 0, bytes.length)}`;
}
