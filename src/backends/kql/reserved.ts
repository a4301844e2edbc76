// Words Microsoft's Kusto parser will not take as a bare name after a dot or as a column name
// (`X.time`, `X.sample`): they are written `X["time"]`. Measured by parsing `T | where X.<word> == 1`
// with @kusto/language-service-next for every quoted lower-case word of its grammar.
export const KQL_RESERVED = new Set([
  '__contextual_datatable', '__id', 'accumulate', 'and', 'anomalychart', 'areachart', 'as', 'asc',
  'bagexpansion', 'barchart', 'between', 'bin_legacy', 'boolean', 'by', 'byte', 'cachingpolicy',
  'callout', 'cancel', 'card', 'char', 'columnchart', 'contains', 'contains_cs', 'containscs',
  'cycles', 'dataexport', 'datascope', 'datatable', 'date', 'datetime', 'decimal', 'decodeblocks',
  'desc', 'double', 'dynamic', 'earliest', 'encodingpolicy', 'endswith', 'endswith_cs',
  'expandoutput', 'extent_tags_retention', 'external_data', 'externaldata', 'false', 'find',
  'first', 'flags', 'float', 'force_remote', 'harddelete', 'hardretention', 'has', 'has_all',
  'has_any', 'has_cs', 'hasprefix', 'hasprefix_cs', 'hassuffix', 'hassuffix_cs', 'hotcache', 'in',
  'int', 'int16', 'int32', 'int64', 'int8', 'invoke', 'isfuzzy', 'journal', 'ladderchart', 'last',
  'latest', 'like', 'likecs', 'linechart', 'long', 'materialize', 'mdm', 'missing',
  'nooptimization', 'notcontains', 'notcontainscs', 'notlike', 'notlikecs', 'of', 'or', 'others',
  'pathformat', 'piechart', 'pivotchart', 'print', 'project', 'queries', 'query_results', 'real',
  'relaxed', 'restricted_view_access', 'row_level_security', 'rowstore', 'rowstore_references',
  'rowstore_sealinfo', 'rowstorepolicy', 'rowstores', 'sample', 'scatterchart', 'seal', 'seals',
  'search', 'set', 'shards', 'simple', 'softdelete', 'softretention', 'sql', 'stackedareachart',
  'startswith', 'startswith_cs', 'statistics', 'storedqueryresultcontainers', 'string',
  'tablepurge', 'time', 'timechart', 'timeline', 'timepivot', 'timespan', 'title', 'to',
  'toscalar', 'totable', 'treemap', 'true', 'uint', 'uint16', 'uint32', 'uint64', 'uint8', 'ulong',
  'union', 'uniqueid', 'unrestrictedviewers', 'verbose', 'viewers', 'views', 'where',
  'with_itemindex', 'with_match_id', 'with_step_name', 'writeaheadlog',
]);
