import json
from urllib.parse import unquote

from rb_common import cloudtrail_context, cloudtrail_succeeded

POLICY_CALLS = {"PutUserPolicy", "PutRolePolicy", "PutGroupPolicy", "CreatePolicy", "CreatePolicyVersion"}
KEY_ACTIONS = {"iam:createaccesskey", "iam:updateaccesskey", "iam:*", "*"}


def statements(document):
    # CloudTrail records the policy as text, URL-encoded by some SDKs.
    try:
        policy = json.loads(unquote(document))
    except ValueError:
        return []
    found = policy.get("Statement", [])
    return found if isinstance(found, list) else [found]


def grants_key_creation(statement):
    if statement.get("Effect") != "Allow":
        return False
    actions = statement.get("Action", [])
    if isinstance(actions, str):
        actions = [actions]
    return any(action.lower() in KEY_ACTIONS for action in actions)


def rule(event):
    if event.get("eventSource") != "iam.amazonaws.com" or event.get("eventName") not in POLICY_CALLS:
        return False
    if not cloudtrail_succeeded(event):
        return False
    document = event.deep_get("requestParameters", "policyDocument", default="")
    if not document:
        return False
    return any(grants_key_creation(statement) for statement in statements(document))


def alert_context(event):
    context = cloudtrail_context(event)
    context["policy_name"] = event.deep_get("requestParameters", "policyName")
    context["policy_arn"] = event.deep_get("requestParameters", "policyArn")
    context["target_user"] = event.deep_get("requestParameters", "userName")
    context["target_role"] = event.deep_get("requestParameters", "roleName")
    return context
