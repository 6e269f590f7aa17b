/**
 * One value per key, served while the key's version is unchanged; past `max` keys the one
 * stored longest ago is dropped. Bounded without bookkeeping beyond insertion order.
 */
export function createVersionedCache<V>(max: number) {
  const entries = new Map<string, { version: string; value: V }>();
  return {
    get(key: string, version: string): V | undefined {
      const hit = entries.get(key);
      return hit && hit.version === version ? hit.value : undefined;
    },
    set(key: string, version: string, value: V): V {
      entries.delete(key);
      if (entries.size >= max) entries.delete(entries.keys().next().value!);
      entries.set(key, { version, value });
      return value;
    },
  };
}
