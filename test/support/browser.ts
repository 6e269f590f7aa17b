import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's chromium (`apt-get install chromium`), or the one CHROMIUM_PATH names, for the tests of
 * pages. Without one, browser tests are skipped, except under CI=true, where they fail saying why
 * (.ci/run installs it).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** Whether a browser test should be skipped here: no chromium, and not in CI. */
export const noBrowser = !CHROMIUM && !process.env.CI;

/** A headless chromium; call in beforeAll of a suite skipped with `noBrowser`. */
export async function launchChromium(): Promise<Browser> {
  if (!CHROMIUM) throw new Error("no chromium: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH");
  // As root (CI, containers) chromium refuses to start with its sandbox.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}
