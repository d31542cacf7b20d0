"""customer-360 stream envelopes (schema domains/customer/schemas/customer_profile_v2.avsc)."""

import datetime as dt

TIERS = ("bronze", "silver", "gold", "platinum")


def envelope(i: int, **payload) -> dict:
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    body = {
        "customer_id": f"cust-{i:06d}", "tier": TIERS[i % 4], "lifetime_value_usd": 12.5 * (i % 50),
        "last_seen_at": now, "email_domain": "example.com" if i % 7 else None,
        "active_subscriptions": i % 3, "support_ticket_count_90d": i % 5,
    }
    body.update(payload)
    return {"schema_version": "2.1", "product": "customer-360", "domain": "customer", "published_at": now, "payload": body}
