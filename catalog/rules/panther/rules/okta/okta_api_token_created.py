from rb_common import actor_email

# Integration owners who create tokens for provisioning connectors as part of change tickets.
TOKEN_STEWARDS = {"idm-automation@example.com"}


def token_names(event):
    return [target.get("displayName") for target in event.get("target", []) if target.get("type") == "Token"]


def rule(event):
    if event.udm("event_type") != "system.api_token.create":
        return False
    if event.deep_get("outcome", "result") != "SUCCESS":
        return False
    return event.udm("actor_user") not in TOKEN_STEWARDS


def alert_context(event):
    return {
        "actor": actor_email(event),
        "source_ip": event.udm("source_ip"),
        "user_agent": event.deep_get("client", "userAgent", "rawUserAgent"),
        "token_names": token_names(event),
        "outcome": event.deep_get("outcome", "result"),
    }
