// The site's template compiler means what Handlebars 4.7 means (compiled as the site compiled
// it before: knownHelpersOnly, no data, preventIndent, not strict): every construct it takes,
// over awkward values, and the whole sample catalog rendered both ways, byte for byte.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { buildCatalogIndex } from '../../src/catalog/index.js';
import { readPlaybooks } from '../../src/catalog/playbooks.js';
import { renderSite } from '../../src/catalog/site/index.js';
import type { Template } from '../../src/catalog/site/template-compiler.js';
import { loadRules } from '../../src/load/load.js';

const Handlebars = createRequire(import.meta.url)('handlebars') as typeof import('handlebars');
const HANDLEBARS_OPTIONS = { knownHelpersOnly: true, data: false, preventIndent: true, strict: false };

// Every template the site compiles is also compiled by Handlebars, under the name the site's
// partials are called by; `engine` picks which one renders.
const engine = vi.hoisted(() => ({ handlebars: false }));
vi.mock('../../src/catalog/site/template-compiler.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/catalog/site/template-compiler.js')>();
  const Handlebars = createRequire(import.meta.url)('handlebars') as typeof import('handlebars');
  const hb = Handlebars.create();
  return {
    ...actual,
    compileTemplate: (text: string, name: string, partials: ReadonlyMap<string, Template>) => {
      const ours = actual.compileTemplate(text, name, partials);
      const theirs = hb.compile(text, { knownHelpersOnly: true, data: false, preventIndent: true, strict: false });
      hb.registerPartial(name.replace(/^partials\//, '').replace(/\.hbs$/, ''), theirs);
      return (context: unknown) => (engine.handlebars ? theirs(context) : ours(context));
    },
  };
});

const { compileTemplate } = await import('../../src/catalog/site/template-compiler.js');

/** What rendering gives: the text, or that it threw (a value with no text, as both engines do). */
function attempt(render: () => string): string {
  try {
    return render();
  } catch (error) {
    return `threw ${(error as Error).name}`;
  }
}

/** The template rendered by both engines, with partials. */
function both(text: string, context: unknown, partials: Record<string, string> = {}): [string, string] {
  const hb = Handlebars.create();
  const ours = new Map<string, Template>();
  for (const [name, source] of Object.entries(partials)) {
    hb.registerPartial(name, hb.compile(source, HANDLEBARS_OPTIONS));
    ours.set(name, compileTemplate(source, name, ours));
  }
  engine.handlebars = false;
  const mine = compileTemplate(text, 'test', ours);
  const theirs = hb.compile(text, HANDLEBARS_OPTIONS);
  return [attempt(() => mine(context)), attempt(() => theirs(context))];
}

const TEMPLATES = [
  '<p title="{{a}}">{{a}} {{{a}}} {{this}}</p>',
  '{{a.b.c}}|{{{a.b}}}|{{a.length}}',
  '{{#if a}}yes {{a}}{{else}}no{{/if}}',
  '{{#unless a}}none{{else}}some {{a.length}}{{/unless}}',
  '{{#if a}}\n  <li>{{a}}</li>\n{{/if}}\n',
  '<ul>\n{{#each a}}\n<li>{{this}}</li>\n{{else}}\n<li>empty</li>\n{{/each}}\n</ul>',
  '{{#each a}}{{#each this}}[{{this}}]{{/each}}{{/each}}',
  '{{#if a}}one{{else if b}}two{{else}}three{{/if}}',
  '{{!-- a comment --}}{{! another }}x{{a}}',
  '<pre>\n  {{> item a}}\n</pre>\n{{> item}}\n{{> list items=a}}',
];
const PARTIALS = { item: '<i>{{this}}</i>\n<b>{{a}}</b>\n', list: '{{#each items}}({{this}}){{/each}}|{{a}}' };

const value = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.constantFrom('', 'plain', '<script>&"\'`=', 0, 1, -0, NaN, true, false, null, undefined),
    fc.string(),
    fc.integer(),
  ),
  any: fc.oneof({ maxDepth: 3 }, tie('leaf'), fc.array(tie('any'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c', 'length', 'items'), tie('any'), { maxKeys: 3 })),
}));

describe('template compiler', () => {
  test('every construct the site uses renders as Handlebars renders it, over any values', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEMPLATES), fc.record({ a: value.any, b: value.any, items: value.any }, { requiredKeys: [] }), (template, context) => {
        const [mine, theirs] = both(template, context, PARTIALS);
        expect(mine).toBe(theirs);
      }),
      { numRuns: 2000 },
    );
  });

  test('values that are not plain data: functions, iterables, prototypes, missing contexts', () => {
    class WithProto {
      own = 'own';
    }
    (WithProto.prototype as unknown as { inherited: string }).inherited = 'inherited';
    const cases: Array<[string, unknown]> = [
      ['{{a}}|{{#if a}}y{{/if}}|{{#each a}}{{this}}{{/each}}', { a: () => 'called' }],
      ['{{#each a}}<{{this}}>{{else}}none{{/each}}', { a: new Set(['x', 'y']) }],
      ['{{#each a}}<{{this}}>{{else}}none{{/each}}', { a: new Map() }],
      ['{{#each a}}<{{this}}>{{/each}}', { a: { x: 1, y: '<2>' } }],
      ['{{a.own}}|{{a.inherited}}|{{a.constructor}}|{{a.__proto__}}', { a: new WithProto() }],
      ['{{a}}{{#if a}}y{{else}}n{{/if}}{{> item}}', undefined],
      ['{{> item a}}', { a: null }],
      ['{{a}}', { a: { toHTML: () => '<b>safe</b>' } }],
      ['{{a}}', { a: [1, '<2>', [3]] }],
      ['{{{a}}}', { a: [1, '<2>', [3]] }],
    ];
    for (const [template, context] of cases) {
      const [mine, theirs] = both(template, context, PARTIALS);
      expect(mine, template).toBe(theirs);
    }
  });

  test('what Handlebars means differently or the site does not use is refused when compiled', () => {
    for (const template of ['{{helper a}}', '{{#with a}}x{{/with}}', '{{../a}}', '{{@index}}', '{{#if a b}}x{{/if}}', '{{#if "a"}}x{{/if}}', '{{> (name)}}', '{{#> layout}}x{{/layout}}']) {
      expect(() => compileTemplate(template, 'bad.hbs', new Map()), template).toThrow(/bad\.hbs:1:\d+: the site's templates do not support/);
    }
  });
});

describe('the site rendered by both engines', () => {
  test('the sample catalog (rules and playbooks) is byte-identical', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const results = (await loadRules([join(root, 'catalog', 'rules')], { workers: 0 })).results;
    const index = buildCatalogIndex(results, { pathBase: root });
    const { playbooks } = await readPlaybooks(join(root, 'catalog', 'playbooks'), index);
    const options = { title: 'Sample <catalog> & "friends"', baseUrl: 'https://example.com/catalog/', generatedFrom: 'sample@1' };
    engine.handlebars = false;
    const mine = renderSite(index, playbooks, options);
    engine.handlebars = true;
    const theirs = renderSite(index, playbooks, options);
    engine.handlebars = false;
    expect(mine.map((f) => f.path)).toEqual(theirs.map((f) => f.path));
    expect(mine.length).toBeGreaterThan(100);
    mine.forEach((f, i) => expect(f.content, f.path).toBe(theirs[i]!.content));
  });
});
