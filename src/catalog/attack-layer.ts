// An ATT&CK Navigator layer (layer format 4.5) of a catalog: every covered technique, under
// each tactic the rules cover it for, scored by how many rules do.

import { stableJson } from './json-text.js';
import { PLATFORMS, type CatalogIndex, type Platform, type RuleRef } from './model.js';
import { compareText } from './slug.js';

export interface AttackLayerOptions {
  name?: string;
  description?: string;
  /** Count only this platform's rules. */
  platform?: Platform;
}

const LAYER_FORMAT = '4.5';
/** The Navigator release the layer declares (format 4.5 asks for 4.9.0 or newer). */
const NAVIGATOR_VERSION = '5.1.0';
const LOW = '#d6e9ff';
const HIGH = '#08519c';

interface LayerTechnique {
  techniqueID: string;
  tactic?: string;
  score: number;
  comment: string;
  enabled: boolean;
}

export function attackLayer(index: CatalogIndex, options: AttackLayerOptions = {}): string {
  const counted = (refs: readonly RuleRef[]) => (options.platform ? refs.filter((r) => r.platform === options.platform) : refs);
  const techniques: LayerTechnique[] = [];
  const placed = new Set<string>();
  for (const tactic of index.attack.tactics) {
    for (const t of tactic.techniques) {
      const rules = counted(t.rules);
      if (rules.length === 0) continue;
      placed.add(t.id);
      techniques.push({ techniqueID: t.id, tactic: tactic.shortname, score: rules.length, comment: describe(rules), enabled: true });
    }
  }
  // A technique ATT&CK does not know, on a rule that names no tactic, has no column: without
  // `tactic` the Navigator shows it wherever the technique appears.
  for (const t of index.attack.techniques) {
    const rules = counted(t.rules);
    if (rules.length === 0 || placed.has(t.id)) continue;
    techniques.push({ techniqueID: t.id, score: rules.length, comment: describe(rules), enabled: true });
  }
  techniques.sort((a, b) => compareText(a.techniqueID, b.techniqueID) || compareText(a.tactic ?? '', b.tactic ?? ''));

  const max = Math.max(1, ...techniques.map((t) => t.score));
  const scope = options.platform ? `${label(options.platform)} rules` : 'rules';
  return stableJson(
    {
      name: options.name ?? `rulebridge catalog: ${scope}`,
      versions: { attack: index.attack.version.split('.')[0], navigator: NAVIGATOR_VERSION, layer: LAYER_FORMAT },
      domain: 'enterprise-attack',
      description: options.description ?? `ATT&CK techniques covered by the catalog's ${scope}; the score of a technique is the number of rules covering it under that tactic.`,
      sorting: 3,
      layout: { layout: 'side', showID: true, showName: true, showAggregateScores: false, countUnscored: false, aggregateFunction: 'average', expandedSubtechniques: 'annotated' },
      hideDisabled: false,
      techniques,
      gradient: { colors: [LOW, HIGH], minValue: 0, maxValue: max },
      legendItems: [
        { label: '1 rule', color: LOW },
        { label: `${max} rules`, color: HIGH },
      ],
      showTacticRowBackground: false,
      tacticRowBackground: '#dddddd',
      selectTechniquesAcrossTactics: true,
      selectSubtechniquesWithParent: false,
      selectVisibleTechniques: false,
      metadata: [
        { name: 'generator', value: 'rulebridge' },
        { name: 'rules', value: String(options.platform ? index.totals.byPlatform[options.platform] : index.totals.rules) },
      ],
    },
    2,
  );
}

function describe(rules: readonly RuleRef[]): string {
  const parts = PLATFORMS.map((p) => [p, rules.filter((r) => r.platform === p).length] as const)
    .filter(([, n]) => n > 0)
    .map(([p, n]) => `${n} ${label(p)}`);
  return `${rules.length} ${rules.length === 1 ? 'rule' : 'rules'} (${parts.join(', ')})`;
}

function label(platform: Platform): string {
  return platform === 'sigma' ? 'Sigma' : 'Panther';
}
