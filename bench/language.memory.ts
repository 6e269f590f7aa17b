// Child process of bench/language.bench.ts: argv = detector name, texts file (one text a line).
import { readFileSync } from 'node:fs';
import { measureMemory } from './language.detectors.js';

const [name, file] = process.argv.slice(2);
const texts = readFileSync(file!, 'utf8').split('\n').filter(Boolean);
console.log(JSON.stringify(await measureMemory(name!, texts)));
