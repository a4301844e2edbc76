from rb_keys import openai_context

# The platform team creates service accounts through a reviewed Terraform workflow.
PLATFORM_TEAM = ["platform-bot@example.com"]


def rule(event):
    if event.get("type") != "service_account.created":
        return False
    creator = event.deep_get("actor", "session", "user", "email") or event.deep_get("actor", "api_key", "user", "email")
    return creator not in PLATFORM_TEAM


def severity(event):
    if event.deep_get("service_account_created", "data", "role") == "owner":
        return "HIGH"
    return "DEFAULT"


def alert_context(event):
    context = openai_context(event)
    context["service_account_id"] = event.deep_get("service_account_created", "id")
    context["service_account_role"] = event.deep_get("service_account_created", "data", "role")
    return context
