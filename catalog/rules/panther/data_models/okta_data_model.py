def get_actor(event):
    # Okta names the acting user in alternateId; service actors only have an id.
    return event.deep_get("actor", "alternateId") or event.deep_get("actor", "id")
