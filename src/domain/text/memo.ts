/**
 * Remembers `compute`'s answer per string key. Words repeat (a few hundred make most of any
 * language's text), so a memo of a pure per-word function pays for itself at once; past `size`
 * keys it is dropped whole, which bounds it without per-entry bookkeeping.
 */
export function memoByKey<T>(compute: (key: string) => T, size: number): (key: string) => T {
  const memo = new Map<string, T>();
  return (key) => {
    const hit = memo.get(key);
    if (hit !== undefined || memo.has(key)) return hit as T;
    const value = compute(key);
    if (memo.size >= size) memo.clear();
    memo.set(key, value);
    return value;
  };
}
