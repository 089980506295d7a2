"""The team decides where it reads the alerts: buttons and `/discourse`, by Socket Mode and by signed HTTP.

Everything is real but Slack: alerts come from ingest and are posted by delivery with the bot token, clicks
arrive through slack_sdk's Socket Mode client (from a WebSocket endpoint handed out by a local
`apps.connections.open`) or as signed posts to the bot's health server, and the answers go to the local
Slack stand-in.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import Config
from bot.detect.alerts import Alert
from bot.interactive import Interactions
from bot.notify import deliver_pending
from bot.notify.slack import WebApiNotifier
from bot.observability import HealthServer, Metrics
from bot.store import Store
from bot.store.baseline import current
from bot.store.feedback import decisions
from bot.store.ingest import ingest, seed
from bot.store.models import CasualtyEvent
from tests.detect.harness import deep_merge, load_cases, make_config, make_document
from tests.slack_server import SlackMessage, SlackServer, signed_post

DATA = load_cases()
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
RUBIO = {"actor": "us", "kind": "condition", "subject": "negotiations", "requires": ["ceasefire"], "negated": True,
         "speaker": "Marco Rubio", "quote": "Talks can begin without a ceasefire"}
KHARKIV = {"killed": 5, "location": "Kharkiv", "country": "UA", "date": "2025-04-18", "weapon": "drone"}
CHANNEL = "#discourse-alerts"


class App:
    """One bot: its store and config, the Slack stand-in, and the Slack app's two ways in, started."""

    def __init__(self, tmp_path: Path, slack: SlackServer, overrides: dict[str, Any] | None = None) -> None:
        quiet = {"delivery": {"per_channel_interval": 0, "retry_backoff": 0}}
        self.config: Config = make_config(DATA["config"], deep_merge(quiet, overrides or {}))
        self.slack = slack
        self.store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
        seed(self.store, [make_document(d) for d in DATA["seed"]], self.config)
        notifier = WebApiNotifier(slack.token, slack.api_url, backoff=0)
        self.interactions = Interactions(self.store, self.config, notifier, app_token=slack.app_token,
                                         signing_secret=SECRET).start()
        self.http = HealthServer(Metrics(), 0, host="127.0.0.1", routes=self.interactions.routes).start()
        self.received = 0

    def close(self) -> None:
        self.interactions.stop()
        self.http.stop()
        self.store.close()

    def report(self, id: str, *, source: str = "reuters.example", feed: str = "reuters", day: str = "2025-04-20",
               **facts: Any) -> list[Alert]:
        """A document through ingest, then delivery to Slack with the bot token."""
        spec = {"id": id, "feed": feed, "source": source, "published": day, **facts}
        alerts = ingest(self.store, *make_document(spec), self.config)
        deliver_pending(self.store, self.config, env={"SLACK_BOT_TOKEN": self.slack.token,
                                                      "SLACK_API_URL": self.slack.api_url})
        return alerts

    def message(self, alert: Alert) -> SlackMessage:
        """The Slack message of an alert, as it is now."""
        [found] = [m for m in self.slack.all_messages() if any(
            str(alert.id) == e.get("value") for b in m.blocks + [b for edit in m.edits for b in edit["blocks"]]
            for e in b.get("elements") or [])]
        return found

    def by_socket(self, payload: dict[str, Any], *, kind: str = "interactive", envelope_id: str | None = None) -> str:
        envelope = self.slack.socket_send(kind, payload, envelope_id=envelope_id)
        self.slack.socket.wait_ack(envelope, count=sum(e["envelope_id"] == envelope for e in self.slack.socket.sent))
        self.received += 1
        return envelope

    def by_http(self, fields: dict[str, Any], *, path: str = "/slack/actions", **options: Any) -> tuple[int, str]:
        status, body = signed_post(f"http://127.0.0.1:{self.http.port}{path}", fields, SECRET, **options)
        self.received += status == 200
        return status, body

    def settle(self) -> None:
        assert self.interactions.settle(self.received), "the Slack requests were not handled in time"

    def stance(self, subject: str = "negotiations") -> Any:
        [row] = [r for r in current(self.store, "us") if r.subject == subject]
        return row.stance

    def event(self, location: str = "Kharkiv") -> CasualtyEvent:
        with self.store.session() as session:
            [row] = [e for e in session.query(CasualtyEvent).all() if e.location == location]
            session.expunge(row)
            return row


@pytest.fixture
def app(tmp_path: Path, slack: SlackServer) -> Iterator[App]:
    bot = App(tmp_path, slack)
    yield bot
    bot.close()


def click(app: App, alert: Alert, action: str, **user: str) -> dict[str, Any]:
    return app.slack.click_payload(app.message(alert), action, **user)


def form(payload: dict[str, Any]) -> dict[str, str]:
    return {"payload": json.dumps(payload)}


def buttons(message: SlackMessage) -> list[str]:
    return [e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]]


def footer(message: SlackMessage) -> str:
    return message.blocks[-1]["elements"][0]["text"] if message.blocks[-1]["type"] == "context" else ""


# -- each button, each way in ------------------------------------------------------------------------------


def test_accept_over_socket_mode_takes_the_shift_and_edits_the_message(tmp_path: Path, slack: SlackServer) -> None:
    app = App(tmp_path, slack, {"detection": {"baseline_update": "manual"}})
    try:
        [shift] = app.report("rubio", positions=[RUBIO])
        posted = app.message(shift)
        assert buttons(posted) == ["accept", "not_a_shift"]
        assert not app.stance().negated                     # manual: the shift waits for a person

        app.by_socket(click(app, shift, "accept", user_id="U0ANA", user_name="ana"))
        app.settle()
        assert app.stance().negated                         # taken into the baseline
        edited = app.message(shift)
        assert buttons(edited) == [] and footer(edited).startswith("*Accepted* by ana · ")
        assert "Accepted by ana" in edited.text and edited.ts == posted.ts
        [decision] = decisions(app.store)
        assert (decision.alert.id, decision.user_id, decision.via) == (shift.id, "U0ANA", "slack-socket")
    finally:
        app.close()


def test_not_a_shift_over_http_puts_the_baseline_back(app: App) -> None:
    [shift] = app.report("rubio", positions=[RUBIO])
    assert app.stance().negated
    status, _ = app.by_http(form(click(app, shift, "not_a_shift", user_name="ben", user_id="U0BEN")))
    assert status == 200
    app.settle()
    assert not app.stance().negated and app.stance().labels == ("ceasefire",)
    assert footer(app.message(shift)).startswith("*Not a shift* by ben")
    # the same statement again raises nothing
    assert app.report("rubio-again", source="outlet-a.example", feed="outlet-a", day="2025-04-21",
                      positions=[RUBIO]) == []


def test_not_an_attack_mutes_the_event(app: App) -> None:
    [event] = app.report("kharkiv", casualties=[KHARKIV])
    assert buttons(app.message(event)) == ["not_an_attack"]
    app.by_socket(click(app, event, "not_an_attack"))
    app.settle()
    assert app.event().muted
    assert buttons(app.message(event)) == [] and "*Not an attack* by ana" in footer(app.message(event))
    assert app.report("kharkiv-7", source="outlet-b.example", feed="outlet-b", casualties=[{**KHARKIV, "killed": 7}]) == []


def test_wrong_figures_withdraws_the_update_in_its_thread_and_puts_the_toll_back(app: App) -> None:
    [event] = app.report("kharkiv", casualties=[KHARKIV])
    [update] = app.report("kharkiv-7", source="kyivindependent.example", feed="kyiv-independent",  # as trusted as the first report
                          casualties=[{**KHARKIV, "killed": 7}])
    root, reply = app.message(event), app.message(update)
    assert reply.thread_ts == root.ts and "7 killed" in root.text        # delivery edited the root to the update
    assert buttons(reply) == ["not_an_attack", "wrong_figures"]

    status, _ = app.by_http(form(click(app, update, "wrong_figures")))
    assert status == 200
    app.settle()
    assert app.event().killed == 5
    assert "*Wrong figures* by ana" in footer(app.message(update)) and buttons(app.message(update)) == []
    [withdrawn] = [m for m in slack_replies(app, root) if m.ts != reply.ts]
    assert "Figures withdrawn" in withdrawn.text and "7 killed" in withdrawn.text and "back to 5 killed" in withdrawn.text
    root = app.message(event)
    assert "5 killed" in root.blocks[0]["text"]["text"] and "7 killed" not in root.blocks[0]["text"]["text"]
    assert "withdrawn by ana" in json.dumps(root.blocks) and buttons(root) == ["not_an_attack"]


def slack_replies(app: App, root: SlackMessage) -> list[SlackMessage]:
    return app.slack.replies(root.channel, root.ts)


# -- refusals ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("options, reason", [
    ({"signature": "v0=" + "0" * 64}, "bad_signature"),
    ({"signature": ""}, "missing_signature"),
    ({"timestamp": int(time.time()) - 6 * 60}, "stale_timestamp"),
])
def test_unsigned_or_stale_requests_are_refused_and_logged(app: App, caplog: pytest.LogCaptureFixture,
                                                           options: dict[str, Any], reason: str) -> None:
    [shift] = app.report("rubio", positions=[RUBIO])
    with caplog.at_level(logging.WARNING, logger="bot.interactive"):
        status, _ = app.by_http(form(click(app, shift, "not_a_shift")), **options)
        commands = app.by_http(app.slack.command_payload("baseline us"), path="/slack/commands", **options)
    assert (status, commands[0]) == (401, 401)
    app.settle()
    assert decisions(app.store) == [] and app.stance().negated and app.slack.calls("chat.update") == []
    assert app.slack.responses == []
    lines = [r for r in caplog.records if getattr(r, "action", "") == "slack.refused"]
    assert [getattr(r, "reason") for r in lines] == [reason, reason]
    assert all(SECRET not in r.getMessage() and "v0=" not in r.getMessage() for r in lines)


def test_a_button_of_another_message_or_channel_is_refused(app: App, caplog: pytest.LogCaptureFixture) -> None:
    [shift] = app.report("rubio", positions=[RUBIO])
    [event] = app.report("kharkiv", casualties=[KHARKIV])
    foreign = click(app, event, "not_an_attack")
    foreign["actions"][0]["value"] = str(shift.id)                     # the shift's id on the event's message
    moved = click(app, shift, "not_a_shift")
    moved["container"]["channel_id"] = moved["channel"]["id"] = "C0OTHER"  # the right message ts, another channel
    with caplog.at_level(logging.WARNING, logger="bot.interactive"):
        app.by_socket(foreign)
        app.by_http(form(moved))
        app.settle()
    assert decisions(app.store) == [] and app.stance().negated and not app.event().muted
    assert app.slack.calls("chat.update") == []
    reasons = [getattr(r, "reason", "") for r in caplog.records if getattr(r, "action", "") == "slack.refused"]
    assert reasons == ["foreign_alert", "foreign_alert"]


def test_only_reviewers_may_decide(tmp_path: Path, slack: SlackServer) -> None:
    slack.usergroups["S0DESK"] = ["U0CAT"]
    app = App(tmp_path, slack, {"delivery": {"reviewers": ["U0BEN", "S0DESK"]}})
    try:
        [shift] = app.report("rubio", positions=[RUBIO])
        app.by_socket(click(app, shift, "not_a_shift", user_id="U0ANA", user_name="ana"))   # in the channel, not a reviewer
        app.settle()
        assert decisions(app.store) == [] and app.stance().negated and app.slack.calls("chat.update") == []
        [answer] = slack.responses
        assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
        assert "not allowed" in answer["text"]

        app.by_http(form(click(app, shift, "not_a_shift", user_id="U0CAT", user_name="cat")))  # in the group
        app.settle()
        assert not app.stance().negated and decisions(app.store)[0].user_id == "U0CAT"
    finally:
        app.close()


def test_by_default_only_members_of_the_alerts_channel_may_decide(app: App) -> None:
    [shift] = app.report("rubio", positions=[RUBIO])
    app.slack.members[CHANNEL] = ["UBOT", "U0BEN"]
    app.by_http(form(click(app, shift, "not_a_shift", user_id="U0EVE", user_name="eve")))
    app.settle()
    assert decisions(app.store) == [] and "not allowed" in app.slack.responses[0]["text"]
    app.by_http(form(click(app, shift, "not_a_shift", user_id="U0BEN", user_name="ben")))
    app.settle()
    assert [d.user_name for d in decisions(app.store)] == ["ben"]


def test_redeliveries_apply_once_and_edit_and_reply_once(app: App, caplog: pytest.LogCaptureFixture) -> None:
    [event] = app.report("kharkiv", casualties=[KHARKIV])
    [update] = app.report("kharkiv-7", source="kyivindependent.example", feed="kyiv-independent",
                          casualties=[{**KHARKIV, "killed": 7}])
    payload = click(app, update, "wrong_figures")
    edits, posts = len(app.slack.calls("chat.update")), len(app.slack.calls("chat.postMessage"))
    with caplog.at_level(logging.INFO, logger="bot.interactive"):
        envelope = app.by_socket(payload)
        app.by_socket(payload, envelope_id=envelope)                                    # the same envelope again
        app.by_http(form(payload), headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
        app.settle()
    assert len(decisions(app.store)) == 1 and app.event().killed == 5
    assert len(app.slack.calls("chat.update")) == edits + 2          # the update's message and the event's
    assert len(app.slack.calls("chat.postMessage")) == posts + 1     # one "withdrawn" reply
    assert len([r for r in caplog.records if getattr(r, "action", "") == "slack.redelivery"]) == 2
    assert app.slack.responses == []


def test_a_second_click_after_the_decision_changes_nothing_and_says_so(app: App) -> None:
    [shift] = app.report("rubio", positions=[RUBIO])
    first, second = click(app, shift, "not_a_shift"), click(app, shift, "accept", user_id="U0BEN", user_name="ben")
    app.by_socket(first)
    app.settle()
    app.by_socket(second)                                            # clicked on a stale screen
    app.settle()
    assert [(d.action, d.user_name) for d in decisions(app.store)] == [("not_a_shift", "ana")]
    assert not app.stance().negated and len(app.slack.calls("chat.update")) == 1
    [answer] = app.slack.responses
    assert answer["text"].startswith("Already decided: Not a shift by ana")


def test_slack_is_answered_before_the_work_is_done(app: App) -> None:
    [shift] = app.report("rubio", positions=[RUBIO])
    [event] = app.report("kharkiv", casualties=[KHARKIV])
    for send, alert, action in ((app.by_socket, shift, "not_a_shift"), (app.by_http, event, "not_an_attack")):
        gate = threading.Event()
        app.slack.hold_after("chat.update", len(app.slack.calls("chat.update")), gate)  # the edit waits for the gate
        try:
            payload = click(app, alert, action)
            send(payload if send == app.by_socket else form(payload))   # acknowledged, or answered 200, meanwhile
            assert wait_until(lambda: app.slack.waiting() == 1), "the edit never started"
        finally:
            gate.set()
        app.settle()
    assert len(decisions(app.store)) == 2


def wait_until(condition: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


# -- /discourse ----------------------------------------------------------------------------------------------


def test_discourse_baseline_answers_with_the_actors_stances_only_to_the_asker(app: App) -> None:
    app.by_socket(app.slack.command_payload("baseline United States"), kind="slash_commands")
    app.by_http(app.slack.command_payload("baseline us"), path="/slack/commands")
    app.settle()
    answers = app.slack.responses
    assert len(answers) == 2 and all(a["response_type"] == "ephemeral" for a in answers)
    for answer in answers:
        assert answer["text"].startswith("*United States*: 4 stances")
        assert "• United States — negotiations only after ceasefire (since 2025-04-15)" in answer["text"]


@pytest.mark.parametrize("text", ["help", "", "frobnicate now", "baseline"])
def test_discourse_help_and_unknown_subcommands_answer_with_usage(app: App, text: str) -> None:
    app.by_http(app.slack.command_payload(text), path="/slack/commands")
    app.settle()
    [answer] = app.slack.responses
    assert "`/discourse baseline ACTOR`" in answer["text"] and "`/discourse help`" in answer["text"]


def test_discourse_baseline_of_an_unknown_actor_names_the_watched_ones(app: App) -> None:
    app.by_http(app.slack.command_payload("baseline Atlantis"), path="/slack/commands")
    app.settle()
    [answer] = app.slack.responses
    assert "No watched actor is called “Atlantis”" in answer["text"] and "United States (`us`)" in answer["text"]


# -- the loop ------------------------------------------------------------------------------------------------


def test_decisions_taken_in_slack_export_in_the_news_sets_format(app: App, tmp_path: Path,
                                                                 repo_root: Path) -> None:
    from click.testing import CliRunner

    from bot.cli import cli

    [shift] = app.report("rubio", positions=[RUBIO])
    [event] = app.report("kharkiv", casualties=[KHARKIV])
    app.by_socket(click(app, shift, "accept"))
    app.by_http(form(click(app, event, "not_an_attack")))
    app.settle()
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "bot.yaml").write_text(yaml.safe_dump(DATA["config"]), encoding="utf-8")
    out = tmp_path / "labelled"
    done = CliRunner().invoke(cli, ["--config", str(folder), "--database-url", f"sqlite:///{tmp_path / 'bot.db'}",
                                    "feedback", "export", str(out)])
    assert done.exit_code == 0, done.output
    for kind in ("positions", "casualties"):
        [exported] = [json.loads(line) for line in (out / f"{kind}.jsonl").read_text().splitlines()]
        labelled = json.loads((repo_root / "tests" / "data" / kind / "news_dev.jsonl").read_text().splitlines()[0])
        assert set(labelled) - {"date_guess"} <= set(exported), kind
        for item in exported.get("expect", []):
            assert set(labelled["expect"][0]) <= set(item)
    [position] = [json.loads(line) for line in (out / "positions.jsonl").read_text().splitlines()]
    assert position["text"] == RUBIO["quote"] and position["expect"][0]["negated"] is True


# -- `discourse-bot run` ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_run_serves_both_ways_in_beside_the_scheduler_and_stops_cleanly(tmp_path: Path, slack: SlackServer) -> None:
    import signal

    from tests.sources.test_fetch import FeedServer, conditional_feed, rss
    from tests.test_scheduler import BotProcess, free_port, make_config as worker_config, wait_for

    feeds = FeedServer().start()
    feeds.routes["/a.xml"] = conditional_feed(rss(1, "a"), etag='"a1"')
    port = free_port()
    bot = BotProcess(worker_config(tmp_path, [{"name": "a", "url": feeds.url("/a.xml"), "interval": 60}]),
                     f"sqlite:///{tmp_path / 'bot.db'}",
                     env={"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url,
                          "SLACK_APP_TOKEN": slack.app_token, "SLACK_SIGNING_SECRET": SECRET,
                          "DISCOURSE_BOT_HEALTH_PORT": str(port)})
    try:
        wait_for(lambda: bool(slack.socket.connections) or bot.proc.poll() is not None, 120,
                 "the Socket Mode connection")
        assert bot.proc.poll() is None, bot.errors[-5:]
        slack.socket.wait_ack(slack.socket_send("slash_commands", slack.command_payload("help")))
        status, _ = signed_post(f"http://127.0.0.1:{port}/slack/commands", slack.command_payload("baseline us"),
                                SECRET)
        assert status == 200
        wait_for(lambda: len(slack.responses) == 2, 30, "both answers")
        texts = sorted(r["text"] for r in slack.responses)
        assert texts[0].startswith("No stance of United States") and "`/discourse help`" in texts[1]
        assert bot.stop(signal.SIGTERM, timeout=10) == 0
    finally:
        bot.kill()
        feeds.stop()
    assert any("Socket Mode connected" in str(r.get("message")) for r in bot.records())
    assert any("stopped" in str(r.get("message")) for r in bot.records()), bot.errors[-5:]


def test_the_app_manifest_asks_for_what_the_buttons_and_the_command_need(repo_root: Path) -> None:
    manifest = yaml.safe_load((repo_root / "docs" / "slack-app-manifest.yaml").read_text(encoding="utf-8"))
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"chat:write", "commands", "channels:read", "groups:read", "usergroups:read"} <= scopes
    assert manifest["settings"]["interactivity"]["is_enabled"] and manifest["settings"]["socket_mode_enabled"]
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/discourse"]
