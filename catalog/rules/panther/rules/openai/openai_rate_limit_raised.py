from rb_keys import openai_context

REQUESTS_PER_MINUTE_CEILING = 5000
TOKENS_PER_MINUTE_CEILING = 2000000


def rule(event):
    if event.get("type") != "rate_limit.updated":
        return False
    requests = event.deep_get("rate_limit_updated", "changes_requested", "max_requests_per_1_minute", default=0)
    tokens = event.deep_get("rate_limit_updated", "changes_requested", "max_tokens_per_1_minute", default=0)
    return requests > REQUESTS_PER_MINUTE_CEILING or tokens > TOKENS_PER_MINUTE_CEILING


def alert_context(event):
    context = openai_context(event)
    context["rate_limit_id"] = event.deep_get("rate_limit_updated", "id")
    context["requests_per_minute"] = event.deep_get("rate_limit_updated", "changes_requested", "max_requests_per_1_minute")
    context["tokens_per_minute"] = event.deep_get("rate_limit_updated", "changes_requested", "max_tokens_per_1_minute")
    return context
