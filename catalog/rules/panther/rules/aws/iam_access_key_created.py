from rb_common import cloudtrail_context, cloudtrail_succeeded

# Services that call CreateAccessKey on behalf of a deployment template.
PROVISIONING_SERVICES = ["cloudformation.amazonaws.com", "servicecatalog.amazonaws.com"]


def rule(event):
    if event.get("eventSource") != "iam.amazonaws.com" or event.get("eventName") != "CreateAccessKey":
        return False
    if not cloudtrail_succeeded(event):
        return False
    return event.deep_get("userIdentity", "invokedBy", default="") not in PROVISIONING_SERVICES


def severity(event):
    # A long-term key for the root user is never part of normal operations.
    if event.deep_get("userIdentity", "type") == "Root":
        return "CRITICAL"
    return "DEFAULT"


def alert_context(event):
    context = cloudtrail_context(event)
    context["key_owner"] = event.deep_get("requestParameters", "userName")
    context["new_access_key_id"] = event.deep_get("responseElements", "accessKey", "accessKeyId")
    return context
