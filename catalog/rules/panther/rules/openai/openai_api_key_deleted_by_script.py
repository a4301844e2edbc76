from rb_keys import openai_context


def rule(event):
    if event.get("type") != "api_key.deleted":
        return False
    # Deleting keys from a script, rather than in the dashboard, is rare outside planned rotation.
    return event.deep_get("actor", "type") == "api_key"


def alert_context(event):
    context = openai_context(event)
    context["deleted_key_id"] = event.deep_get("api_key_deleted", "id")
    return context
