"""Helpers shared by the sample Panther rules (original code written for rulebridge)."""

INTERNAL_NETWORKS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]


def cloudtrail_succeeded(event):
    # A CloudTrail call failed when it carries an error code or message.
    if event.get("errorCode", "") or event.get("errorMessage", ""):
        return False
    return True


def actor_email(event):
    return event.deep_get("actor", "alternateId") or event.deep_get("actor", "email", default="<unknown>")


def cloudtrail_context(event):
    return {
        "event_name": event.get("eventName", "<missing>"),
        "source_ip": event.get("sourceIPAddress", "<missing>"),
        "user_arn": event.deep_get("userIdentity", "arn", default="<missing>"),
        "account": event.get("recipientAccountId"),
    }
