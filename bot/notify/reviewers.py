"""Who may decide on an alert from Slack: `delivery.reviewers` (people and user groups), else anyone in the
channel the alert was posted to. Slack's answers (group and channel members) are cached for a minute, so a
burst of clicks costs one look-up and a change in Slack counts soon after."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.notify.notifier import NotifyError
from bot.notify.slack import _error as slack_error  # one reading of Slack's errors for every call

CACHE_SECONDS = 60.0
MAX_PAGES = 50  # conversations.members: 200 a page, so channels up to 10,000 members


class Reviewers:
    """`allows(user, channel)`; raises NotifyError when Slack cannot say (missing scope, Slack down)."""

    def __init__(self, client: WebClient, reviewers: Sequence[str] = (), *, ttl: float = CACHE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.people = frozenset(r for r in reviewers if not r.startswith("S"))
        self.groups = tuple(r for r in reviewers if r.startswith("S"))
        self.ttl, self.clock = ttl, clock
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    @property
    def configured(self) -> bool:
        return bool(self.people or self.groups)

    def allows(self, user_id: str, channel: str) -> bool:
        if not self.configured:
            return user_id in self._cached(f"channel:{channel}", lambda: self._channel_members(channel))
        if user_id in self.people:
            return True
        return any(user_id in self._cached(f"group:{g}", lambda g=g: self._group_members(g))  # type: ignore[misc]
                   for g in self.groups)

    def _cached(self, key: str, fetch: Callable[[], frozenset[str]]) -> frozenset[str]:
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and self.clock() - hit[0] < self.ttl:
                return hit[1]
        members = fetch()
        with self._lock:
            self._cache[key] = (self.clock(), members)
        return members

    def _group_members(self, group: str) -> frozenset[str]:
        try:
            response = self.client.usergroups_users_list(usergroup=group)
        except (SlackApiError, SlackClientError, OSError, ValueError) as exc:
            raise slack_error(exc) from exc
        return frozenset(str(u) for u in response.get("users") or [])

    def _channel_members(self, channel: str) -> frozenset[str]:
        found: set[str] = set()
        cursor = None
        try:
            for _ in range(MAX_PAGES):
                page = self.client.conversations_members(channel=channel, limit=200, cursor=cursor)
                found.update(str(u) for u in page.get("members") or [])
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        except (SlackApiError, SlackClientError, OSError, ValueError) as exc:
            raise slack_error(exc) from exc
        return frozenset(found)

