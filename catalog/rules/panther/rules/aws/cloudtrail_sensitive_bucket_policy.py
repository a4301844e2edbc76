import json
import re

POLICY_EVENTS = {"PutBucketPolicy", "PutBucketAcl", "DeleteBucketPolicy"}
SENSITIVE_BUCKET = re.compile(r"^(prod|finance)-[a-z0-9-]+$", re.IGNORECASE)
TRUSTED_SOURCES = ["cloudformation.amazonaws.com", "config.amazonaws.com"]


def bucket_of(event):
    return event.deep_get("requestParameters", "bucketName", default="")


def rule(event):
    name = event.get("eventName", "")
    if name not in POLICY_EVENTS:
        return False
    source = event.get("sourceIPAddress", "")
    # Changes made by AWS services on our behalf are expected.
    if source in TRUSTED_SOURCES or source.endswith(".amazonaws.com"):
        return False
    bucket = bucket_of(event)
    return bool(SENSITIVE_BUCKET.search(bucket)) if bucket else False


def alert_context(event):
    return {
        "bucket": bucket_of(event),
        "policy_size": len(json.dumps(event.deep_get("requestParameters", "bucketPolicy", default={}))),
        "actor": event.deep_get("userIdentity", "arn"),
    }
