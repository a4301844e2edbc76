from rb_keys import anthropic_context

REVOCATIONS = {"admin_api_key_deleted", "service_key_revoked"}
# The key-rotation job deletes superseded keys every week.
ROTATION_ACCOUNTS = ["key-rotation@example.com"]


def rule(event):
    if event.get("type") not in REVOCATIONS:
        return False
    return event.deep_get("actor", "email_address", default="").lower() not in ROTATION_ACCOUNTS


def alert_context(event):
    return anthropic_context(event)
