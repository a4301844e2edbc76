from rb_keys import openai_context

KEY_CHANGES = ["api_key.created", "api_key.updated"]
UNRESTRICTED = ["all", "api.all"]


def requested_scopes(event):
    # A new key lists its scopes under data; an update lists the requested change.
    if event.get("type") == "api_key.created":
        return event.deep_get("api_key_created", "data", "scopes", default=[])
    return event.deep_get("api_key_updated", "changes_requested", "scopes", default=[])


def rule(event):
    if event.get("type") not in KEY_CHANGES:
        return False
    return any(scope in UNRESTRICTED or scope.endswith(".write") for scope in requested_scopes(event))


def alert_context(event):
    context = openai_context(event)
    context["key_id"] = event.deep_get("api_key_created", "id") or event.deep_get("api_key_updated", "id")
    return context
