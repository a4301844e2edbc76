// The browser test harness: Debian's chromium driven by playwright-core (which downloads no
// browser of its own), the catalog's loopback server over a site folder, screenshots, and
// building a site with the command line. Every missing piece is a reason to skip, given as a
// message, never a failure: CI installs chromium (.ci/run), a bare checkout may not have it.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveSite, type SiteServer } from '../../src/catalog/serve.js';

export const root = join(import.meta.dirname, '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');
const cli = join(root, 'bin', 'rulebridge.js');

/** Why browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (install Debian's chromium: apt-get install -y --no-install-recommends chromium)`;
}

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI and containers run as root, where chromium refuses its sandbox.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** A context that may read and write the clipboard of the served site (copy buttons). */
export async function clipboardContext(browser: Browser, origin: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  return context;
}

/** The catalog's own server (src/catalog/serve.ts) over `dir`, on a free loopback port. */
export async function serveDir(dir: string): Promise<SiteServer> {
  const started = await serveSite(dir, { port: 0 });
  if (!started.ok) throw new Error(`cannot serve ${dir}: ${started.message}`);
  return started.server;
}

/** Saves a full-page screenshot as test/e2e/screenshots/<name>.png (git-ignored) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export type SiteBuild = { ok: true; dir: string } | { ok: false; skip?: string; message: string };

/**
 * Runs `rulebridge catalog build <rules> --playbooks <playbooks> --out <out>` as a user would.
 * A rulebridge without the `build` command (this harness came first) is a reason to skip.
 */
export function buildSite(rules: string, playbooks: string, out: string): SiteBuild {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) return { ok: false, skip: 'rulebridge is not built (run `npm run build`)', message: '' };
  const run = spawnSync(process.execPath, [cli, 'catalog', 'build', rules, '--playbooks', playbooks, '--out', out], { cwd: root, encoding: 'utf8' });
  const output = `${run.stdout}\n${run.stderr}`;
  if (/unknown command/i.test(output)) return { ok: false, skip: 'this rulebridge has no `catalog build` command yet', message: output };
  // Exit 1 is a corpus with rule errors: the site is still built, with their pages.
  if ((run.status !== 0 && run.status !== 1) || !existsSync(join(out, 'index.html'))) {
    return { ok: false, message: `catalog build exited ${run.status}:\n${output}` };
  }
  return { ok: true, dir: out };
}
