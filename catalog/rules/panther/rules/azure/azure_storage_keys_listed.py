LIST_KEYS = "MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION"
# Application ids of the backup service and the deployment pipeline, which read keys by design.
KNOWN_AUTOMATION_APPS = ["7c1d7e33-0b1f-4d8e-9a55-1f2e3d4c5b6a", "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"]


def rule(event):
    if event.get("operationName", "").upper() != LIST_KEYS:
        return False
    if event.get("resultType") != "Success":
        return False
    return event.deep_get("identity", "claims", "appid", default="") not in KNOWN_AUTOMATION_APPS


def alert_context(event):
    return {
        "operation": event.get("operationName"),
        "storage_account": event.get("resourceId"),
        "caller_ip": event.get("callerIpAddress"),
        "app_id": event.deep_get("identity", "claims", "appid"),
        "correlation_id": event.get("correlationId"),
    }
