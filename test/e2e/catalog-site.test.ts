// Code passed to page.evaluate runs in the page: it is typed with the DOM's globals.
/// <reference lib="dom" />
// The catalog site in a real browser (Debian chromium through playwright-core), built by the
// command line exactly as a user builds it:
//
//   node bin/rulebridge.js catalog build catalog/rules --playbooks catalog/playbooks --out <tmp>
//
// and served by `catalog serve`'s server on 127.0.0.1. Skipped, with the reason, when chromium
// is missing or when this rulebridge has no `catalog build` command.
//
// What the tests expect of the pages (the contract with the site's templates):
//
//   home page            <out>/index.html
//   search box           input[type=search] on the home page; typing filters client-side
//   search results       [data-search-results] a[href*="rules/"]: one visible link per matching
//                        rule, to rules/<rule slug>.html; rule field values are searchable
//   filters              select[data-filter="platform"] with an option labelled "Sigma";
//                        narrowing applies to the visible search results
//   rule page            rules/<slug>.html with the rule's title in its h1
//   copy buttons         [data-copy] on a rule page: a click puts a query shown on the page
//                        on the clipboard (navigator.clipboard.writeText)
//   matrix page          linked from the home page by a[href*="matrix"] (matrix.html)
//   technique links      a[href*="techniques/"] (matrix cells) to techniques/<slug>.html
//                        (slug: t1098-001), which lists its rules as a[href*="rules/"]
//   playbook pages       listed on playbooks.html (linked from the home page) by
//                        a[href*="playbooks/"]; each links the rules covering its techniques
//                        as a[href*="rules/"]
//   untrusted text       titles, descriptions, field names and values, references, authors and
//                        playbook Markdown are shown as text: no markup from them runs, no
//                        javascript:/vbscript:/data:text/html URL reaches an href or src, and
//                        `{{...}}` is printed as written
//
// Screenshots of the home, rule and matrix pages go to test/e2e/screenshots/ (git-ignored).

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { SiteServer } from '../../src/catalog/serve.js';
import { buildSite, chromiumMissing, clipboardContext, launchChromium, root, screenshot, serveDir, type SiteBuild } from './browser.js';

const scratch = mkdtempSync(join(tmpdir(), 'rulebridge-site-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let skip = chromiumMissing();
let corpusSite: SiteBuild | undefined;
if (!skip) {
  corpusSite = buildSite(join(root, 'catalog', 'rules'), join(root, 'catalog', 'playbooks'), join(scratch, 'corpus-site'));
  if (!corpusSite.ok && corpusSite.skip) skip = corpusSite.skip;
}
if (skip) console.warn(`skipping catalog site browser tests: ${skip}`);

/** A rule searched for by one of its field values (eventName: CreateAccessKey), and two Panther rules with the same value. */
const SEARCHED_RULE = join(root, 'catalog', 'rules', 'sigma', 'cloud', 'aws_cloudtrail_access_key_created_for_other_user.yml');
const SEARCHED_VALUE = 'CreateAccessKey';
const searchedTitle = (parseYaml(readFileSync(SEARCHED_RULE, 'utf8')) as { title: string }).title;

const RESULTS = '[data-search-results] a[href*="rules/"]';

/** The hrefs of the search results a reader can see. */
function visibleResults(page: Page): Promise<string[]> {
  return page.$$eval(RESULTS, (links) => links.filter((a) => (a as HTMLElement).checkVisibility()).map((a) => a.getAttribute('href') ?? ''));
}

async function search(page: Page, site: SiteServer, query: string): Promise<void> {
  await page.goto(site.url);
  await page.fill('input[type=search]', query);
  await expect.poll(() => visibleResults(page).then((r) => r.length), { timeout: 10_000 }).toBeGreaterThan(0);
}

describe.skipIf(skip !== undefined)(`catalog site in a browser${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let browser: Browser;
  let site: SiteServer;
  let origin: string;

  beforeAll(async () => {
    if (!corpusSite?.ok) throw new Error(corpusSite?.message ?? 'the site was not built');
    site = await serveDir(corpusSite.dir);
    origin = site.url.replace(/\/$/, '');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  test('search finds a rule by a field value and links to its page', async () => {
    const page = await browser.newPage();
    await search(page, site, SEARCHED_VALUE);
    await screenshot(page, 'home');
    const result = page.locator(RESULTS, { hasText: searchedTitle }).first();
    await result.click();
    await page.waitForURL(/\/rules\/[a-z0-9-]+\.html$/);
    expect(await page.textContent('h1')).toContain(searchedTitle);
    await screenshot(page, 'rule');
    await page.close();
  });

  test('filters narrow the results', async () => {
    const page = await browser.newPage();
    await search(page, site, SEARCHED_VALUE);
    const all = await visibleResults(page);
    // The value is tested by a Sigma rule and by Panther rules.
    expect(all.some((href) => /rules\/panther-/.test(href))).toBe(true);
    await page.locator('select[data-filter="platform"]').first().selectOption({ label: 'Sigma' });
    await expect.poll(() => visibleResults(page).then((r) => r.length)).toBeLessThan(all.length);
    const narrowed = await visibleResults(page);
    expect(narrowed.length).toBeGreaterThan(0);
    expect(narrowed.every((href) => /rules\/sigma-/.test(href))).toBe(true);
    await page.close();
  });

  test('a copy button copies a query', async () => {
    const context = await clipboardContext(browser, origin);
    const page = await context.newPage();
    await search(page, site, SEARCHED_VALUE);
    await page.locator(RESULTS, { hasText: searchedTitle }).first().click();
    await page.waitForURL(/\/rules\//);
    const button = page.locator('[data-copy]').first();
    await button.click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied.trim().length).toBeGreaterThan(0);
    const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
    const shown = squash((await page.textContent('body')) ?? '');
    expect(shown).toContain(squash(copied));
    await context.close();
  });

  test('the matrix links to technique pages that list their rules', async () => {
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.locator('a[href*="matrix"]').first().click();
    await page.waitForLoadState('load');
    await screenshot(page, 'matrix');
    const cells = page.locator('a[href*="techniques/"]');
    expect(await cells.count()).toBeGreaterThan(0);
    // Every cell leads somewhere.
    const hrefs = await cells.evaluateAll((links) => [...new Set(links.map((a) => (a as HTMLAnchorElement).href))]);
    for (const href of hrefs) expect((await page.request.get(href)).status(), href).toBe(200);

    const preferred = page.locator('a[href*="techniques/t1098-001"]');
    await ((await preferred.count()) > 0 ? preferred : cells).first().click();
    await page.waitForURL(/\/techniques\//);
    expect(await page.locator('a[href*="rules/"]').count()).toBeGreaterThan(0);
    await page.close();
  });

  test('a playbook page links the rules covering its techniques', async () => {
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.locator('a[href$="playbooks.html"]').first().click();
    await page.waitForURL(/playbooks\.html$/);
    const playbooks = page.locator('a[href*="playbooks/"]');
    expect(await playbooks.count()).toBeGreaterThan(0);
    await playbooks.first().click();
    await page.waitForURL(/\/playbooks\//);
    expect(await page.locator('a[href*="rules/"]').count()).toBeGreaterThan(0);
    await page.close();
  });
});

// ---------------------------------------------------------------------------------------------
// Untrusted text never runs: a rule set and a playbook full of markup, built into a site.

const CANARY_TITLE = 'XSS canary <script>window.__xss=1</script> {{7*7}}';

const CANARY_RULE = `title: '${CANARY_TITLE}'
id: 5e1f0c2a-7d3b-4c1e-9a8f-00000000c0de
status: test
description: |
  Canary <script>window.__xss=1</script> and <img src=x onerror="window.__xss=1">,
  a [markdown link](javascript:window.__xss=1), an <a href="javascript:window.__xss=1">HTML link</a>,
  an [entity link](jav&#x61;script:window.__xss=1), <iframe src="javascript:window.__xss=1"></iframe>,
  <svg onload="window.__xss=1"></svg> and templates {{constructor.constructor('window.__xss=1')()}} {{> x}} {{{title}}}.
references:
  - 'javascript:window.__xss=1'
  - ' JaVaScRiPt:window.__xss=1'
author: '<img src=x onerror="window.__xss=1">'
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    CommandLine|contains: '<script>window.__xss=1</script>'
    Image|endswith: '<img src=x onerror="window.__xss=1">'
    '<img src=x onerror=window.__xss=1>': '{{7*7}}'
  filter:
    ParentImage: 'javascript:window.__xss=1'
  condition: selection and not filter
falsepositives:
  - '<svg onload="window.__xss=1">'
tags:
  - attack.execution
  - attack.t1059.001
level: high
`;

/** A plain rule beside it, so that lists and facets have more than one entry. */
const PLAIN_RULE = `title: Plain neighbour rule
id: 5e1f0c2a-7d3b-4c1e-9a8f-00000000c0df
status: test
description: An ordinary rule.
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    Image|endswith: '\\\\powershell.exe'
  condition: selection
tags:
  - attack.execution
  - attack.t1059.001
level: low
`;

const CANARY_PLAYBOOK = `# Canary playbook <script>window.__xss=1</script> {{7*7}}

<script>window.__xss=1</script>
<img src=x onerror="window.__xss=1">
[a link](javascript:window.__xss=1) and <a href="javascript:window.__xss=1">another</a>

### 3.1 Phase 1: Preparation <img src=x onerror="window.__xss=1">

*Goal: <script>window.__xss=1</script>*

## Severity

| Level | Description |
|---|---|
| High | <img src=x onerror="window.__xss=1"> |

## 4 MITRE ATT&CK Framework Mapping

| Tactic | Technique ID | Technique Name |
|---|---|---|
| Execution | T1059.001 | <script>window.__xss=1</script> |
`;

const DANGEROUS_URL = /^(?:javascript:|vbscript:|data:text\/html)/i;

describe.skipIf(skip !== undefined)(`untrusted rule text in the site${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let browser: Browser;
  let site: SiteServer;

  beforeAll(async () => {
    const rules = join(scratch, 'canary-rules');
    const playbooks = join(scratch, 'canary-playbooks');
    mkdirSync(rules);
    mkdirSync(playbooks);
    writeFileSync(join(rules, 'xss_canary.yml'), CANARY_RULE);
    writeFileSync(join(rules, 'plain.yml'), PLAIN_RULE);
    writeFileSync(join(playbooks, 'canary.md'), CANARY_PLAYBOOK);
    const built = buildSite(rules, playbooks, join(scratch, 'canary-site'));
    if (!built.ok) throw new Error(built.message);
    site = await serveDir(built.dir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  test('no page of the site runs injected script, and the text is shown as written', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    // Every page reachable from the home page (a few dozen for two rules and a playbook).
    const queue = [site.url];
    const seen = new Set(queue);
    const visited: Array<{ url: string; text: string }> = [];
    while (queue.length > 0 && visited.length < 1000) {
      const url = queue.shift()!;
      const response = await page.goto(url, { waitUntil: 'load' });
      if (!response || !(response.headers()['content-type'] ?? '').startsWith('text/html')) continue;
      await page.waitForTimeout(50);
      expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), url).toBeUndefined();
      const urls = await page.$$eval('[href], [src], [action], [formaction]', (elements) =>
        elements.flatMap((e) => ['href', 'src', 'action', 'formaction'].map((a) => e.getAttribute(a)).filter((v): v is string => v !== null)),
      );
      // Browsers ignore leading spaces and control characters, and so does this check.
      const dangerous = urls.filter((u) => DANGEROUS_URL.test(u.replace(/[\u0000-\u0020]+/g, '')));
      expect(dangerous, url).toEqual([]);
      visited.push({ url, text: (await page.textContent('body')) ?? '' });
      const links = await page.$$eval('a[href]', (anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
      for (const link of links) {
        const target = new URL(link);
        target.hash = '';
        if (target.origin !== new URL(site.url).origin || seen.has(target.href)) continue;
        if (!/(\.html|\/)$/.test(target.pathname)) continue;
        seen.add(target.href);
        queue.push(target.href);
      }
    }

    // The canary rule's page was among them and shows its title as text, braces included.
    const rulePage = visited.find((v) => /\/rules\//.test(v.url) && v.text.includes('XSS canary'));
    expect(rulePage, 'the canary rule page').toBeDefined();
    expect(rulePage!.text).toContain(CANARY_TITLE);
    expect(visited.some((v) => /\/playbooks\//.test(v.url)), 'the canary playbook page').toBe(true);

    // The search results render the same text.
    await page.goto(site.url);
    for (const query of ['__xss', 'onerror', 'script', '{{']) {
      await page.fill('input[type=search]', query);
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), query).toBeUndefined();
    }
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
