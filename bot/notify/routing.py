"""Which channel an alert goes to, and when: routing, digests, quiet hours and the urgent bypass."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config import ChannelPolicy, Delivery
from bot.detect.alerts import Alert, AlertKind

log = logging.getLogger(__name__)
IMMEDIATE = ChannelPolicy()


def route(alert: Alert, delivery: Delivery) -> str:
    """Feed health → admin channel; else the alert kind's channel, the actor's channel, the default channel."""
    if alert.kind == AlertKind.FEED_HEALTH and delivery.admin_channel:
        return delivery.admin_channel
    if alert.kind in delivery.by_kind:
        return delivery.by_kind[alert.kind]
    if alert.actor and alert.actor in delivery.by_actor:
        return delivery.by_actor[alert.actor]
    return delivery.default_channel


def routed_channels(delivery: Delivery) -> list[str]:
    """Every channel an alert can be routed to, each once, in the order the config names them."""
    named = [delivery.default_channel, delivery.admin_channel, *delivery.by_kind.values(), *delivery.by_actor.values()]
    return list(dict.fromkeys(c for c in named if c))


def policy(channel: str, delivery: Delivery) -> ChannelPolicy:
    """The channel's noise policy ('#name' and 'name' both match); immediate delivery when none is set."""
    for name in (channel, channel.lstrip("#"), "#" + channel.lstrip("#")):
        if name in delivery.channels:
            return delivery.channels[name]
    return IMMEDIATE


def is_urgent(alert: Alert, delivery: Delivery) -> bool:
    """A casualty alert at or above the configured toll bypasses digests and quiet hours."""
    threshold = delivery.urgent_killed_at_least
    if threshold is None or alert.casualty is None:
        return False
    casualty = alert.casualty.casualty
    return any(v is not None and v >= threshold for v in (casualty.killed, casualty.killed_low))


def _zone(rule: ChannelPolicy) -> dt.tzinfo:
    try:
        return ZoneInfo(rule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown timezone %r in delivery.channels; using UTC", rule.timezone,
                    extra={"action": "notify.timezone"})
        return dt.timezone.utc


def _hm(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def in_quiet_hours(rule: ChannelPolicy, now: dt.datetime) -> bool:
    if not rule.quiet_hours:
        return False
    start, end = (_hm(part) for part in rule.quiet_hours.split("-"))
    local = now.astimezone(_zone(rule)).time()
    if start == end:
        return False
    return start <= local < end if start < end else (local >= start or local < end)


def _next_local(rule: ChannelPolicy, now: dt.datetime, at: dt.time) -> dt.datetime:
    """The first moment after now when the channel's clock shows at."""
    zone = _zone(rule)
    local = now.astimezone(zone)
    for days in range(0, 3):
        candidate = dt.datetime.combine(local.date() + dt.timedelta(days=days), at, tzinfo=zone)
        if candidate > local:
            return candidate.astimezone(dt.timezone.utc)
    raise AssertionError("unreachable")  # pragma: no cover


def quiet_hours_end(rule: ChannelPolicy, now: dt.datetime) -> dt.datetime:
    assert rule.quiet_hours
    return _next_local(rule, now, _hm(rule.quiet_hours.split("-")[1]))


def release_time(rule: ChannelPolicy, now: dt.datetime) -> dt.datetime | None:
    """None when an alert may be posted now; else when its digest or catch-up is due."""
    if rule.mode == "immediate":
        return quiet_hours_end(rule, now) if in_quiet_hours(rule, now) else None
    if rule.mode == "hourly":
        local = now.astimezone(_zone(rule))
        due = (local.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)).astimezone(dt.timezone.utc)
    else:
        due = _next_local(rule, now, _hm(rule.daily_at))
    return quiet_hours_end(rule, due) if in_quiet_hours(rule, due) else due


def digest_heading(rule: ChannelPolicy) -> str:
    return {"hourly": "Hourly digest", "daily": "Daily digest"}.get(rule.mode, "Catch-up after quiet hours")
