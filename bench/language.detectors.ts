// The detectors compared by `npm run bench -- language`, each loaded on demand so that a
// separate process can measure what loading it costs in memory.
export type Detect = (text: string) => string | null;

const FRANC_TO_ISO1: Record<string, string> = {
  eng: 'en', ces: 'cs', pes: 'fa', hin: 'hi', npi: 'ne', guj: 'gu', tam: 'ta', spa: 'es', deu: 'de', fra: 'fr', por: 'pt', arb: 'ar',
};

export const DETECTORS: Record<string, () => Promise<Detect>> = {
  earshot: async () => {
    const { detectLanguage } = await import('../src/domain/language/language.detect.js');
    return (t) => detectLanguage(t).lang;
  },
  'franc-min': async () => {
    const { franc } = await import('franc-min');
    return (t) => {
      const code = franc(t, { minLength: 3 });
      return code === 'und' ? null : (FRANC_TO_ISO1[code] ?? code);
    };
  },
  'franc-min (12 langs)': async () => {
    const { franc } = await import('franc-min');
    const only = Object.keys(FRANC_TO_ISO1);
    return (t) => {
      const code = franc(t, { minLength: 3, only });
      return code === 'und' ? null : FRANC_TO_ISO1[code]!;
    };
  },
  tinyld: async () => {
    const { detect } = await import('tinyld');
    return (t) => detect(t) || null;
  },
};

/** Run as a child process: prints the RSS growth from loading one detector and using it. */
export async function measureMemory(name: string, texts: string[]): Promise<{ loadMb: number; useMb: number }> {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const detect = await DETECTORS[name]!();
  globalThis.gc?.();
  const loaded = process.memoryUsage().rss;
  for (const t of texts) detect(t);
  globalThis.gc?.();
  const used = process.memoryUsage().rss;
  return { loadMb: (loaded - before) / 2 ** 20, useMb: (used - before) / 2 ** 20 };
}
