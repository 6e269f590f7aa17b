import { compileWorkspace, type WorkspaceMatcher } from '../query/index.js';
import type { BrandRepository } from './brands.repository.js';

/**
 * Compiled matchers per workspace, rebuilt only when the workspace's brands change. Checking
 * the version is one indexed aggregate; compiling fifty queries is far dearer.
 */
export function createMatcherCache({ brandRepository, max = 1000 }: { brandRepository: BrandRepository; max?: number }) {
  const cache = new Map<string, { version: string; matcher: WorkspaceMatcher }>();
  return {
    async forWorkspace(workspaceId: string): Promise<WorkspaceMatcher> {
      const version = await brandRepository.version(workspaceId);
      const hit = cache.get(workspaceId);
      if (hit && hit.version === version) return hit.matcher;
      const brands = await brandRepository.all(workspaceId);
      const matcher = compileWorkspace(brands.map((b) => ({ id: b.id, query: b.query })));
      cache.delete(workspaceId);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(workspaceId, { version, matcher });
      return matcher;
    },
  };
}

export type MatcherCache = ReturnType<typeof createMatcherCache>;
