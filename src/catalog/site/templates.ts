// The site's Handlebars templates, read from templates/site/ and compiled once per process:
// layouts/*.hbs and partials/*.hbs are the partials (`layouts/page-start`, `rule-table`),
// pages/*.hbs are the pages. A page opens with `{{> layouts/page-start}}` and closes with
// `{{> layouts/page-end}}`: the layout in two halves rather than a partial block
// (`{{#> layout}}…{{/layout}}`), which measured 40% slower over the tens of thousands of small
// indicator pages of a large corpus. Either way no page needs a triple-stash to be placed.
//
// The templates are compiled by template-compiler.ts, with the meaning Handlebars gives them
// compiled with knownHelpersOnly (a `{{name}}` is always a property lookup, never a helper
// call), without `@index` / `@last` data (views carry what a loop needs) and with no custom
// helpers: that leaves templates nothing to surprise anyone with, and the compiler refuses
// anything beyond it.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTemplate, type Template } from './template-compiler.js';

/** templates/site at the package root: the same depth from src/catalog/site and dist/catalog/site. */
export const SITE_TEMPLATE_DIR = fileURLToPath(new URL('../../../templates/site/', import.meta.url));

export interface SiteTemplates {
  /** Renders pages/<name>.hbs with the context. */
  render(page: string, context: object): string;
  /** Static files of templates/site/assets, by name. */
  assets: ReadonlyMap<string, string>;
}

const cache = new Map<string, SiteTemplates>();

export function siteTemplates(dir: string = SITE_TEMPLATE_DIR): SiteTemplates {
  let templates = cache.get(dir);
  if (!templates) {
    templates = load(dir);
    cache.set(dir, templates);
  }
  return templates;
}

function load(dir: string): SiteTemplates {
  const partials = new Map<string, Template>();
  for (const file of hbsFiles(join(dir, 'layouts'))) partials.set(`layouts/${file.name}`, compileTemplate(file.text, `layouts/${file.name}.hbs`, partials));
  for (const file of hbsFiles(join(dir, 'partials'))) partials.set(file.name, compileTemplate(file.text, `partials/${file.name}.hbs`, partials));
  const pages = new Map<string, Template>();
  for (const file of hbsFiles(join(dir, 'pages'))) pages.set(file.name, compileTemplate(file.text, `pages/${file.name}.hbs`, partials));
  const assets = new Map<string, string>();
  for (const name of readdirSync(join(dir, 'assets')).sort()) assets.set(name, readFileSync(join(dir, 'assets', name), 'utf8'));
  return {
    render(page, context) {
      const template = pages.get(page);
      if (!template) throw new Error(`no template pages/${page}.hbs in ${dir}`);
      return template(context);
    },
    assets,
  };
}

function hbsFiles(dir: string): Array<{ name: string; text: string }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.hbs'))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.hbs'.length), text: readFileSync(join(dir, f), 'utf8') }));
}
