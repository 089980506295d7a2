"""`slack test`: post one test message to every routed channel, so a wrong token or channel shows before alerts."""

from __future__ import annotations

import os

import click

from bot.cli import cli
from bot.cli.context import CliContext, clean_errors, pass_context
from bot.errors import BotError

HINTS = {
    "channel_not_found": "no such channel, or the bot cannot see it (a private channel: invite the bot)",
    "not_in_channel": "the bot is not in this channel: invite it, or grant chat:write.public",
    "is_archived": "the channel is archived",
    "channel_is_archived": "the channel is archived",
}
TEST_TEXT = ("Test message from discourse-bot: alerts routed to this channel will appear here. "
             "Nothing to do; it was sent by `discourse-bot slack test`.")


@cli.group()
def slack() -> None:
    """Check the Slack settings (SLACK_BOT_TOKEN or SLACK_WEBHOOK_URL) and the routed channels."""


@slack.command("test")
@pass_context
@clean_errors
def test(obj: CliContext) -> None:
    """Post one test message to each routed channel; say per channel what failed (exit 1 if any did)."""
    from bot.notify import Message, notifier_from_env
    from bot.notify.blocks import context, header, section
    from bot.notify.escape import escape
    from bot.notify.notifier import NotifyError
    from bot.notify.routing import routed_channels
    from bot.notify.slack import WebApiNotifier, WebhookNotifier

    notifier = notifier_from_env(os.environ, obj.config)
    if not isinstance(notifier, (WebApiNotifier, WebhookNotifier)):
        raise BotError("no Slack settings: set SLACK_BOT_TOKEN (or SLACK_WEBHOOK_URL); alerts go to the console")
    channels = routed_channels(obj.config.delivery)
    if isinstance(notifier, WebhookNotifier):
        click.echo("SLACK_WEBHOOK_URL: a webhook posts to its one channel; routing only picks the noise policy")
        channels = channels[:1]
    failed = 0
    for channel in channels:
        blocks = [header("discourse-bot test message"), section(escape(TEST_TEXT)),
                  context([f"Routed here: {escape(_why(channel, obj))}"])]
        try:
            posted = notifier.post(channel, Message(text=escape(TEST_TEXT), blocks=[b for b in blocks if b]))
        except NotifyError as exc:
            if exc.is_auth:  # no channel can work: say it once
                raise BotError(f"Slack refused the token ({exc}); check SLACK_BOT_TOKEN and its scopes") from exc
            failed += 1
            click.echo(f"failed  {channel}: {exc.code}" + (f" ({HINTS[exc.code]})" if exc.code in HINTS else ""))
            continue
        where = f" (channel {posted.channel}, ts {posted.ts})" if posted.ts else ""
        click.echo(f"ok      {channel}{where}")
    if failed:
        raise BotError(f"{failed} of {len(channels)} channel(s) could not be posted to")


def _why(channel: str, obj: CliContext) -> str:
    """Which routing rules send alerts to channel."""
    delivery = obj.config.delivery
    reasons = [*(["the default channel"] if channel == delivery.default_channel else []),
               *(["feed health"] if channel == delivery.admin_channel else []),
               *(f"{kind} alerts" for kind, c in delivery.by_kind.items() if c == channel),
               *(f"alerts about {actor.name if (actor := obj.config.actor(a)) else a}"
                 for a, c in delivery.by_actor.items() if c == channel)]
    return ", ".join(reasons)
