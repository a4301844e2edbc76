// What the UDM schema says about a field's values (facts from Google SecOps' UDM field
// reference): enumeration constants compare exactly, without `nocase`; numeric fields take
// numbers, every other field text.

/** A UDM path, as opposed to a rule's own field name (without a mapping). */
export const UDM_PATH_ROOT = /^(?:metadata|principal|target|src|observer|intermediary|about|network|security_result|extensions|additional)[.[]/;

export const UDM_ENUM_FIELDS = new Set([
  'asset.asset_type',
  'asset.deployment_status',
  'authentication.auth_type',
  'authentication.authentication_status',
  'authentication.mechanism',
  'cloud.cloud_environment',
  'dhcp.message_type',
  'dhcp.op_code',
  'file.file_type',
  'metadata.enrichment_state',
  'metadata.event_type',
  'network.application_protocol',
  'network.direction',
  'network.ip_protocol',
  'noun.platform',
  'permission.permission_type',
  'priority',
  'process.token_elevation_type',
  'reason',
  'reputation',
  'resource.resource_type',
  'role.type',
  'security_result.action',
  'security_result.alert_state',
  'security_result.association.association_type',
  'security_result.io_c_stats_type',
  'security_result.product_confidence',
  'security_result.product_priority',
  'security_result.product_severity',
  'security_result.security_category',
  'security_result.threat_status',
  'security_result.verdict_response',
  'security_result.verdict_type',
  'status',
  'threat_verdict',
  'user.account_type',
  'user.role',
  'verdict',
  'vulnerability.severity',
]);

/** Numeric fields (by their last parts): ports, counters, codes. */
export const UDM_NUMBER_FIELDS = new Set([
  'port',
  'http.response_code',
  'dns.response_code',
  'sent_bytes',
  'received_bytes',
  'sent_packets',
  'received_packets',
  'session_duration.seconds',
  'integrity_level_rid',
  'event_count',
]);
