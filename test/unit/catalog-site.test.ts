// The catalog site over a small corpus written for this test: Sigma and Panther rules on the
// same CloudTrail call (shared indicators, the same action across platforms), a partly
// extracted Panther rule with output fields and tests, a Sigma rule with a filter stage and
// references, a value_sum correlation (which Splunk cannot convert), a rule whose text tries
// every way into the page (script tags, javascript: links, event handlers, Handlebars
// mustaches, raw HTML), a file that is not YAML, and two playbooks.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RuleResult } from '../../src/ast/rule.js';
import { buildCatalogIndex, type CatalogIndex, type CatalogRule, type Playbook } from '../../src/catalog/index.js';
import { highlight, tokenizePython, tokenizeYaml } from '../../src/catalog/site/highlight.js';
import { ATTACK_LAYER_PATH, CATALOG_JSON_PATH, renderSite, SEARCH_DATA_PATH, type SiteFile } from '../../src/catalog/site/index.js';
import { isPlainText, markdownToHtml, markdownToHtmlSlow } from '../../src/catalog/site/markdown.js';
import { canonicalUrl, fileName } from '../../src/catalog/site/paths.js';
import { loadRules } from '../../src/load/load.js';

const XSS_DESCRIPTION = [
  'Looks for <script>alert("description")</script> in a URL.',
  '',
  '[click me](javascript:alert(1)) and <img src=x onerror=alert(2)> and {{constructor.constructor "alert(3)"}}',
  '',
  '<div onclick="alert(4)">raw block html</div>',
  '',
  '![tracker](https://tracker.example/pixel.png) [docs](https://docs.example/page) [local](../README.md)',
].join('\n');

const FILES: Record<string, string> = {
  'sigma/aws/key_for_other_user.yml': [
    'title: Access Key Created For Another User',
    'id: 7d1e6f0a-1c52-4f7b-9a64-3b1f0c2d5e01',
    'status: test',
    'description: |',
    '    An IAM user creates an **access key** for a different user, a common way to keep access.',
    'references:',
    '    - https://docs.example/iam/create-access-key',
    '    - javascript:alert(document.cookie)',
    'author: Site Fixture',
    'date: 2025-01-02',
    'modified: 2025-02-03',
    'tags:',
    '    - attack.persistence',
    '    - attack.t1098.001',
    'logsource:',
    '    product: aws',
    '    service: cloudtrail',
    'detection:',
    '    selection:',
    '        eventSource: iam.amazonaws.com',
    '        eventName: CreateAccessKey',
    '    filter_self:',
    '        requestParameters.userName|fieldref: userIdentity.userName',
    '    condition: selection and not filter_self',
    'falsepositives:',
    '    - Administrators provisioning service users',
    'level: high',
    '',
  ].join('\n'),
  'sigma/aws/xss.yml': [
    "title: 'Hostile <b>Title</b> {{title}} <script>alert(0)</script>'",
    'id: 7d1e6f0a-1c52-4f7b-9a64-3b1f0c2d5e02',
    'status: test',
    'description: |',
    ...XSS_DESCRIPTION.split('\n').map((l) => (l === '' ? '' : `    ${l}`)),
    'references:',
    '    - "javascript:alert(5)"',
    '    - "https://ok.example/?q=<script>"',
    'tags:',
    '    - attack.persistence',
    '    - attack.t1098.001',
    'logsource:',
    '    product: aws',
    '    service: cloudtrail',
    'detection:',
    '    selection:',
    "        eventName: '<script>alert(6)</script>'",
    '        eventSource: iam.amazonaws.com',
    "        userAgent|contains: '\" onmouseover=\"alert(7)'",
    '    condition: selection',
    'falsepositives:',
    "    - '<img src=x onerror=alert(8)>'",
    'level: low',
    '',
  ].join('\n'),
  'sigma/okta/failed_logins.yml': [
    'title: Okta Failed Sign-in',
    'id: 7d1e6f0a-1c52-4f7b-9a64-3b1f0c2d5e03',
    'name: okta_failed_signin',
    'status: test',
    'logsource:',
    '    product: okta',
    '    service: okta',
    'detection:',
    '    selection:',
    '        eventType: user.session.start',
    '        outcome.result: FAILURE',
    '    condition: selection',
    'level: low',
    '---',
    'title: Okta Failure Score Sum',
    'id: 7d1e6f0a-1c52-4f7b-9a64-3b1f0c2d5e04',
    'status: test',
    'correlation:',
    '    type: value_sum',
    '    rules:',
    '        - okta_failed_signin',
    '    group-by:',
    '        - client.ipAddress',
    '    timespan: 30m',
    '    condition:',
    '        gte: 100',
    '        field: risk',
    'level: medium',
    '',
  ].join('\n'),
  'sigma/broken.yml': 'title: [unclosed\nlogsource: {\n',
  'panther/key_created.yml': [
    'AnalysisType: rule',
    'RuleID: Fixture.Site.KeyCreated',
    'DisplayName: IAM Access Key Created Without An Owner',
    'Enabled: true',
    'Filename: key_created.py',
    'LogTypes:',
    '  - AWS.CloudTrail',
    'Severity: Medium',
    'Description: >',
    '  Detects an IAM access key created for a user whose owner the directory does not know.',
    'Runbook: |',
    '  1. Find the user in the **directory**.',
    '  2. Ask the owner; <script>alert(9)</script> is not a step.',
    'Reference: https://docs.example/panther',
    'Reports:',
    '  MITRE ATT&CK:',
    '    - TA0003:T1098.001',
    'DedupPeriodMinutes: 60',
    'Threshold: 1',
    'Tests:',
    '  - Name: Key created for a known user',
    '    ExpectedResult: true',
    '    Log:',
    '      eventName: CreateAccessKey',
    '      eventSource: iam.amazonaws.com',
    '      userIdentity: {arn: "arn:aws:iam::123456789012:user/ari"}',
    '  - Name: Another call',
    '    ExpectedResult: false',
    '    Log:',
    '      eventName: DeleteAccessKey',
    '',
  ].join('\n'),
  'panther/key_deleted.yml': [
    'AnalysisType: rule',
    'RuleID: Fixture.Site.KeyDeleted',
    'DisplayName: IAM Access Key Deleted',
    'Enabled: true',
    'Filename: key_deleted.py',
    'LogTypes: [AWS.CloudTrail]',
    'Severity: Low',
    '',
  ].join('\n'),
  'panther/key_deleted.py': 'def rule(event):\n    return event.get("eventSource") == "iam.amazonaws.com" and event.get("eventName") == "DeleteAccessKey"\n',
  'panther/key_created.py': [
    'from panther_base_helpers import lookup_owner',
    '',
    '',
    'def rule(event):',
    '    if event.get("eventName") != "CreateAccessKey":',
    '        return False',
    '    if event.get("eventSource") != "iam.amazonaws.com":',
    '        return False',
    '    return lookup_owner(event.deep_get("userIdentity", "arn")) is None',
    '',
    '',
    'def alert_context(event):',
    '    return {',
    '        "event_name": event.get("eventName"),',
    '        "user_arn": event.deep_get("userIdentity", "arn"),',
    '        "source_ip": event.get("sourceIPAddress"),',
    '        "owner": lookup_owner(event.deep_get("userIdentity", "arn")),',
    '    }',
    '',
  ].join('\n'),
};

let root: string;
let results: RuleResult[];
let index: CatalogIndex;
let playbooks: Playbook[];
let files: SiteFile[];
let byPath: Map<string, string>;

function playbooksFor(ix: CatalogIndex): Playbook[] {
  const covering = ix.attack.techniques.find((t) => t.id === 'T1098.001')?.rules ?? [];
  return [
    {
      slug: 'leaked-keys',
      path: 'leaked-keys.md',
      title: 'Leaked Access Keys',
      markdown: '# Leaked Access Keys\n\n| Severity | When |\n|---|---|\n| High | key used |\n\n## Phase 1: Preparation\n\nKnow your keys. [ATT&CK](https://attack.mitre.org/techniques/T1098/001/)\n',
      phases: [{ title: 'Phase 1: Preparation', goal: 'Know your keys.' }],
      severity: [{ Severity: 'High', When: 'key used' }],
      techniques: [
        { id: 'T1098', name: 'Account Manipulation', tactics: ['TA0003'] },
        { id: 'T1110.003', name: 'Password Spraying', tactics: ['TA0006'] },
      ],
      rules: covering,
      diagnostics: [],
    },
    {
      slug: 'hostile-playbook',
      path: 'hostile.md',
      title: 'Hostile <script>alert(10)</script> Playbook',
      markdown: '# Hostile\n\n<script>alert(11)</script>\n\n[x](javascript:alert(12))\n',
      phases: [],
      severity: [],
      techniques: [],
      rules: [],
      diagnostics: [],
    },
  ];
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rulebridge-site-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  results = (await loadRules([root], { workers: 0 })).results;
  index = buildCatalogIndex(results, { pathBase: root });
  playbooks = playbooksFor(index);
  files = renderSite(index, playbooks, { title: 'Fixture catalog', baseUrl: '' });
  byPath = new Map(files.map((f) => [f.path, text(f)]));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function text(f: SiteFile): string {
  return typeof f.content === 'string' ? f.content : new TextDecoder().decode(f.content);
}

function rule(title: string): CatalogRule {
  const found = index.rules.find((r) => r.title === title);
  expect(found, title).toBeDefined();
  return found!;
}

function page(path: string): string {
  const html = byPath.get(path);
  expect(html, path).toBeDefined();
  return html!;
}

const rulePage = (title: string) => page(`rules/${rule(title).slug}.html`);

/** The text of the HTML, tags removed and the usual entities decoded: what a reader sees. */
function visible(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&amp;/g, '&');
}

const htmlFiles = () => files.filter((f) => f.path.endsWith('.html'));

describe('pages', () => {
  test('a page for every rule, failed document, indicator, facet, tactic, technique, action and playbook', () => {
    expect(index.failed).toHaveLength(1);
    const expected = [
      'index.html',
      'rules.html',
      'platforms.html',
      'logsources.html',
      'severities.html',
      'tactics.html',
      'techniques.html',
      'actions.html',
      'indicators.html',
      'matrix.html',
      'playbooks.html',
      ...index.rules.map((r) => `rules/${r.slug}.html`),
      ...index.failed.map((f) => `rules/${f.slug}.html`),
      ...index.indicators.map((i) => `indicators/${i.slug}.html`),
      ...index.facets.platforms.filter((f) => f.count > 0).map((f) => `platforms/${f.slug}.html`),
      ...index.facets.logsources.map((f) => `logsources/${f.slug}.html`),
      ...index.facets.severities.filter((f) => f.count > 0).map((f) => `severities/${f.slug}.html`),
      ...index.attack.tactics.filter((t) => t.count > 0).map((t) => `tactics/${t.slug}.html`),
      ...index.attack.techniques.map((t) => `techniques/${t.slug}.html`),
      ...index.actions.map((a) => `actions/${a.slug}.html`),
      ...playbooks.map((p) => `playbooks/${p.slug}.html`),
    ];
    for (const path of expected) expect(byPath.has(path), path).toBe(true);
    expect(new Set(expected).size).toBe(expected.length);
    expect(index.indicators.length).toBeGreaterThan(5);
    // Only the pages above, the assets and the search data.
    const others = files.map((f) => f.path).filter((p) => !expected.includes(p));
    expect(others.every((p) => p.startsWith('assets/') || p === SEARCH_DATA_PATH), others.join(', ')).toBe(true);
    expect(byPath.has('assets/style.css') && byPath.has('assets/site.js') && byPath.has('assets/search.js') && byPath.has('assets/theme.js')).toBe(true);
  });

  test('files come sorted by path, with relative paths and no duplicates', () => {
    const paths = files.map((f) => f.path);
    expect([...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(paths);
    expect(new Set(paths).size).toBe(paths.length);
    for (const p of paths) expect(p).toMatch(/^(?:[a-z0-9-]+\/)?[a-z0-9.-]+$/);
  });

  test('progress is reported up to the number of files', () => {
    const seen: Array<[number, number]> = [];
    const again = renderSite(index, playbooks, { title: 'Fixture catalog', baseUrl: '' }, (done, total) => seen.push([done, total]));
    expect(seen.length).toBe(again.length);
    expect(seen[seen.length - 1]).toEqual([again.length, again.length]);
    expect(seen.every(([d, t], i) => d === i + 1 && t === again.length)).toBe(true);
  });
});

describe('links', () => {
  test('every relative href and src resolves to a file of the site (and its #fragment to an id there)', () => {
    // The caller writes these two beside the pages.
    const provided = new Set([CATALOG_JSON_PATH, ATTACK_LAYER_PATH]);
    const ids = new Map<string, Set<string>>();
    const idsOf = (path: string) => {
      let set = ids.get(path);
      if (!set) ids.set(path, (set = new Set([...byPath.get(path)!.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!))));
      return set;
    };
    const broken: string[] = [];
    let checked = 0;
    for (const f of htmlFiles()) {
      for (const m of text(f).matchAll(/\s(?:href|src|action)="([^"]*)"/g)) {
        const raw = m[1]!.replace(/&amp;/g, '&');
        if (/^(?:https?:|mailto:)/i.test(raw)) continue;
        checked++;
        expect(raw, `${f.path}: ${raw}`).not.toMatch(/^(?:[a-z][a-z0-9+.-]*:|\/)/i);
        const [pathPart, fragment] = raw.split('#') as [string, string | undefined];
        const target = pathPart === '' ? f.path : posix.normalize(posix.join(posix.dirname(f.path), pathPart.split('?')[0]!));
        if (!byPath.has(target) && !provided.has(target)) broken.push(`${f.path} -> ${raw}`);
        else if (fragment && byPath.has(target) && target.endsWith('.html') && !idsOf(target).has(fragment)) broken.push(`${f.path} -> ${raw} (no id)`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  test('pages one folder down link with ../, and the base URL only gives canonical links', () => {
    const r = rulePage('Access Key Created For Another User');
    expect(r).toContain('href="../assets/style.css"');
    expect(r).toContain('href="../index.html"');
    expect(page('index.html')).toContain('href="assets/style.css"');
    expect(r).not.toContain('rel="canonical"');

    const based = renderSite(index, playbooks, { title: 'Fixture catalog', baseUrl: '/catalog/' });
    const slug = rule('Access Key Created For Another User').slug;
    const html = text(based.find((f) => f.path === `rules/${slug}.html`)!);
    expect(html).toContain(`<link rel="canonical" href="/catalog/rules/${slug}.html">`);
    expect(html).toContain('href="../assets/style.css"');
    expect(canonicalUrl('https://rules.example/catalog', 'index.html')).toBe('https://rules.example/catalog/index.html');
    expect(canonicalUrl('javascript:alert(1)//', 'index.html')).toBeUndefined();
    expect(canonicalUrl('', 'index.html')).toBeUndefined();
  });

  test('the home page links to catalog.json and the ATT&CK Navigator layer', () => {
    const home = page('index.html');
    expect(home).toContain(`href="${CATALOG_JSON_PATH}"`);
    expect(home).toContain(`href="${ATTACK_LAYER_PATH}"`);
  });

  test('file names stay within [a-z0-9-] whatever a slug holds', () => {
    expect(fileName('t1098-001')).toBe('t1098-001');
    expect(fileName('../../etc/passwd')).toMatch(/^etc-passwd-[0-9a-f]{12}$/);
    expect(fileName('A B/C')).toMatch(/^a-b-c-[0-9a-f]{12}$/);
  });
});

describe('untrusted rule text renders inert', () => {
  test('no page has an inline script, an event handler, an inline style or a javascript: URL', () => {
    for (const f of htmlFiles()) {
      const html = text(f);
      for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
        expect(m[2], f.path).toBe('');
        expect(m[1], f.path).toMatch(/^ src="(?:\.\.\/)?(?:assets\/[a-z]+\.js|search-data\.js)"(?: defer)?$/);
      }
      const attrs = attributes(html);
      expect(attrs.filter((a) => a.name.startsWith('on') || a.name === 'style' || a.name === 'srcdoc'), f.path).toEqual([]);
      expect(html, f.path).not.toMatch(/<style/i);
      const urls = attrs.filter((a) => ['href', 'src', 'action', 'formaction'].includes(a.name));
      expect(urls.length, f.path).toBeGreaterThan(5);
      expect(urls.filter((a) => /^\s*(?:javascript|data|vbscript):/i.test(a.value)), f.path).toEqual([]);
      expect(html, f.path).not.toMatch(/<img\b/i);
      expect(html, f.path).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self';`);
    }
  });

  test('the hostile rule page shows its text as text', () => {
    const r = rule("Hostile <b>Title</b> {{title}} <script>alert(0)</script>");
    const html = page(`rules/${r.slug}.html`);
    const shown = visible(html);
    // Title, description, raw HTML and mustaches are all visible text.
    expect(html).toContain('<h1>Hostile &lt;b&gt;Title&lt;/b&gt; {{title}} &lt;script&gt;alert(0)&lt;/script&gt;</h1>');
    expect(shown).toContain('Looks for <script>alert("description")</script> in a URL.');
    expect(shown).toContain('{{constructor.constructor "alert(3)"}}');
    expect(shown).toContain('<div onclick="alert(4)">raw block html</div>');
    expect(shown).toContain('<img src=x onerror=alert(2)>');
    // The javascript: link keeps its text, not its target; images are their alt text; relative links are text.
    expect(shown).toContain('click me');
    expect(html).not.toMatch(/javascript:alert\(1\)"/);
    expect(shown).toContain('tracker');
    // (The rule body shows the description's source, address included, as text.)
    expect(html).not.toMatch(/(?:src|href)="https:\/\/tracker\.example/);
    expect(html).toContain('<a href="https://docs.example/page" rel="noopener noreferrer">docs</a>');
    expect(html).not.toContain('href="../README.md"');
    // References: only http(s) become links.
    expect(html).toContain('<li>javascript:alert(5)</li>');
    // (Handlebars writes `=` as an entity, also inside attributes.)
    expect(html).toContain('href="https://ok.example/?q&#x3D;%3Cscript%3E" rel="noopener noreferrer"');
    // Values in the body, the indicators, the conditions and the queries.
    expect(html).not.toMatch(/<script>alert\((?:6|0)\)/);
    // A quote in text content ends nothing: the value never reaches inside a tag.
    expect(html).toContain('onmouseover');
    expect(attributes(html).filter((a) => a.name.startsWith('on'))).toEqual([]);
    expect(shown).toContain(`eventName: '<script>alert(6)</script>'`);
    expect(shown).toContain('<img src=x onerror=alert(8)>');
  });

  test('Markdown of runbooks and playbooks goes through the sanitizer', () => {
    const runbook = rulePage('IAM Access Key Created Without An Owner');
    expect(runbook).toContain('<strong>directory</strong>');
    expect(runbook).not.toContain('<script>alert(9)');
    const hostile = page('playbooks/hostile-playbook.html');
    expect(hostile).not.toMatch(/<script>alert/);
    expect(hostile).not.toContain('javascript:');
    expect(visible(hostile)).toContain('<script>alert(11)</script>');
    expect(hostile).toContain('Hostile &lt;script&gt;alert(10)&lt;/script&gt; Playbook');
  });

  test('search data is a script that only assigns data', () => {
    const script = page(SEARCH_DATA_PATH);
    const sandbox: { window: Record<string, unknown> } = { window: {} };
    runInNewContext(script, sandbox);
    const data = sandbox.window['rulebridgeSearch'] as { rules: unknown[][]; format: number; techniques: string[][] };
    expect(data.format).toBe(1);
    expect(data.techniques).toContainEqual(['T1098.001', 'Account Manipulation: Additional Cloud Credentials']);
    expect(data.rules.map((r) => r[0])).toEqual(index.rules.map((r) => r.slug));
    const hostile = data.rules.find((r) => String(r[1]).startsWith('Hostile'))!;
    expect(hostile[1]).toBe('Hostile <b>Title</b> {{title}} <script>alert(0)</script>');
  });
});

describe('determinism', () => {
  test('the same input gives byte-identical files, whatever the order rules and playbooks come in', () => {
    const again = renderSite(buildCatalogIndex([...results].reverse(), { pathBase: root }), [...playbooks].reverse(), {
      title: 'Fixture catalog',
      baseUrl: '',
    });
    expect(again.map((f) => f.path)).toEqual(files.map((f) => f.path));
    again.forEach((f, i) => expect(text(f), f.path).toBe(text(files[i]!)));
  });

  test('nothing from the clock or the machine', () => {
    for (const f of files) {
      expect(text(f), f.path).not.toContain(root);
      expect(text(f), f.path).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:/);
    }
  });
});

describe('a Panther rule page has what the seed pages show', () => {
  test('breadcrumb, title, description, ATT&CK rows with names, body with its Python', () => {
    const html = rulePage('IAM Access Key Created Without An Owner');
    expect(html).toMatch(/<nav class="breadcrumb"[^>]*>\s*<ol>\s*<li><a href="\.\.\/rules\.html">Detection rules<\/a><\/li>\s*<li><a href="\.\.\/platforms\/panther\.html">Panther<\/a><\/li>/);
    expect(html).toContain('<h1>IAM Access Key Created Without An Owner</h1>');
    expect(html).toContain('<p>Detects an IAM access key created for a user whose owner the directory does not know.</p>');
    const attack = visible(section(html, 'attack'));
    expect(attack).toContain('Persistence');
    expect(attack).toContain('T1098.001');
    expect(attack).toContain('Account Manipulation: Additional Cloud Credentials');
    expect(html).toContain('href="../techniques/t1098-001.html"');
    expect(html).toContain('href="https://attack.mitre.org/techniques/T1098/001/"');
    const body = section(html, 'body');
    expect(body).toContain('key_created.yml');
    expect(body).toContain('key_created.py');
    expect(body).toContain('<span class="t-k">def</span> <span class="t-f">rule</span>');
    expect(body).toContain('<span class="t-y">RuleID</span>');
  });

  test('the condition, the partial sentence and the unknown part linking to its line', () => {
    const logic = section(rulePage('IAM Access Key Created Without An Owner'), 'logic');
    expect(visible(logic)).toContain('eventName eq "CreateAccessKey" and eventSource eq "iam.amazonaws.com"');
    expect(logic).toContain('This rule also runs imperative logic the parser cannot express as a filter');
    expect(logic).toMatch(/call of lookup_owner\(\) \(<a href="#py-L9">line 9<\/a>\)/);
    expect(rulePage('IAM Access Key Created Without An Owner')).toContain('id="py-L9"');
  });

  test('indicators with corpus counts, each linking to its page', () => {
    const panther = rule('IAM Access Key Created Without An Owner');
    const sigma = rule('Access Key Created For Another User');
    const table = section(rulePage(panther.title), 'indicators');
    // The same test is one indicator on both platforms: eventSource is tested by three other
    // rules, CreateAccessKey by the Sigma rule.
    const source = panther.indicators.find((i) => i.field === 'eventsource')!;
    const sigmaSource = sigma.indicators.find((i) => i.field === 'eventsource')!;
    expect(sigmaSource.slug).toBe(source.slug);
    expect(source.corpusCount).toBe(3);
    expect(visible(table)).toMatch(/eventSource\s*eq\s*iam\.amazonaws\.com 3/);
    expect(visible(table)).toMatch(/eventName\s*eq\s*CreateAccessKey 1/);
    expect(table).toContain(`href="../indicators/${source.slug}.html"`);
    expect(visible(section(rulePage(sigma.title), 'indicators'))).toMatch(/eventSource\s*eq\s*iam\.amazonaws\.com 3/);
    const indicatorPage = page(`indicators/${sigmaSource.slug}.html`);
    expect(indicatorPage).toContain(`href="../rules/${sigma.slug}.html"`);
    expect(indicatorPage).toContain(`href="../rules/${rule("Hostile <b>Title</b> {{title}} <script>alert(0)</script>").slug}.html"`);
    // The excluded filter shows as such.
    const excluded = sigma.indicators.find((i) => i.exclusion)!;
    expect(section(rulePage(sigma.title), 'indicators')).toContain('<tr class="excluded">');
    expect(visible(page(`indicators/${excluded.slug}.html`))).toMatch(/Rules excluding it[\s\S]*Access Key Created For Another User/);
  });

  test('output fields, same action across platforms, tests, runbook and queries with copy buttons', () => {
    const html = rulePage('IAM Access Key Created Without An Owner');
    const fields = visible(section(html, 'output-fields'));
    expect(fields).toMatch(/event_name\s*eventName/);
    expect(fields).toMatch(/user_arn\s*userIdentity\.arn/);
    expect(fields).toMatch(/owner\s*computed/);
    const same = section(html, 'same-action');
    expect(same).toContain(`href="../rules/${rule('Access Key Created For Another User').slug}.html"`);
    expect(visible(same)).toContain('On other platforms');
    const tests = visible(section(html, 'tests'));
    expect(tests).toMatch(/Key created for a known user\s*alerts/);
    expect(tests).toMatch(/Another call\s*does not alert/);
    expect(section(html, 'runbook')).toContain('<ol>');
    const queries = section(html, 'queries');
    for (const label of ['Splunk SPL', 'KQL: Microsoft Defender XDR', 'KQL: Microsoft Sentinel analytics rule', 'Google SecOps YARA-L 2.0']) expect(queries).toContain(label);
    expect(queries).toContain('<button type="button" class="copy" data-copy="query-splunk-1" hidden>Copy</button>');
    expect(queries).toContain('id="query-splunk-1"');
    expect(queries).toContain('Necessary condition only');
    expect(visible(queries)).toContain('CreateAccessKey');
  });

  test('a target that cannot convert a rule says why', () => {
    const html = rulePage('Okta Failure Score Sum');
    const query = (key: string) => new RegExp(`<section class="query" aria-labelledby="${key}-h">([\\s\\S]*?)</section>`).exec(html)![1]!;
    expect(visible(query('splunk'))).toContain('No query: Splunk conversion of value_sum correlations is not supported');
    expect(query('splunk')).not.toContain('class="copy"');
    expect(query('chronicle')).toContain('class="copy"');
    // The rule it sums over is converted only inside it on Chronicle, and says so.
    expect(visible(rulePage('Okta Failed Sign-in'))).toContain('converted only inside the correlation');
    // The correlation links the rule it uses.
    expect(section(html, 'logic')).toContain(`href="../rules/${rule('Okta Failed Sign-in').slug}.html"`);
  });
});

describe('a Sigma rule page', () => {
  test('stages: the condition, then each selection with the predicate it reads as', () => {
    const html = rulePage('Access Key Created For Another User');
    const stages = section(html, 'stages');
    const shown = visible(stages);
    expect(shown).toMatch(/Stage 0: condition\s*selection and not filter_self/);
    expect(shown).toMatch(/Stage 1: selection[\s\S]*eventSource: iam\.amazonaws\.com[\s\S]*Reads as eventSource eq "iam\.amazonaws\.com" and eventName eq "CreateAccessKey"/);
    expect(shown).toMatch(/Stage 2: filter_self[\s\S]*Reads as requestParameters\.userName eq field\(userIdentity\.userName\)/);
  });

  test('facts, references, false positives and playbooks', () => {
    const html = rulePage('Access Key Created For Another User');
    const shown = visible(html);
    expect(shown).toContain('Site Fixture');
    expect(shown).toContain('2025-01-02');
    expect(shown).toContain('sigma/aws/key_for_other_user.yml');
    expect(html).toContain('<a class="external" href="https://docs.example/iam/create-access-key" rel="noopener noreferrer">');
    expect(html).toContain('<li>javascript:alert(document.cookie)</li>');
    expect(shown).toContain('Administrators provisioning service users');
    expect(html).toContain('href="../playbooks/leaked-keys.html"');
    expect(html).toContain('<strong>access key</strong>');
  });

  test('a document that could not be read gets a page with its diagnostics', () => {
    const failed = index.failed[0]!;
    const html = page(`rules/${failed.slug}.html`);
    expect(visible(html)).toContain('sigma/broken.yml');
    expect(html).toContain('class="diag diag-error"');
    expect(page('rules.html')).toContain(`href="rules/${failed.slug}.html"`);
  });
});

describe('index pages, matrix and playbooks', () => {
  test('the matrix has every tactic as a column and shades covered techniques', () => {
    const html = page('matrix.html');
    for (const name of ['Initial Access', 'Persistence', 'Impact']) expect(html).toContain(name);
    expect(html).toMatch(/<a class="cell heat-2 sub" href="techniques\/t1098-001\.html"><span class="cell-id">T1098\.001<\/span>/);
  });

  test('technique pages link back to the playbooks covering them, playbooks to techniques and rules', () => {
    const technique = page('techniques/t1098-001.html');
    expect(technique).toContain('href="../playbooks/leaked-keys.html"');
    expect(visible(technique)).toContain('Account Manipulation: Additional Cloud Credentials');
    const playbook = page('playbooks/leaked-keys.html');
    // T1098 is covered through its sub-technique; T1110.003 by no rule: no page to link to.
    expect(playbook).toContain('href="../techniques/t1098-001.html"');
    expect(playbook).toContain(`href="../rules/${rule('IAM Access Key Created Without An Owner').slug}.html"`);
    expect(visible(playbook)).toContain('no rule in the catalog');
    expect(playbook).toContain('href="https://attack.mitre.org/techniques/T1110/003/"');
    expect(playbook).toMatch(/<table>[\s\S]*<th>Severity<\/th>/);
  });

  test('facet pages list their rules', () => {
    const aws = index.facets.logsources.find((f) => f.label === 'aws / cloudtrail')!;
    const html = page(`logsources/${aws.slug}.html`);
    expect(html).toContain(`href="../rules/${rule('Access Key Created For Another User').slug}.html"`);
    expect(page('severities.html')).toContain('href="severities/high.html"');
    const action = index.actions.find((a) => a.value === 'CreateAccessKey')!;
    expect(action.platforms).toEqual(['sigma', 'panther']);
    expect(visible(page(`actions/${action.slug}.html`))).toContain('IAM Access Key Created Without An Owner');
  });

  test('the home page has the totals, the search form with its filters, and its scripts', () => {
    const home = page('index.html');
    expect(home).toContain('<input id="q" name="q" type="search"');
    expect(home).not.toContain('id="site-search"');
    for (const id of ['platform', 'tactic', 'severity', 'logsource']) expect(home).toContain(`<select id="filter-${id}" name="${id}" data-filter="${id}">`);
    expect(home).toContain('<script src="search-data.js" defer></script>');
    expect(home).toContain('<script src="assets/search.js" defer></script>');
    expect(visible(home)).toContain(`Rules${index.totals.rules}`.replace(/(\d+)$/, '$1'));
  });
});

describe('highlighter', () => {
  test('tokens put back together are the source, and every text is escaped', () => {
    const yaml = "title: x\ndescription: |\n    <b>a: b</b>\n    # not a comment\nlist:\n    - 'q' # c\n    - {a: 1, \"b\": [x, y]}\n";
    expect(tokenizeYaml(yaml).map((t) => t.text).join('')).toBe(yaml);
    const python = 'def rule(event):\n    """doc\n    <x>"""\n    return event.get("a") == 1  # <c>\n';
    expect(tokenizePython(python).map((t) => t.text).join('')).toBe(python);
    const html = highlight(python, 'python', { anchors: 'py' });
    expect(html).not.toMatch(/<(?!\/?span\b)/);
    expect(html.split('\n').filter((l) => l !== '')).toHaveLength(4);
    expect(html).toContain('<span class="l" id="py-L3"><span class="t-s">    &lt;x&gt;"""</span></span>');
    expect(highlight(yaml, 'yaml')).toContain('<span class="t-s">    &lt;b&gt;a: b&lt;/b&gt;</span>');
    expect(highlight('a < b && c', 'text')).toBe('a &lt; b &amp;&amp; c');
  });

  test('token kinds', () => {
    const kinds = (tokens: Array<{ kind: string; text: string }>) => tokens.filter((t) => t.kind !== 'plain').map((t) => `${t.kind}:${t.text}`);
    expect(kinds(tokenizeYaml('key: 12 # note\nflag: true\nname: "q"\n'))).toEqual(['key:key', 'punct::', 'number:12', 'comment:# note', 'key:flag', 'punct::', 'literal:true', 'key:name', 'punct::', 'string:"q"']);
    expect(kinds(tokenizePython('@cache\ndef f(x=None):\n    return len(x)\n'))).toEqual([
      'decorator:@cache',
      'keyword:def',
      'function:f',
      'punct:(',
      'punct:=',
      'literal:None',
      'punct:)',
      'punct::',
      'keyword:return',
      'builtin:len',
      'punct:(',
      'punct:)',
    ].filter((k) => !k.startsWith('punct')));
  });
});

describe('Markdown', () => {
  test('the plain-text shortcut gives what the parser gives', () => {
    const samples = [
      'One line.',
      'Two\nlines  with  spaces.\n\nA second paragraph.\n\n\n  Indented less than four.',
      'Detects user_name and C:\\Windows\\System32 in paths.',
      "Quotes 'single' and \"double\", colons: yes; 100% sure? (maybe)",
      'Ends with spaces \nnext',
    ];
    for (const s of samples) expect(markdownToHtml(s), s).toBe(markdownToHtmlSlow(s));
    expect(isPlainText(samples[2]!)).toBe(true);
    expect(isPlainText('a *b*')).toBe(false);
    expect(isPlainText('see https://x.example')).toBe(false);
    expect(isPlainText('_lead underscore')).toBe(false);
    expect(isPlainText('escape \\* star')).toBe(false);
  });

  test('links, images, raw HTML and headings', () => {
    expect(markdownToHtml('[a](https://x.example/) [b](javascript:alert(1)) [c](rel/path.md) <mailto:me@x.example>')).toBe(
      '<p><a href="https://x.example/" rel="noopener noreferrer">a</a> b c <a href="mailto:me@x.example">mailto:me@x.example</a></p>',
    );
    expect(markdownToHtml('![alt text](https://x.example/i.png)')).toBe('<p>alt text</p>');
    expect(markdownToHtml('a <b onclick="x()">b</b>')).toBe('<p>a &#x3C;b onclick="x()">b&#x3C;/b></p>');
    expect(markdownToHtml('# Top\n\n### Three', { headingOffset: 2 })).toBe('<h3>Top</h3>\n<h5>Three</h5>');
    expect(markdownToHtml('| a | b |\n|---|---|\n| 1 | 2 |')).toContain('<table>');
  });
});

/** Every attribute of every tag, read as a browser tokenizes tags (quoted values may hold `>`). */
function attributes(html: string): Array<{ tag: string; name: string; value: string }> {
  const out: Array<{ tag: string; name: string; value: string }> = [];
  for (const tag of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g)) {
    for (const a of tag[2]!.matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
      out.push({ tag: tag[1]!.toLowerCase(), name: a[1]!.toLowerCase(), value: a[2] ?? a[3] ?? a[4] ?? '' });
    }
  }
  return out;
}

/** The page's `<section id="…">`, nested sections included. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  expect(start, `section ${id}`).toBeGreaterThanOrEqual(0);
  const tags = /<section\b|<\/section>/g;
  tags.lastIndex = start;
  let depth = 0;
  for (let m = tags.exec(html); m; m = tags.exec(html)) {
    depth += m[0] === '</section>' ? -1 : 1;
    if (depth === 0) return html.slice(start, tags.lastIndex);
  }
  throw new Error(`section ${id} is not closed`);
}
