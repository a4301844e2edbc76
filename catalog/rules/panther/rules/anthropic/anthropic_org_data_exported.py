from rb_keys import anthropic_context

EXPORTS = ["audit_log_export_started", "org_data_export_started", "org_members_exported", "compliance_api_accessed"]
# Keys of the SIEM collector, which reads the activity feed every minute.
COLLECTOR_KEYS = {"apikey_01SampleSiemCollector"}


def rule(event):
    if event.get("type") not in EXPORTS:
        return False
    return event.deep_get("actor", "api_key_id") not in COLLECTOR_KEYS


def alert_context(event):
    return anthropic_context(event)
