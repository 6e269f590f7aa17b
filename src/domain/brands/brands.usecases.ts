import { AppError, notFound } from '../errors.js';
import { pageByCreation, type CursorKeys, type Page } from '../pagination/cursor.js';
import { parseQuery, QueryError } from '../query/index.js';
import type { BrandRepository, BrandRole, BrandRow } from './brands.repository.js';

export interface Brand {
  id: string;
  name: string;
  role: BrandRole;
  query: string;
  createdAt: string;
  updatedAt: string;
}

export function toBrand(row: BrandRow): Brand {
  return {
    id: row.id,
    name: row.name,
    role: row.role as BrandRole,
    query: row.query,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Parses the query so a broken one is refused at save time with the position of the problem. */
export function assertValidQuery(query: string): void {
  try {
    parseQuery(query);
  } catch (err) {
    if (err instanceof QueryError) {
      throw new AppError('query.invalid', 400, `query: ${err.message}`, { position: err.position, fields: [{ field: 'query', message: err.message }] });
    }
    throw err;
  }
}

const nameTaken = (name: string) => new AppError('brands.name_taken', 409, `a brand named "${name}" already exists in this workspace`);

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === '23505';
}

export async function createBrand({
  workspaceId,
  input,
  brandRepository,
}: {
  workspaceId: string;
  input: { name: string; role: BrandRole; query: string };
  brandRepository: BrandRepository;
}): Promise<Brand> {
  assertValidQuery(input.query);
  try {
    return toBrand(await brandRepository.insert({ workspaceId, ...input }));
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name);
    throw err;
  }
}

export async function getBrand({ workspaceId, id, brandRepository }: { workspaceId: string; id: string; brandRepository: BrandRepository }) {
  const row = await brandRepository.get(workspaceId, id);
  if (!row) throw notFound('brands', 'brand');
  return toBrand(row);
}

export async function listBrands({
  workspaceId,
  limit,
  cursor,
  brandRepository,
  cursorKeys,
}: {
  workspaceId: string;
  limit: number;
  cursor?: string | undefined;
  brandRepository: BrandRepository;
  cursorKeys: CursorKeys;
}): Promise<Page<Brand>> {
  return pageByCreation({ scope: 'brands', workspaceId, cursorKeys, limit, cursor, fetch: (page) => brandRepository.list(workspaceId, page), toItem: toBrand });
}

export async function updateBrand({
  workspaceId,
  id,
  patch,
  brandRepository,
}: {
  workspaceId: string;
  id: string;
  patch: { name?: string | undefined; role?: BrandRole | undefined; query?: string | undefined };
  brandRepository: BrandRepository;
}): Promise<{ brand: Brand }> {
  if (patch.query !== undefined) assertValidQuery(patch.query);
  const before = await brandRepository.get(workspaceId, id);
  if (!before) throw notFound('brands', 'brand');
  // Only what changes is written: an edit form sending the stored query back must not rematch the
  // brand's whole history, nor make the polls storing at that moment start again.
  const clean = Object.fromEntries(Object.entries(patch).filter(([field, v]) => v !== undefined && v !== before[field as keyof typeof patch]));
  if (Object.keys(clean).length === 0) return { brand: toBrand(before) };
  try {
    const row = await brandRepository.update(workspaceId, id, clean);
    if (!row) throw notFound('brands', 'brand');
    return { brand: toBrand(row) };
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(patch.name ?? before.name);
    throw err;
  }
}

export async function deleteBrand({ workspaceId, id, brandRepository }: { workspaceId: string; id: string; brandRepository: BrandRepository }) {
  if (!(await brandRepository.delete(workspaceId, id))) throw notFound('brands', 'brand');
}
