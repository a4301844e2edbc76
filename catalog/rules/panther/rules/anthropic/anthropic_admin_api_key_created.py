from rb_keys import anthropic_context


def rule(event):
    return event.get("type") == "admin_api_key_created"


def alert_context(event):
    return anthropic_context(event)
