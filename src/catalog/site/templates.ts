// The site's Handlebars templates, read from templates/site/ and compiled once per process:
// layouts/*.hbs and partials/*.hbs are registered as partials (`layouts/page-start`,
// `rule-table`), pages/*.hbs are the pages. A page opens with `{{> layouts/page-start}}` and
// closes with `{{> layouts/page-end}}`: the layout in two halves rather than a partial block
// (`{{#> layout}}…{{/layout}}`), which measured 40% slower over the tens of thousands of small
// indicator pages of a large corpus. Either way no page needs a triple-stash to be placed.
//
// The environment is private (Handlebars.create()), has no custom helpers, and compiles with
// knownHelpersOnly (a `{{name}}` is always a property lookup, never a helper call) and without
// `@index` / `@last` data (views carry what a loop needs): both make every page cheaper, and
// leave templates nothing to surprise anyone with.

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// handlebars is CommonJS with a single module.exports object, which an ES import cannot name
// without synthetic default imports; require gives it as it is.
const Handlebars = createRequire(import.meta.url)('handlebars') as typeof import('handlebars');

/** templates/site at the package root: the same depth from src/catalog/site and dist/catalog/site. */
export const SITE_TEMPLATE_DIR = fileURLToPath(new URL('../../../templates/site/', import.meta.url));

const COMPILE_OPTIONS: CompileOptions = {
  knownHelpersOnly: true,
  data: false,
  // Partials inside <pre> must not be re-indented.
  preventIndent: true,
  strict: false,
};

type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;

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
  const hb = Handlebars.create();
  for (const file of hbsFiles(join(dir, 'layouts'))) hb.registerPartial(`layouts/${file.name}`, hb.compile(file.text, COMPILE_OPTIONS));
  for (const file of hbsFiles(join(dir, 'partials'))) hb.registerPartial(file.name, hb.compile(file.text, COMPILE_OPTIONS));
  const pages = new Map<string, Handlebars.TemplateDelegate>();
  for (const file of hbsFiles(join(dir, 'pages'))) pages.set(file.name, hb.compile(file.text, COMPILE_OPTIONS));
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
