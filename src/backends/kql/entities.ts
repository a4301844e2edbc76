// Sentinel entity mappings from a rule's output fields: which column identifies which entity.
// Data: column name -> [entity type, identifier].

const ENTITY_COLUMNS: Record<string, [string, string]> = {
  AccountName: ['Account', 'Name'],
  AccountUpn: ['Account', 'FullName'],
  UserPrincipalName: ['Account', 'FullName'],
  TargetUserName: ['Account', 'Name'],
  SubjectUserName: ['Account', 'Name'],
  UserIdentityUserName: ['Account', 'Name'],
  Caller: ['Account', 'FullName'],
  DeviceName: ['Host', 'HostName'],
  Computer: ['Host', 'FullName'],
  HostName: ['Host', 'HostName'],
  IpAddress: ['IP', 'Address'],
  IPAddress: ['IP', 'Address'],
  RemoteIP: ['IP', 'Address'],
  LocalIP: ['IP', 'Address'],
  SourceIpAddress: ['IP', 'Address'],
  CallerIpAddress: ['IP', 'Address'],
  ProcessCommandLine: ['Process', 'CommandLine'],
  CommandLine: ['Process', 'CommandLine'],
  FileName: ['File', 'Name'],
  FolderPath: ['File', 'Directory'],
  SHA256: ['FileHash', 'Value'],
  SHA1: ['FileHash', 'Value'],
  MD5: ['FileHash', 'Value'],
  RemoteUrl: ['URL', 'Url'],
  Url: ['URL', 'Url'],
};

// A type literal (not an interface) so that it is plain YAML data.
export type EntityMapping = {
  entityType: string;
  fieldMappings: Array<{ identifier: string; columnName: string }>;
};

export function entityMappings(columns: string[]): EntityMapping[] {
  const byType = new Map<string, EntityMapping>();
  for (const column of columns) {
    const entry = ENTITY_COLUMNS[column];
    if (!entry) continue;
    const [entityType, identifier] = entry;
    const mapping = byType.get(entityType) ?? { entityType, fieldMappings: [] };
    if (!mapping.fieldMappings.some((m) => m.identifier === identifier)) mapping.fieldMappings.push({ identifier, columnName: column });
    byType.set(entityType, mapping);
  }
  return [...byType.values()];
}
