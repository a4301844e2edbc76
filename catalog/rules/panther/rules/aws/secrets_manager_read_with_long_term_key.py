from rb_common import cloudtrail_context, cloudtrail_succeeded


def rule(event):
    if event.get("eventSource") != "secretsmanager.amazonaws.com" or event.get("eventName") != "GetSecretValue":
        return False
    if not cloudtrail_succeeded(event):
        return False
    # Long-term IAM user keys start with AKIA; temporary role credentials start with ASIA.
    key_id = event.deep_get("userIdentity", "accessKeyId", default="")
    return key_id.startswith("AKIA")


def alert_context(event):
    context = cloudtrail_context(event)
    context["access_key_id"] = event.deep_get("userIdentity", "accessKeyId")
    context["secret_id"] = event.deep_get("requestParameters", "secretId")
    context["user_agent"] = event.get("userAgent")
    return context
