// The catalog site: renderSite turns a CatalogIndex and playbooks into the files of a static
// site (pages, assets, the search index). See docs/catalog.md for the pages it makes.

export { renderSite, type SiteFile, type SiteOptions } from './render.js';
export { ATTACK_LAYER_PATH, CATALOG_JSON_PATH, SEARCH_DATA_PATH } from './paths.js';
export { SITE_TARGETS, type SiteTarget } from './conversions.js';
