// Where each page of the site lives, and how one page links to another. Every internal link is
// relative, so that the site works from file://, from a server's root and under any sub-path;
// pages sit at most one folder deep, so a link is the page's way back to the root (`''` or
// `'../'`) followed by the target's path from the root.

import { shortHash, slugText } from '../slug.js';

/** The two machine-readable files the caller writes next to the pages (see catalogJson, attackLayer). */
export const CATALOG_JSON_PATH = 'catalog.json';
export const ATTACK_LAYER_PATH = 'attack-layer.json';
/** The client-side search index, a script (file:// forbids fetching JSON). */
export const SEARCH_DATA_PATH = 'search-data.js';

export const PAGE = {
  home: 'index.html',
  rules: 'rules.html',
  platforms: 'platforms.html',
  logsources: 'logsources.html',
  severities: 'severities.html',
  tactics: 'tactics.html',
  techniques: 'techniques.html',
  actions: 'actions.html',
  indicators: 'indicators.html',
  matrix: 'matrix.html',
  playbooks: 'playbooks.html',
} as const;

export type Folder = 'rules' | 'indicators' | 'platforms' | 'logsources' | 'severities' | 'tactics' | 'techniques' | 'actions' | 'playbooks';

const SAFE = /^[a-z0-9][a-z0-9-]{0,199}$/;

/**
 * A file name for a slug. The index's slugs are already safe; tactic and technique slugs come
 * from ids a rule may spell oddly, so anything outside [a-z0-9-] is renamed rather than trusted
 * to become a path.
 */
export function fileName(slug: string): string {
  return SAFE.test(slug) ? slug : `${slugText(slug) || 'page'}-${shortHash(slug)}`;
}

export function pagePath(folder: Folder, slug: string): string {
  return `${folder}/${fileName(slug)}.html`;
}

/** The prefix that leads from a page back to the site's root. */
export function rootOf(path: string): string {
  return path.includes('/') ? '../' : '';
}

/** A link from the page at `from` to the file at `to` (both from the root). */
export type Linker = (to: string) => string;

export function linkerFor(from: string): Linker {
  const root = rootOf(from);
  return (to) => root + to;
}

const ATTACK_SITE = 'https://attack.mitre.org';

/** The technique's page on attack.mitre.org (sub-techniques are a path below their parent). */
export function attackTechniqueUrl(id: string): string | undefined {
  const m = /^T(\d{4})(?:\.(\d{3}))?$/.exec(id);
  if (!m) return undefined;
  return m[2] ? `${ATTACK_SITE}/techniques/T${m[1]}/${m[2]}/` : `${ATTACK_SITE}/techniques/T${m[1]}/`;
}

export function attackTacticUrl(id: string): string | undefined {
  return /^TA\d{4}$/.test(id) ? `${ATTACK_SITE}/tactics/${id}/` : undefined;
}

/** Only absolute http(s) addresses become links: rule text is untrusted. */
export function safeExternalUrl(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^https?:\/\//i.test(trimmed)) return undefined;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The canonical address of a page, when the site's base URL is known and is a path or an
 * http(s) address: the only place the base URL is used.
 */
export function canonicalUrl(baseUrl: string, path: string): string | undefined {
  if (baseUrl === '') return undefined;
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  if (base.startsWith('/') && !base.startsWith('//')) return base + path;
  const external = safeExternalUrl(base);
  return external ? new URL(path, external).href : undefined;
}
