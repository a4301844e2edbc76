from fnmatch import fnmatch

PROTECTED_PATTERNS = ["release/*", "main", "prod-*"]
WEAKENING_ACTIONS = ["protected_branch.destroy", "protected_branch.policy_override"]


def branch_name(event):
    # The audit log writes either a bare branch name or a full ref.
    ref = event.get("branch", "") or event.get("ref", "")
    return ref.split("/")[-1]


def rule(event):
    action = event.get("action")
    if action not in WEAKENING_ACTIONS and action != "protected_branch.update_admin_enforced":
        return False
    if action == "protected_branch.update_admin_enforced" and event.get("admin_enforced") is not False:
        return False
    repo = event.get("repo", "").lower()
    if repo.startswith(("sandbox/", "archive/")):
        return False
    return any(fnmatch(event.get("name", ""), pattern) for pattern in PROTECTED_PATTERNS) or branch_name(event) == "main"


def alert_context(event):
    context = {"repo": event.get("repo"), "actor": event.get("actor")}
    context.update({"action": event.get("action")})
    return context
