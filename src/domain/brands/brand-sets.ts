import type { BrandSet } from '../mentions/compute.js';
import type { BrandRepository } from './brands.repository.js';

/**
 * Each workspace's brands as of their current version, read again only when the version moves
 * (one indexed aggregate per poll). Whoever matches compiles from the set and caches by version too.
 */
export function createBrandSetCache({ brandRepository, max = 1000 }: { brandRepository: BrandRepository; max?: number }) {
  const cache = new Map<string, BrandSet>();
  return {
    async forWorkspace(workspaceId: string): Promise<BrandSet> {
      const version = await brandRepository.version(workspaceId);
      const hit = cache.get(workspaceId);
      if (hit && hit.version === version) return hit;
      const brands = (await brandRepository.all(workspaceId)).map((b) => ({ id: b.id, query: b.query }));
      const set: BrandSet = { workspaceId, version, brands };
      cache.delete(workspaceId);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(workspaceId, set);
      return set;
    },
  };
}

export type BrandSetCache = ReturnType<typeof createBrandSetCache>;
