"""Property tests of config loading: whatever YAML (or junk) is in the folder, load_config returns a Config
or raises ConfigError naming file, field and reason; never another exception, never a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.config import Config, load_config
from bot.errors import ConfigError

SECTIONS = ["settings", "feeds", "actors", "topics", "places", "detection", "delivery"]
KEYS = {
    "settings": ["model", "batch_size", "n_process", "user_agent", "connect_timeout", "read_timeout", "max_body_bytes",
                 "fetch_deadline", "fetch_concurrency", "max_items",
                 "max_redirects", "per_host_concurrency", "allow_private_addresses", "failure_threshold"],
    "feeds": ["name", "url", "interval", "jitter", "language", "first_poll", "trust", "full_text", "enabled"],
    "actors": ["id", "name", "aliases", "demonyms", "institutions", "people", "alert_new_positions"],
    "topics": ["id", "label", "phrases", "lemmas"],
    "places": ["name", "country", "lat", "lon", "aliases"],
    "detection": ["baseline_update", "first_poll", "min_sources", "trusted_feeds", "casualty_window"],
    "delivery": ["default_channel", "admin_channel", "by_actor", "by_kind", "channels", "per_channel_interval",
                 "retry_backoff", "urgent_killed_at_least"],
}
PEOPLE_KEYS = ["name", "role", "aliases", "since", "until"]
PLAUSIBLE = st.sampled_from([
    "15m", "2h", "1d", "90", "90s", "-5m", "1e309", "0", "x", "", " ", "silent", "alert", "latest 3", "latest -1",
    "https://example.org/feed.xml", "http://", "ftp://example.org/f", "file:///nonexistent", "../seeds/seed-feed.xml",
    "us", "Us", "ceasefire", "UA", "ua", "2025-01-20", "2025-02-30", "22:00-07:00", "25:00-07:00", "Europe/Berlin",
    "Mars/Olympus", "#alerts", "auto", "manual", "hourly", "daily", "immediate", "en_core_web_sm", "\x00", "日本",
])
SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12) | PLAUSIBLE | st.dates())
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=6) | PLAUSIBLE, inner, max_size=3), max_leaves=8)


def record(keys: list[str]) -> st.SearchStrategy[dict]:
    """A mapping with mostly known keys (so validation goes deep) and sometimes an unknown one."""
    return st.dictionaries(st.sampled_from(keys) | st.text(max_size=6), VALUES | PLAUSIBLE, max_size=len(keys))


def section(name: str) -> st.SearchStrategy:
    if name in ("feeds", "topics", "places"):
        return st.lists(record(KEYS[name]), max_size=3) | VALUES
    if name == "actors":
        actor = record(KEYS["actors"]).flatmap(
            lambda base: st.lists(record(PEOPLE_KEYS), max_size=2).map(lambda people: {**base, "people": people}))
        return st.lists(actor | record(KEYS["actors"]), max_size=3) | VALUES
    if name == "delivery":
        channel = st.dictionaries(st.sampled_from(["mode", "quiet_hours", "timezone", "daily_at", "x"]), VALUES | PLAUSIBLE)
        return (record(KEYS[name]).flatmap(lambda base: st.dictionaries(PLAUSIBLE, channel, max_size=2).map(
            lambda channels: {**base, "channels": channels}))) | record(KEYS[name]) | VALUES
    return record(KEYS[name]) | VALUES


DOCUMENT = st.fixed_dictionaries({}, optional={name: section(name) for name in SECTIONS}).flatmap(
    lambda doc: st.dictionaries(st.text(max_size=6), VALUES, max_size=1).map(lambda extra: {**doc, **extra})
) | VALUES


def check(folder: Path) -> None:
    try:
        config = load_config(folder)
    except ConfigError as exc:
        assert exc.problems, "a ConfigError lists at least one problem"
        for problem in exc.problems:
            # the field may be "" only when the offending key itself is the empty string
            assert problem.file and isinstance(problem.field, str) and problem.reason, problem
            assert "Traceback" not in problem.reason and "\n" not in problem.reason, problem
        return
    assert isinstance(config, Config)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(DOCUMENT, min_size=1, max_size=3))
@example(files=[{"feeds": [{"name": "a", "url": "\x00"}]}])  # once a ValueError from Path.resolve()
def test_generated_yaml_loads_or_raises_config_error(files):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i, document in enumerate(files):
            (folder / f"part{i}.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        check(folder)


@settings(max_examples=150, deadline=None)
@given(content=st.binary(max_size=200) | st.text(max_size=200).map(str.encode)
       | st.sampled_from([b"feeds: [", b"- a\n- b", b"settings: !!python/object:os.system {}", b"\xff\xfe\x00",
                          b"a: &x [*x]", b"feeds:\n  - name: a\n    url: *nope", b"---\n---\n", b"{{{{{{{{{{{{"]))
def test_junk_files_raise_config_error(content):
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "config.yaml").write_bytes(content)
        check(Path(tmp))
