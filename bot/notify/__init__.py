"""Console and Slack delivery of the outbox: Block Kit, escaping, routing, digests, quiet hours."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.notify.blocks import Message, alert_message
    from bot.notify.deliver import DeliveryReport, check_recovery, deliver_pending, notifier_from_env
    from bot.notify.escape import escape
    from bot.notify.text import render_text

# each name from the module that defines it, imported on first use: `bot.notify.names` or `.wording` alone (all
# `extract` needs to print facts) then costs no database, Slack or delivery imports at start-up
_MODULE_OF = {"Message": "blocks", "alert_message": "blocks", "DeliveryReport": "deliver",
              "check_recovery": "deliver", "deliver_pending": "deliver", "notifier_from_env": "deliver",
              "escape": "escape", "render_text": "text"}


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)

__all__ = ["DeliveryReport", "Message", "alert_message", "check_recovery", "deliver_pending", "escape",
           "notifier_from_env", "render_text"]
