// Regenerates src/infra/db/schema.ts from a freshly migrated scratch database.
// `npm run db:codegen` writes it; `npm run db:codegen -- --check` exits 1 when the committed file drifted.
import { generateSchema } from './schema-codegen.js';
import { readFile, writeFile } from 'node:fs/promises';

const target = new URL('../src/infra/db/schema.ts', import.meta.url);
const generated = await generateSchema(process.env.CODEGEN_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8');
  if (committed !== generated) {
    console.error('src/infra/db/schema.ts is out of date with migrations/: run `npm run db:codegen` and commit it');
    process.exit(1);
  }
  console.log('schema.ts matches the migrations');
} else {
  await writeFile(target, generated);
  console.log('wrote src/infra/db/schema.ts');
}
