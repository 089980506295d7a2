"""Console and Slack delivery of the outbox: Block Kit, escaping, routing, digests, quiet hours."""

from __future__ import annotations

from bot.notify.blocks import Message, alert_message
from bot.notify.deliver import DeliveryReport, check_recovery, deliver_pending, notifier_from_env
from bot.notify.escape import escape
from bot.notify.text import render_text

__all__ = ["DeliveryReport", "Message", "alert_message", "check_recovery", "deliver_pending", "escape",
           "notifier_from_env", "render_text"]
