// The catalog pages of the two Panther rules the seed pages show (../shared/seeds/000 and 001),
// read from the public panther-analysis repository (../panther-analysis or PANTHER_ANALYSIS;
// skipped with a message when it is not there): the seeds' condition, indicators, output fields
// and ATT&CK rows with technique names appear on the rendered pages.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildCatalogIndex } from '../../src/catalog/index.js';
import type { CatalogIndex } from '../../src/catalog/model.js';
import { renderSite } from '../../src/catalog/site/index.js';
import { loadRules } from '../../src/load/load.js';

const PANTHER = process.env.PANTHER_ANALYSIS ?? join(import.meta.dirname, '..', '..', '..', 'panther-analysis');
const SEEDS = ['rules/anthropic_rules/anthropic_service_key_created.yml', 'rules/openai_rules/openai_api_key_anomalous_activity.yml'].map((p) => join(PANTHER, p));
const present = SEEDS.every((p) => existsSync(p));
if (!present) console.warn(`skipping the seed pages: the seed rules are not in ${PANTHER}`);

/** A page's text as a reader sees it: tags dropped, entities decoded, white space folded. */
function visible(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe.skipIf(!present)('seed rule pages', () => {
  let index: CatalogIndex;
  let pages: Map<string, string>;
  beforeAll(async () => {
    const loaded = await loadRules(SEEDS, { workers: 0 });
    index = buildCatalogIndex(loaded.results);
    pages = new Map(renderSite(index, [], { title: 'Seeds', baseUrl: '' }).map((f) => [f.path, String(f.content)]));
  }, 60_000);

  const pageOf = (id: string) => {
    const rule = index.rules.find((r) => r.id === id)!;
    expect(rule, id).toBeDefined();
    return visible(pages.get(`rules/${rule.slug}.html`)!);
  };

  test('Anthropic.Activity.Service.Key.Created', () => {
    const page = pageOf('Anthropic.Activity.Service.Key.Created');
    expect(page).toContain('type eq "service_key_created"');
    expect(page).toMatch(/type eq service_key_created/);
    for (const [field, source] of [
      ['event_type', 'type'],
      ['actor_type', 'actor.type'],
      ['actor_email', 'actor.email_address'],
      ['actor_user_id', 'actor.user_id'],
      ['ip_address', 'actor.ip_address'],
      ['user_agent', 'actor.user_agent'],
      ['api_key_id', 'actor.api_key_id'],
    ]) {
      expect(page).toContain(`${field} ${source}`);
    }
    for (const text of ['Persistence', 'Privilege Escalation', 'T1098.001', 'Additional Cloud Credentials']) expect(page).toContain(text);
    expect(page).not.toContain('imperative logic');
  });

  test('OpenAI.API.Key.Anomalous.Activity', () => {
    const page = pageOf('OpenAI.API.Key.Anomalous.Activity');
    expect(page).toContain('type in ["api_key.created", "api_key.updated"]');
    for (const [field, source] of [
      ['event_type', 'type'],
      ['event_id', 'id'],
      ['actor_email', 'actor.session.user.email'],
      ['actor_id', 'actor.session.user.id'],
      ['source_ip', 'actor.session.ip_address'],
      ['user_agent', 'actor.session.user_agent'],
    ]) {
      expect(page).toContain(`${field} ${source}`);
    }
    for (const text of ['Initial Access', 'T1078', 'Valid Accounts', 'T1098', 'Account Manipulation', 'T1550', 'Use Alternate Authentication Material', 'T1071', 'Application Layer Protocol']) {
      expect(page).toContain(text);
    }
  });
});
