import ipaddress

from rb_common import INTERNAL_NETWORKS, actor_email

ADMIN_APPS = {"okta admin console", "okta dashboard admin"}


def is_internal(ip):
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net) for net in INTERNAL_NETWORKS)


def rule(event):
    if event.udm("event_type") != "user.session.access_admin_app":
        return False
    apps = event.get("target", [])
    touched_admin = any(app.get("displayName", "").lower() in ADMIN_APPS for app in apps)
    if not touched_admin:
        return False
    return not is_internal(event.udm("source_ip"))


def alert_context(event):
    return {
        "actor": actor_email(event),
        "actor_user": event.udm("actor_user"),
        "source_ip": event.udm("source_ip"),
        "outcome": event.deep_get("outcome", "result"),
    }
