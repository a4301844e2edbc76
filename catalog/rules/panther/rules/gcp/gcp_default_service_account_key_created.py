CREATE_KEY = "google.iam.admin.v1.CreateServiceAccountKey"
# Default service accounts are created by Google and hold broad project roles.
DEFAULT_ACCOUNT_SUFFIXES = ("-compute@developer.gserviceaccount.com", "@appspot.gserviceaccount.com")


def rule(event):
    if event.deep_get("protoPayload", "methodName") != CREATE_KEY:
        return False
    if event.get("severity") == "ERROR":
        return False
    account = event.deep_get("protoPayload", "request", "name", default="")
    return account.endswith(DEFAULT_ACCOUNT_SUFFIXES)


def alert_context(event):
    return {
        "creator": event.deep_get("protoPayload", "authenticationInfo", "principalEmail"),
        "service_account": event.deep_get("protoPayload", "request", "name"),
        "caller_ip": event.deep_get("protoPayload", "requestMetadata", "callerIp"),
        "project": event.deep_get("resource", "labels", "project_id"),
    }
