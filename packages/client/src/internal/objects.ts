/** An object literal (or JSON object): not null, an array, a class instance or a function. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Whether a JSON value nests `limit` or more levels of arrays and objects, found without
 * recursion (a body nested a million levels deep must not overflow the stack here); the
 * walk stops at the first path that deep.
 */
export function nestsAtLeast(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== "object" || item === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
