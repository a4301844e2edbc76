from rb_keys import github_context

CRITICAL_REPOS = {"acme/payments", "acme/infrastructure", "acme/identity"}


def rule(event):
    if event.get("action") != "public_key.create":
        return False
    # Without a repository the key is a personal SSH key, not a deploy key.
    repo = event.get("repo", "").lower()
    if not repo:
        return False
    return repo in CRITICAL_REPOS or repo.startswith("acme/prod-")


def alert_context(event):
    context = github_context(event)
    context["key_title"] = event.get("title")
    context["fingerprint"] = event.get("fingerprint")
    return context
