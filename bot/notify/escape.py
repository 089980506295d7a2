"""Make feed text safe for Slack mrkdwn: no mentions, no forged links, and within Slack's length limits."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

ELLIPSIS = "…"


def escape(text: object) -> str:
    """Escape `&`, `<`, `>` as Slack specifies, so feed text can never become a mention or a link."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: object) -> str | None:
    """An http(s) URL fit to sit inside `<url|label>`, or None when it is not one."""
    value = str(url or "").strip()
    parts = urlsplit(value) if value else None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # Characters that would end or split Slack's link syntax are percent-encoded; & becomes &amp; as Slack asks.
    value = quote(value, safe="/:?=#%@+,;!$'()*[]~.-_&")
    return value.replace("&", "&amp;")


def link(url: object, label: object | None = None) -> str:
    """A Slack link to url labelled with (escaped) label; plain escaped text when url is not http(s)."""
    target = safe_url(url)
    shown = escape(label if label is not None else (url or ""))
    if target is None:
        return shown
    if label is None:
        return f"<{target}>"
    return f"<{target}|{shown.replace('|', '¦')}>"


def cut(text: str, limit: int) -> str:
    """text shortened to at most limit characters, at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    room = max(limit - len(ELLIPSIS), 0)
    head = text[:room]
    space = head.rfind(" ")
    if space > room // 2:
        head = head[:space]
    return head.rstrip(" ,;:.-–—") + ELLIPSIS


def cut_escaped(text: object, limit: int) -> str:
    """Escape text and keep it within limit characters without splitting an entity such as `&amp;`."""
    raw = str(text)
    escaped = escape(raw)
    if len(escaped) <= limit:
        return escaped
    # Cut the raw text so that its escaped form fits; escaping never shrinks text, so this terminates.
    budget = limit
    while True:
        candidate = escape(cut(raw, budget))
        if len(candidate) <= limit or budget <= 1:
            return candidate if len(candidate) <= limit else ELLIPSIS
        budget -= max(1, len(candidate) - limit)
