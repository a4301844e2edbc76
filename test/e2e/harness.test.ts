// Code passed to page.evaluate runs in the page: it is typed with the DOM's globals.
/// <reference lib="dom" />
// The browser harness itself, on a three-file site written here: chromium starts, the loopback
// server serves the site with types the browser accepts (a module script and a stylesheet
// apply only with the right ones), the clipboard can be read back, screenshots are written.
// The catalog site's own tests (catalog-site.test.ts) rely on each of these.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SiteServer } from '../../src/catalog/serve.js';
import { chromiumMissing, clipboardContext, launchChromium, screenshot, serveDir } from './browser.js';

const skip = chromiumMissing();
if (skip) console.warn(`skipping browser harness tests: ${skip}`);

describe.skipIf(skip !== undefined)(`browser harness${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let browser: Browser;
  let server: SiteServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rulebridge-harness-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      [
        '<!doctype html><html><head><meta charset="utf-8"><title>Harness</title>',
        '<link rel="stylesheet" href="assets/site.css"><script type="module" src="assets/site.js"></script></head>',
        '<body><h1>Harness</h1><input type="search" aria-label="Search"><pre id="q">index=main sourcetype=x</pre>',
        '<button data-copy="#q">Copy</button><a href="sub">sub</a></body></html>',
      ].join(''),
    );
    writeFileSync(join(dir, 'assets', 'site.css'), 'h1 { color: rgb(1, 2, 3); }');
    writeFileSync(
      join(dir, 'assets', 'site.js'),
      "for (const b of document.querySelectorAll('[data-copy]')) b.addEventListener('click', () => navigator.clipboard.writeText(document.querySelector(b.dataset.copy).textContent));\ndocument.body.dataset.ready = 'yes';\n",
    );
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'index.html'), '<!doctype html><title>Sub</title><p>sub page</p>');
    server = await serveDir(dir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('serves the site to chromium with working styles, module scripts, directories and clipboard', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const context = await clipboardContext(browser, server.url.replace(/\/$/, ''));
    const page = await context.newPage();
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
    await page.waitForSelector('body[data-ready="yes"]');
    expect(await page.$eval('h1', (h) => getComputedStyle(h).color)).toBe('rgb(1, 2, 3)');

    await page.click('[data-copy]');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('index=main sourcetype=x');

    await page.click('a[href="sub"]');
    await page.waitForURL(`${server.url}sub/`);
    expect(await page.textContent('p')).toBe('sub page');
    const missing = await page.goto(`${server.url}nope.html`);
    expect(missing?.status()).toBe(404);
    await context.close();
  });

  test('writes screenshots', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    const path = await screenshot(page, 'harness');
    expect(existsSync(path)).toBe(true);
    await page.close();
  });
});
