import type { BrandSet } from '../mentions/compute.js';
import type { BrandRepository } from './brands.repository.js';
import { createVersionedCache } from './versioned-cache.js';

/**
 * Each workspace's brands as of their current version, read again only when the version moves
 * (one indexed aggregate per poll). Whoever matches compiles from the set and caches by version too.
 */
export function createBrandSetCache({ brandRepository, max = 1000 }: { brandRepository: BrandRepository; max?: number }) {
  const cache = createVersionedCache<BrandSet>(max);
  return {
    async forWorkspace(workspaceId: string): Promise<BrandSet> {
      const version = await brandRepository.version(workspaceId);
      const hit = cache.get(workspaceId, version);
      if (hit) return hit;
      const brands = (await brandRepository.all(workspaceId)).map((b) => ({ id: b.id, name: b.name, query: b.query }));
      return cache.set(workspaceId, version, { workspaceId, version, brands });
    },
  };
}

export type BrandSetCache = ReturnType<typeof createBrandSetCache>;
