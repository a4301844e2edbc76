// Every diagnostic code rulebridge emits, with its default severity and what it means.
// docs/diagnostics.md is the reader's version of this table (a test keeps them in step).

import type { Severity } from './diagnostic.js';

interface CodeInfo {
  severity: Severity;
  summary: string;
}

export const DIAGNOSTIC_CODES = {
  // Input files
  'path-not-found': { severity: 'error', summary: 'A path given on the command line does not exist.' },
  'no-rules': { severity: 'warning', summary: 'A directory holds no rule files.' },
  'file-unreadable': { severity: 'error', summary: 'A file could not be read.' },
  'file-too-large': { severity: 'error', summary: 'A file is larger than --max-file-size.' },
  'binary-file': { severity: 'error', summary: 'A file is binary (it holds a NUL byte), not YAML or Markdown text.' },
  'invalid-encoding': { severity: 'error', summary: 'A file is not valid UTF-8.' },
  'empty-file': { severity: 'error', summary: 'A rule file holds no document.' },

  // YAML
  'yaml-syntax': { severity: 'error', summary: 'The YAML does not parse.' },
  'yaml-duplicate-key': { severity: 'error', summary: 'A YAML mapping repeats a key (YAML readers disagree on which wins).' },
  'yaml-alias-limit': { severity: 'error', summary: 'YAML aliases expand past the limit (an alias bomb).' },
  'yaml-too-deep': { severity: 'error', summary: 'YAML nesting is deeper than the limit.' },
  'yaml-warning': { severity: 'warning', summary: 'The YAML parser warned about the document.' },

  // Rule documents
  'not-a-rule': { severity: 'error', summary: 'A document is not a rule, correlation or filter.' },
  'unsupported-format': { severity: 'error', summary: 'The document is a rule format this version cannot read.' },
  'missing-attribute': { severity: 'error', summary: 'A required attribute is missing.' },
  'invalid-attribute': { severity: 'error', summary: 'An attribute has the wrong type or an invalid value.' },
  'attribute-warning': { severity: 'warning', summary: 'An attribute is unusual (unknown level or status, malformed date).' },

  // Detections
  'empty-selection': { severity: 'error', summary: 'A selection holds no test.' },
  'invalid-selection': { severity: 'error', summary: 'A selection has a shape Sigma does not define.' },
  'unknown-modifier': { severity: 'error', summary: 'A value modifier is not part of Sigma.' },
  'modifier-type': { severity: 'error', summary: 'A modifier is applied to a value of the wrong type.' },
  'modifier-combination': { severity: 'error', summary: 'Modifiers are combined in a way Sigma does not define.' },
  'invalid-value': { severity: 'error', summary: 'A value cannot be used with its modifiers (e.g. wildcards under base64).' },
  'invalid-regex': { severity: 'error', summary: 'A `re` value is not a valid regular expression.' },
  'unsupported-regex': { severity: 'warning', summary: 'A regular expression uses PCRE constructs outside the portable core.' },
  'invalid-cidr': { severity: 'error', summary: 'A `cidr` value is not an IPv4 or IPv6 network.' },
  'null-in-list': { severity: 'warning', summary: 'A value list mixes null with other values.' },
  'all-single-value': { severity: 'warning', summary: 'The `all` modifier is applied to a single value.' },
  'unresolved-placeholder': { severity: 'warning', summary: 'An `expand` placeholder has no values (see --placeholders).' },

  // Conditions
  'condition-syntax': { severity: 'error', summary: 'The condition does not parse.' },
  'condition-too-deep': { severity: 'error', summary: 'The condition nests deeper than the limit.' },
  'unknown-selection': { severity: 'error', summary: 'The condition names a selection that does not exist.' },
  'empty-pattern': { severity: 'error', summary: 'A `1 of x*` / `all of x*` pattern matches no selection.' },
  'deprecated-aggregation': { severity: 'error', summary: 'The condition uses the obsolete `| count()` / `near` syntax.' },
  'unused-selection': { severity: 'info', summary: 'A selection is defined but never used by the condition.' },

  // Panther rules
  'python-syntax': { severity: 'error', summary: 'A Python file of a Panther rule set does not parse.' },
  'python-missing': { severity: 'error', summary: 'The Python file a Panther rule names (Filename) is missing or unreadable.' },
  'panther-no-rule': { severity: 'error', summary: 'The Panther rule\'s Python module defines no rule(event) function.' },
  'partial-extraction': { severity: 'info', summary: 'The rule also runs logic the parser cannot express as a filter; its condition is the part it could extract.' },
  'not-converted': { severity: 'info', summary: 'The document is not a rule (a policy, helper, data model, pack or query) and is not converted.' },

  // Rule sets
  'invalid-correlation': { severity: 'error', summary: 'A correlation rule is malformed.' },
  'invalid-filter': { severity: 'error', summary: 'A filter document is malformed.' },
  'unresolved-reference': { severity: 'error', summary: 'A correlation or filter names a rule that is not in the rule set.' },
  'duplicate-id': { severity: 'warning', summary: 'Two rules share an id or a name.' },
  'unknown-attack-tag': { severity: 'warning', summary: 'An ATT&CK tag names no tactic or technique of the ATT&CK table in use.' },

  // Conversion
  'unsupported-construct': { severity: 'error', summary: 'The target language cannot express a part of the condition faithfully.' },
  'unsupported-correlation': { severity: 'error', summary: 'The target has no form for this kind of correlation.' },
  'partial-condition': { severity: 'warning', summary: 'The rule was only partly extracted; the query is its necessary condition.' },
  'unmapped-logsource': { severity: 'warning', summary: 'The mapping has no entry for the rule\'s log source on this target.' },
  'unmapped-field': { severity: 'warning', summary: 'The mapping has no target field for a field the rule uses.' },
  'correlated-only': { severity: 'info', summary: 'The rule is converted only inside the correlation that uses it (Sigma `generate: false`).' },

  // Catalog playbooks (Markdown, --playbooks)
  'no-playbooks': { severity: 'warning', summary: 'The --playbooks folder holds no Markdown (.md) files.' },
  'playbook-empty': { severity: 'warning', summary: 'A playbook file holds no text; it gets no page.' },
  'playbook-no-title': { severity: 'warning', summary: 'A playbook has no heading; it is titled after its file name.' },
  'playbook-unknown-technique': { severity: 'warning', summary: 'A playbook names a technique id that the ATT&CK table in use does not know.' },
  'markdown-too-complex': { severity: 'error', summary: 'A Markdown file nests too deeply or holds too many quotes and lists to be parsed in reasonable time; it gets no page.' },

  // Command line and other inputs
  'usage': { severity: 'error', summary: 'The command line is invalid.' },
  'invalid-events': { severity: 'error', summary: 'An events file cannot be read as JSON events.' },
  'invalid-attack-table': { severity: 'error', summary: 'The --attack file is neither a STIX bundle nor an ATT&CK table.' },
  'invalid-placeholders': { severity: 'error', summary: 'The --placeholders file is not a map of names to value lists.' },
  'invalid-mapping': { severity: 'error', summary: 'The --mapping file does not follow the mapping schema.' },
  'invalid-action-table': { severity: 'error', summary: 'An action table (log source -> operation field) does not follow its schema.' },
  'invalid-baseline': { severity: 'error', summary: 'The dupes --baseline file is not a baseline rulebridge wrote (JSON with accepted rule pairs).' },
  'baseline-unknown-rule': { severity: 'warning', summary: 'The dupes baseline accepts a pair naming a rule id that none of the rules read has.' },
  'invalid-git-ref': { severity: 'error', summary: 'The --changed-since reference is not a commit git knows, or the folder is not a git work tree.' },
  'cache-unwritable': { severity: 'warning', summary: 'The --cache folder cannot be written; the run goes on without storing its results.' },
  'internal-error': { severity: 'error', summary: 'rulebridge failed on this input; please report it.' },
} satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
