"""The outbox never loses or repeats an alert: leases, crashes, restarts and concurrent workers."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest


from bot.notify import deliver_pending
from bot.store import Store, outbox
from tests.notify.conftest import NOW, add_alerts, make_config, shift
from tests.slack_server import SlackServer
from tests.store.pg import postgres_server, postgres_url, store_url  # noqa: F401  (fixtures)


def subjects(slack: SlackServer) -> list[str]:
    return [p.blocks[0]["text"]["text"].rsplit(" on ", 1)[1] for p in slack.posts("#discourse-alerts")]


def test_claimed_alert_of_a_crashed_worker_is_sent_once_after_its_lease(store, slack, env, config) -> None:
    add_alerts(store, shift(subject="alpha"), shift(subject="beta"))
    # A worker claims both and dies before posting anything.
    assert len(outbox.claim_due(store, "dead-worker", NOW, lease=300)) == 2

    assert deliver_pending(store, config, env=env, now=NOW + dt.timedelta(seconds=60)).sent == 0
    assert deliver_pending(store, config, env=env, now=NOW + dt.timedelta(seconds=301)).sent == 2
    assert deliver_pending(store, config, env=env, now=NOW + dt.timedelta(seconds=900)).sent == 0
    assert subjects(slack) == ["alpha", "beta"]


_CHILD = """
import datetime as dt, sys
from bot.notify import deliver_pending
from bot.store import Store
from tests.notify.conftest import NOW, make_config
deliver_pending(Store(sys.argv[1]), make_config(), env={"SLACK_BOT_TOKEN": sys.argv[2], "SLACK_API_URL": sys.argv[3]},
                now=NOW, worker_id="child")
"""


@pytest.mark.parametrize("slack_posted", [False, True], ids=["killed-before-slack-posted", "killed-after-slack-posted"])
def test_killed_process_loses_and_repeats_nothing(tmp_path: Path, slack, slack_posted: bool) -> None:
    url = f"sqlite:///{tmp_path}/bot.db"
    store = Store(url)
    written = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)  # Slack's ts are real time
    add_alerts(store, *[{**shift(subject=f"topic_{i}"), "created_at": written} for i in range(5)])
    gate = threading.Event()
    # The third post hangs inside the server: before Slack posts it, or after (the answer never arrives).
    slack.hold_after("chat.postMessage", 2, gate, after_doing=slack_posted)

    child = subprocess.Popen([sys.executable, "-c", _CHILD, url, slack.token, slack.api_url],
                             cwd=Path(__file__).parents[2], env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
    deadline = time.monotonic() + 30
    while slack.waiting() == 0 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    assert slack.waiting() == 1, "the child never reached its third post"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    gate.set()  # the server answers a dead socket and records nothing

    assert subjects(slack) == ["topic 0", "topic 1", "topic 2"][:3 if slack_posted else 2]
    config = make_config()
    env = {"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url}
    assert deliver_pending(store, config, env=env, now=NOW + dt.timedelta(seconds=10)).sent == 0  # lease held
    report = deliver_pending(store, config, env=env, now=NOW + dt.timedelta(minutes=10))
    assert (report.sent, report.recovered) == ((2, 1) if slack_posted else (3, 0))
    assert subjects(slack) == [f"topic {i}" for i in range(5)]
    rows = outbox.list_alerts(store)
    assert [r.slack_ts for r in rows] == [p.ts for p in slack.posts("#discourse-alerts")]
    store.close()


def test_when_slack_cannot_be_read_back_an_interrupted_alert_is_posted_again(store, slack, env, config, caplog) -> None:
    [alert_id] = add_alerts(store, shift())
    [claimed] = outbox.claim_due(store, "dead-worker", NOW, lease=300)
    assert outbox.renew(store, claimed.id, "dead-worker", NOW, 300)  # about to post, then the worker died
    assert outbox.list_alerts(store)[0].last_error == "interrupted while posting"
    slack.fail_always("conversations.list", error="missing_scope")

    report = deliver_pending(store, config, env=env, now=NOW + dt.timedelta(minutes=10))

    assert (report.sent, report.recovered) == (1, 0)
    assert len(slack.posts("#discourse-alerts")) == 1
    assert any("cannot check whether alert" in r.getMessage() and "missing_scope" in r.getMessage()
               for r in caplog.records)


def test_two_claimers_never_take_the_same_alert(store_url: str) -> None:
    stores = [Store(store_url) for _ in range(2)]
    add_alerts(stores[0], *[shift(subject=f"s{i}") for i in range(120)])
    taken: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def claim(name: str, store: Store) -> None:
        start.wait()
        while batch := outbox.claim_due(store, name, NOW, lease=300, limit=7):
            taken[name].extend(a.id for a in batch)

    threads = [threading.Thread(target=claim, args=(n, s)) for n, s in zip(taken, stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for s in stores:
        s.close()
    assert not set(taken["a"]) & set(taken["b"])
    assert sorted(taken["a"] + taken["b"]) == sorted(set(taken["a"] + taken["b"])) and len(taken["a"] + taken["b"]) == 120


def test_two_workers_deliver_every_alert_exactly_once(store_url: str, slack) -> None:
    stores = [Store(store_url) for _ in range(2)]
    add_alerts(stores[0], *[shift(actor=("us", "russia", "ukraine")[i % 3], subject=f"topic_{i}") for i in range(60)])
    config = make_config(by_actor={"russia": "#russia", "ukraine": "#ukraine"})
    env = {"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url}
    slack.fail_randomly(0.2, seed=3)
    deadline = NOW
    for round_ in range(12):
        deadline = NOW + dt.timedelta(hours=round_)
        threads = [threading.Thread(target=deliver_pending, args=(s, config),
                                    kwargs={"env": env, "now": deadline, "worker_id": f"w{i}"})
                   for i, s in enumerate(stores)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        if not outbox.list_alerts(stores[0], pending_only=True):
            break
    posted = [m.blocks[0]["text"]["text"] for m in slack.all_messages()]
    assert len(posted) == 60 == len(set(posted))
    assert outbox.list_alerts(stores[0], pending_only=True) == []
    for s in stores:
        s.close()


def test_a_post_whose_answer_is_lost_is_not_posted_twice(store, slack, env, config) -> None:
    written = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)
    add_alerts(store, {**shift(subject="alpha"), "created_at": written}, {**shift(subject="beta"), "created_at": written})
    dropped = threading.Event()
    dropped.set()
    slack.hold_after("chat.postMessage", 0, dropped, after_doing=True)  # Slack posts, the connection drops

    first = deliver_pending(store, config, env=env, now=NOW)
    assert (first.sent, first.failed) == (0, 1)
    assert outbox.list_alerts(store, pending_only=True)[0].last_error.startswith("connection_error")

    later = deliver_pending(store, config, env=env, now=NOW + dt.timedelta(minutes=1))
    assert (later.sent, later.recovered) == (1, 1)
    assert subjects(slack) == ["alpha", "beta"]
    assert len(slack.calls("chat.postMessage")) == 1  # the dropped one is not in the request log
