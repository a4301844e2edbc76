from rb_common import cloudtrail_context, cloudtrail_succeeded


def rule(event):
    if event.get("eventName") != "ConsoleLogin":
        return False
    if not cloudtrail_succeeded(event):
        return False
    return event.deep_get("userIdentity", "type") == "Root"


def alert_context(event):
    context = cloudtrail_context(event)
    context["mfa_used"] = event.deep_get("additionalEventData", "MFAUsed", default="No")
    return context
