"""Helpers for the sample rules about API keys and tokens (original code written for rulebridge)."""

# Egress ranges of the sample organisation: offices, VPN concentrators and CI runners.
CORPORATE_EGRESS = ["198.51.100.0/24", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]


def anthropic_context(event):
    return {
        "activity_type": event.get("type"),
        "actor_type": event.deep_get("actor", "type"),
        "actor_email": event.deep_get("actor", "email_address"),
        "actor_user_id": event.deep_get("actor", "user_id"),
        "actor_api_key_id": event.deep_get("actor", "api_key_id"),
        "source_ip": event.deep_get("actor", "ip_address"),
        "organization_id": event.get("organization_id"),
    }


def openai_actor_email(event):
    # A person in the web console acts through a session; a script acts through an API key.
    return event.deep_get("actor", "session", "user", "email") or event.deep_get("actor", "api_key", "user", "email")


def openai_context(event):
    return {
        "audit_type": event.get("type"),
        "audit_id": event.get("id"),
        "actor_kind": event.deep_get("actor", "type"),
        "actor_email": openai_actor_email(event),
        "actor_key_id": event.deep_get("actor", "api_key", "id"),
        "source_ip": event.deep_get("actor", "session", "ip_address"),
        "project_id": event.deep_get("project", "id"),
    }


def github_context(event):
    return {
        "action": event.get("action"),
        "actor": event.get("actor"),
        "actor_ip": event.get("actor_ip"),
        "org": event.get("org"),
        "repo": event.get("repo"),
    }
