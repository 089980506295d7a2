"""The team's decisions on alerts change the baseline and the events, once, and later reports respect them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Config
from bot.detect.alerts import Alert, AlertKind
from bot.errors import StoreError
from bot.store import Store
from bot.store.baseline import current, history
from bot.store.feedback import FeedbackAction, decide, decisions, labelled_examples
from bot.store.ingest import ingest, seed
from bot.store.models import CasualtyEvent
from tests.detect.harness import make_config, make_document
from tests.store.pg import postgres_server, postgres_url, store_url  # noqa: F401  (pytest fixtures)
from tests.store.seeded import DATA, config, store  # noqa: F401  (pytest fixtures)

RUBIO = {"actor": "us", "kind": "condition", "subject": "negotiations", "requires": ["ceasefire"], "negated": True,
         "speaker": "Marco Rubio", "quote": "Talks can begin without a ceasefire",
         "sentence": "Secretary of State Marco Rubio said talks with Russia can begin without a ceasefire."}


def seeded_file_store(tmp_path: Path, config: Config) -> tuple[Store, list[str]]:
    """A seeded SQLite file and the CLI options that point `discourse-bot` at it and at the cases' config."""
    import yaml

    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "bot.yaml").write_text(yaml.safe_dump(DATA["config"]), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    store = Store(url)
    seed(store, [make_document(d) for d in DATA["seed"]], config)
    return store, ["--config", str(folder), "--database-url", url]


def run(store: Store, config: Config, id: str, *, source: str = "reuters.example", feed: str = "reuters",
        day: str = "2025-04-20", **facts: Any) -> list[Alert]:
    spec = {"id": id, "feed": feed, "source": source, "published": day, **facts}
    return ingest(store, *make_document(spec), config)


def negotiations(store: Store) -> Any:
    [row] = [r for r in current(store, "us") if r.subject == "negotiations"]
    return row.stance


def test_not_a_shift_puts_the_baseline_back_and_silences_the_statement(store: Store, config: Config) -> None:
    [shift] = run(store, config, "rubio", positions=[RUBIO])
    assert shift.kind is AlertKind.POSITION_SHIFT and negotiations(store).negated

    decision = decide(store, shift.id, FeedbackAction.NOT_A_SHIFT, user_id="U1", user_name="ana", via="slack")
    assert not negotiations(store).negated and negotiations(store).labels == ("ceasefire",)
    assert decision.before["stance"]["negated"] and not decision.after["stance"]["negated"]
    assert [s.reason for s in history(store, "us", "negotiations")] == ["seed", "shift", "rejected"]

    assert run(store, config, "rubio-again", source="outlet-a.example", feed="outlet-a", day="2025-04-21",
               positions=[RUBIO]) == []
    assert not negotiations(store).negated                       # the repeat moved nothing either
    other = {**RUBIO, "requires": ["troop_withdrawal"], "negated": False}
    assert [a.kind for a in run(store, config, "other", day="2025-04-22", positions=[other])] == ["position_shift"]


def test_a_new_position_that_is_not_one_is_removed(store: Store, config: Config) -> None:
    demand = {"actor": "russia", "kind": "demand", "subject": "troop_withdrawal", "quote": "Kyiv must withdraw"}
    [new] = run(store, config, "demand", positions=[demand])
    decide(store, new.id, FeedbackAction.NOT_A_SHIFT, user_id="U1")
    assert current(store, "russia") == []
    assert run(store, config, "demand-again", source="outlet-a.example", feed="outlet-a", positions=[demand]) == []


def test_accept_is_applied_once_and_recorded(store: Store, config: Config) -> None:
    manual = make_config(DATA["config"], {"detection": {"baseline_update": "manual"}})
    [shift] = run(store, manual, "rubio", positions=[RUBIO])
    assert not negotiations(store).negated
    first = decide(store, shift.id, "accept", user_id="U1", user_name="ana")
    assert negotiations(store).negated and not first.repeated
    again = decide(store, shift.id, FeedbackAction.NOT_A_SHIFT, user_id="U2")    # too late: decided
    assert again.repeated and again.action is FeedbackAction.ACCEPT and again.who == "ana"
    assert negotiations(store).negated
    assert [(d.alert.id, d.action) for d in decisions(store)] == [(shift.id, FeedbackAction.ACCEPT)]


def test_not_an_attack_mutes_the_event(store: Store, config: Config) -> None:
    kharkiv = {"killed": 5, "location": "Kharkiv", "country": "UA", "date": "2025-04-18", "weapon": "drone"}
    [event] = run(store, config, "kharkiv", casualties=[kharkiv])
    decide(store, event.id, FeedbackAction.NOT_AN_ATTACK, user_id="U1")
    assert run(store, config, "kharkiv-7", source="outlet-b.example", feed="outlet-b",
               casualties=[{**kharkiv, "killed": 7}]) == []


def test_wrong_figures_withdraw_the_update_and_never_return(store: Store, config: Config) -> None:
    [update] = run(store, config, "sumy-60", casualties=[{"killed": 60, "location": "Sumy", "country": "UA",
                                                          "date": "2025-04-13"}])
    assert update.kind is AlertKind.CASUALTY_UPDATE
    with pytest.raises(StoreError, match="does not apply"):
        decide(store, update.id, FeedbackAction.ACCEPT, user_id="U1")
    decision = decide(store, update.id, FeedbackAction.WRONG_FIGURES, user_id="U1")
    assert decision.before["event"]["killed"] == 60 and decision.after["event"]["killed"] == 35
    with store.session() as session:
        assert session.scalars(select(CasualtyEvent.killed).where(CasualtyEvent.location == "Sumy")).one() == 35
    same = {"killed": 60, "location": "Sumy", "country": "UA", "date": "2025-04-13"}
    assert run(store, config, "sumy-60-b", source="outlet-a.example", feed="outlet-a", casualties=[same]) == []
    [later] = run(store, config, "sumy-40", casualties=[{**same, "killed": 40}])   # as trusted as the first
    assert later.casualty is not None and later.casualty.casualty.killed == 40


def test_decisions_become_labelled_examples(store: Store, config: Config) -> None:
    [shift] = run(store, config, "rubio", positions=[RUBIO])
    [event] = run(store, config, "kharkiv", casualties=[{"killed": 5, "location": "Kharkiv", "country": "UA",
                                                          "date": "2025-04-18"}])
    decide(store, shift.id, FeedbackAction.ACCEPT, user_id="U1")
    decide(store, event.id, FeedbackAction.NOT_AN_ATTACK, user_id="U1")
    examples = dict(labelled_examples(store))
    position, casualty = examples["positions"], examples["casualties"]
    assert position["text"] == RUBIO["sentence"] and position["tier"] == "stretch"
    assert position["expect"] == [{"actor": "us", "speaker": "Marco Rubio", "kind": "condition",
                                   "subject": ["negotiations"], "requires": ["ceasefire"], "directions": ["for"],
                                   "negated": True}]
    assert casualty["event"] == "none" and casualty["killed"] is None and casualty["place"] == "Kharkiv"


def test_feedback_commands_list_and_export(tmp_path, config: Config) -> None:  # type: ignore[no-untyped-def]
    import json

    from click.testing import CliRunner

    from bot.cli import cli

    store, options = seeded_file_store(tmp_path, config)
    [shift] = run(store, config, "rubio", positions=[RUBIO])
    decide(store, shift.id, FeedbackAction.NOT_A_SHIFT, user_id="U1", user_name="ana", via="slack")

    listed = CliRunner().invoke(cli, [*options, "feedback", "list", "--json"])
    [row] = [json.loads(line) for line in listed.output.splitlines()]
    assert (row["alert_id"], row["action"], row["user_name"]) == (shift.id, "not_a_shift", "ana")
    text = CliRunner().invoke(cli, [*options, "feedback", "list"]).output
    assert f"Not a shift by ana (slack): alert {shift.id}, position_shift us negotiations" in text

    out = tmp_path / "labelled"
    done = CliRunner().invoke(cli, [*options, "feedback", "export", str(out)])
    assert done.exit_code == 0 and "1 position example(s)" in done.output
    [example] = [json.loads(line) for line in (out / "positions.jsonl").read_text().splitlines()]
    assert example["tier"] == "none" and example["expect"] == []     # the team said: no such stance
    assert (out / "casualties.jsonl").read_text() == ""
    store.close()


def test_exported_decisions_are_read_by_eval(tmp_path, config: Config) -> None:  # type: ignore[no-untyped-def]
    """The loop: what the team decided becomes data `eval` scores (positions as a news split, casualties as a
    timeline replayed through the whole pipeline)."""
    from click.testing import CliRunner

    from bot.cli import cli

    store, options = seeded_file_store(tmp_path, config)
    [shift] = run(store, config, "rubio", positions=[RUBIO])
    kharkiv = {"killed": 5, "location": "Kharkiv", "country": "UA", "date": "2025-04-18",
               "quote": "A Russian drone attack on Kharkiv killed five people on Friday, the mayor said."}
    [event] = run(store, config, "kharkiv", casualties=[kharkiv])
    decide(store, shift.id, FeedbackAction.ACCEPT, user_id="U1")
    decide(store, event.id, FeedbackAction.NOT_AN_ATTACK, user_id="U1")
    store.close()
    out = tmp_path / "labelled"
    assert CliRunner().invoke(cli, [*options, "feedback", "export", str(out)]).exit_code == 0

    shipped = ["--config", str(Path(__file__).resolve().parents[2] / "config"), *options[2:]]
    scored = CliRunner().invoke(cli, [*shipped, "eval", "--eval-dir", str(tmp_path / "none"),
                                      "--news", str(out / "positions.jsonl"),
                                      "--timeline", str(out / "casualties.jsonl"),
                                      "--positions", str(tmp_path / "none.yaml")])
    assert scored.exit_code == 0, scored.output
    assert "stretch found 1.00 (1/1)" in scored.output    # the accepted stance, found again in its sentence
    assert "negatives quiet" in scored.output          # the muted event came back as a text with no attack
