import ipaddress

from rb_keys import CORPORATE_EGRESS, anthropic_context

KEY_CREATION = ["api_key_created", "platform_api_key_created"]


def from_corporate_network(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network) for network in CORPORATE_EGRESS)


def rule(event):
    if event.get("type") not in KEY_CREATION:
        return False
    return not from_corporate_network(event.deep_get("actor", "ip_address", default=""))


def alert_context(event):
    return anthropic_context(event)
