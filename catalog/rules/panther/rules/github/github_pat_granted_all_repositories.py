from rb_keys import github_context

PAT_EVENTS = ["personal_access_token.request_created", "personal_access_token.access_granted"]
# Bot users whose fine-grained tokens are reviewed when the bot is set up.
REVIEWED_BOTS = ["acme-release-bot", "acme-renovate"]


def rule(event):
    if event.get("action") not in PAT_EVENTS:
        return False
    if event.get("user", "") in REVIEWED_BOTS:
        return False
    return event.get("repository_selection") == "all"


def alert_context(event):
    context = github_context(event)
    context["token_owner"] = event.get("user")
    context["token_id"] = event.get("token_id")
    context["repository_selection"] = event.get("repository_selection")
    return context
