// Lighthouse (the version pinned in package-lock.json) on pages of a served site, one at a
// time in one Chromium: `node run.mjs BASE_URL OUT_DIR PAGE...` writes OUT_DIR/<page>.json,
// each page's Lighthouse result. tests/lighthouse/check.py serves the site, runs this and
// judges the results; the `lighthouse` Nox session runs check.py.
//
// Default settings: mobile emulation, simulated throttling (slow 4G, a CPU 4x slower).
// CHROME_PATH names the browser (Debian's Chromium), which is never downloaded.

import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const [baseUrl, outDir, ...pages] = process.argv.slice(2);
if (!baseUrl || !outDir || pages.length === 0) {
  console.error('usage: node run.mjs BASE_URL OUT_DIR PAGE...');
  process.exit(2);
}

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: [
    '--headless=new',
    '--no-sandbox', // needed as root
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // nothing resolves but 127.0.0.1: a request for another host fails at once
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  ],
});
let failed = 0;
try {
  for (const page of pages) {
    const url = new URL(page, baseUrl).href;
    const started = Date.now();
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: CATEGORIES,
    });
    if (!result || result.lhr.runtimeError) {
      console.error(`${page}: ${result ? result.lhr.runtimeError.message : 'no result'}`);
      failed += 1;
      continue;
    }
    const target = path.join(outDir, `${page}.json`);
    await mkdir(path.dirname(target), {recursive: true});
    await writeFile(target, result.report);
    const scores = CATEGORIES.map((c) => Math.round(result.lhr.categories[c].score * 100));
    console.log(`${page}: ${scores.join(' / ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
} finally {
  await chrome.kill();
}
process.exit(failed ? 1 : 0);
