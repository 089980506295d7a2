"""Loading the config: the shipped defaults are valid, and every error names file, field and reason."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from bot.config import load_config, parse_duration
from bot.errors import ConfigError

DEFAULT_TOPICS = {"ceasefire", "negotiations", "peace_agreement", "sanctions_relief", "sanctions",
                  "economic_partnership", "military_aid", "troop_withdrawal", "nato_membership",
                  "security_guarantees", "territorial_concessions"}


def write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def problems(folder: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(ConfigError) as info:
        load_config(folder)
    return [(Path(p.file).name, p.field, p.reason) for p in info.value.problems]


def test_shipped_config_is_valid_and_watches_the_seed(default_config):
    assert [f.name for f in default_config.feeds] == ["seed"]
    assert Path(default_config.feeds[0].url).name == "seed-feed.xml"
    assert {"us", "russia", "ukraine"} <= {a.id for a in default_config.actors}
    assert DEFAULT_TOPICS <= {t.id for t in default_config.topics}


def test_all_three_errors_of_the_issue_are_reported_together(tmp_path):
    write(tmp_path, "feeds.yaml", {"feeds": [{"name": "wire", "url": "http//news example.com/rss", "colour": "red"}]})
    write(tmp_path, "actors.yaml", {"actors": [{"id": "us", "aliases": ["US"]}]})
    found = problems(tmp_path)
    assert ("feeds.yaml", "feeds[0].colour", "unknown key") in found
    assert any(file == "feeds.yaml" and field == "feeds[0].url" for file, field, _ in found)
    assert ("actors.yaml", "actors[0].name", "required but missing") in found


def test_errors_name_the_file_that_holds_the_item(tmp_path):
    write(tmp_path, "a.yaml", {"feeds": [{"name": "ok", "url": "https://example.com/rss"}]})
    write(tmp_path, "b.yaml", {"feeds": [{"name": "bad", "url": "ftp://example.com/rss"}]})
    assert [(f, field) for f, field, _ in problems(tmp_path)] == [("b.yaml", "feeds[1].url")]


def test_unknown_section_bad_yaml_and_duplicates(tmp_path):
    write(tmp_path, "a.yaml", {"feedz": []})
    write(tmp_path, "b.yaml", "feeds: [unclosed")
    write(tmp_path, "c.yaml", {"actors": [{"id": "us", "name": "US"}, {"id": "us", "name": "Again"}]})
    found = problems(tmp_path)
    assert ("a.yaml", "feedz") == found[0][:2] and "unknown section" in found[0][2]
    assert found[1][0] == "b.yaml" and "not valid YAML" in found[1][2]
    assert ("c.yaml", "actors[1]", "duplicate 'us'") in found


def test_routes_must_name_known_actors_and_kinds(tmp_path):
    write(tmp_path, "a.yaml", {"actors": [{"id": "us", "name": "United States"}],
                               "delivery": {"by_actor": {"uk": "#uk"}, "by_kind": {"gossip": "#x"}}})
    fields = {field for _, field, _ in problems(tmp_path)}
    assert fields == {"delivery.by_actor.uk", "delivery.by_kind.gossip"}


def test_relative_feed_paths_resolve_against_their_file(tmp_path):
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "local.xml").write_text("<rss/>")
    write(tmp_path, "a.yaml", {"feeds": [{"name": "local", "url": "feeds/local.xml", "interval": "2h"}]})
    feed = load_config(tmp_path).feeds[0]
    assert Path(feed.url) == (tmp_path / "feeds" / "local.xml").resolve()
    assert feed.interval == 7200


def test_missing_config_folder_is_a_clear_error(tmp_path):
    assert problems(tmp_path / "nowhere")[0][2] == "no such file or folder"


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["", "s", "m", "h", "d"]))
@settings(max_examples=50)
def test_durations_read_as_seconds(number, unit):
    factor = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
    assert parse_duration(f"{number}{unit}") == number * factor


@given(st.text(max_size=12).filter(lambda s: not any(c.isdigit() for c in s)))
def test_durations_without_a_number_are_rejected(text):
    with pytest.raises(ValueError):
        parse_duration(text)
