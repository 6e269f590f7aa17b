// `npm run bench -- terms [--texts 6000] [--seed 7] [--rounds 8]`
// The CPU of term extraction (src/domain/text/terms.ts), which the SWOT's themes, /v1/terms and
// trending keywords spend most of their time in (`npm run bench -- swot`): µs per text over the
// bench corpus's posts in seven languages, with brand exclusions as the SWOT passes them.
import { parseArgs } from 'node:util';
import { extractTerms } from '../src/domain/text/terms.js';
import { createRandom } from '../src/infra/seeded-random.js';
import { BRANDS, LANGS, generateText } from './support/corpus.js';
import { positiveInteger } from './support/stack.js';

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { texts: { type: 'string', default: '6000' }, seed: { type: 'string', default: '7' }, rounds: { type: 'string', default: '8' } } });
  const count = positiveInteger('--texts', values.texts);
  const rounds = positiveInteger('--rounds', values.rounds);
  const random = createRandom(positiveInteger('--seed', values.seed));
  const texts = Array.from({ length: count }, (_, i) => {
    const lang = LANGS[i % LANGS.length]!;
    const { title, text } = generateText(random, lang);
    return { title, text, lang };
  });
  const exclude = new Set(BRANDS.flatMap((b) => [b.name.toLowerCase(), ...b.surfaces.map((s) => s.toLowerCase())]));
  const pass = () => {
    let terms = 0;
    const started = process.cpuUsage();
    for (const t of texts) terms += extractTerms(t.title, { lang: t.lang, exclude }).length + extractTerms(t.text, { lang: t.lang, exclude }).length;
    const used = process.cpuUsage(started);
    return { terms, us: (used.user + used.system) / texts.length };
  };
  for (let i = 0; i < 3; i++) pass(); // warm: JIT, stemmers, stopword lists
  const runs = Array.from({ length: rounds }, pass);
  const us = runs.map((r) => r.us).sort((a, b) => a - b);
  console.log(`terms bench: ${count} texts (title and text) in ${LANGS.join(', ')}, seed ${values.seed}, ${rounds} rounds after 3 warm-up rounds`);
  console.log(`  µs of CPU per text: min ${us[0]!.toFixed(1)}, median ${us[us.length >> 1]!.toFixed(1)}, max ${us.at(-1)!.toFixed(1)}; ${runs[0]!.terms} terms a round`);
}
