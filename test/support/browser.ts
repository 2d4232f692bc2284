import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium; playwright never downloads a browser here. */
const CHROMIUM = '/usr/bin/chromium';

/** Headless Chromium. CI installs it (.ci/run): a missing browser is a broken machine, not a reason to skip. */
export async function launchChromium(args: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--disable-gpu', ...args] });
}

/** Full-page screenshots saved under test-artifacts/<journey>/ (git-ignored), for people to look at. */
export function screenshots(journey: string): (page: Page, name: string) => Promise<Buffer> {
  const directory = join(process.cwd(), 'test-artifacts', journey);
  mkdirSync(directory, { recursive: true });
  return (page, name) => page.screenshot({ path: join(directory, `${name}.png`), fullPage: true });
}
