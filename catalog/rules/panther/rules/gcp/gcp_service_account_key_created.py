import re

ALLOWED_CREATORS = {"terraform@acme-infra.iam.gserviceaccount.com"}


def rule(event):
    method = event.deep_get("protoPayload", "methodName", default="")
    if not re.search(r"\.CreateServiceAccountKey$", method):
        return False
    creator = event.deep_get("protoPayload", "authenticationInfo", "principalEmail", default="")
    if creator in ALLOWED_CREATORS:
        return False
    granted = [auth for auth in event.deep_get("protoPayload", "authorizationInfo", default=[]) if auth.get("granted")]
    return len(granted) > 0 and event.deep_get("severity") != "ERROR"


def alert_context(event):
    return {
        "creator": event.deep_get("protoPayload", "authenticationInfo", "principalEmail"),
        "service_account": event.deep_get("protoPayload", "request", "name", default=""),
        "project": event.deep_get("resource", "labels", "project_id"),
    }
