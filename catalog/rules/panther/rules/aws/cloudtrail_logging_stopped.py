from rb_common import cloudtrail_context, cloudtrail_succeeded

TRAIL_TAMPERING = {"StopLogging", "DeleteTrail"}
# The landing-zone pipeline recreates trails during account baselining and announces it.
LANDING_ZONE_ROLES = ["AWSControlTowerExecution", "stacksets-exec-baseline"]


def rule(event):
    if event.get("eventSource") != "cloudtrail.amazonaws.com":
        return False
    if event.get("eventName") not in TRAIL_TAMPERING:
        return False
    if not cloudtrail_succeeded(event):
        return False
    issuer = event.deep_get("userIdentity", "sessionContext", "sessionIssuer", "userName", default="")
    return issuer not in LANDING_ZONE_ROLES


def alert_context(event):
    context = cloudtrail_context(event)
    context["trail"] = event.deep_get("requestParameters", "name")
    context["session_issuer"] = event.deep_get("userIdentity", "sessionContext", "sessionIssuer", "arn")
    return context
