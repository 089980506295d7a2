"""Load and validate the configuration: a folder of YAML files (or one file) into one immutable Config."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError

from bot.config.actors import Actor, Person
from bot.config.base import Strict, parse_duration
from bot.config.delivery import ChannelPolicy, Delivery
from bot.config.detection import Detection
from bot.config.feeds import Feed
from bot.config.settings import Settings
from bot.config.topics import Place, Topic
from bot.errors import ConfigError, ConfigProblem

__all__ = [
    "Actor", "ChannelPolicy", "Config", "Delivery", "Detection", "Feed", "Person", "Place", "Settings",
    "Topic", "config_warnings", "load_config", "parse_duration", "ALERT_KINDS",
]

ALERT_KINDS = ("position_shift", "new_position", "casualty_event", "casualty_update", "feed_health")
DEFAULT_CONFIG_DIR = "config"

# libyaml when installed (a config of a thousand feeds reads in milliseconds, not a second)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Config(Strict):
    settings: Settings = Settings()
    feeds: tuple[Feed, ...] = ()
    actors: tuple[Actor, ...] = ()
    topics: tuple[Topic, ...] = ()
    places: tuple[Place, ...] = ()
    detection: Detection = Detection()
    delivery: Delivery = Delivery()
    source_dir: str = Field(default=".", exclude=True)

    def actor(self, actor_id: str) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def feed(self, name: str) -> Feed | None:
        return next((f for f in self.feeds if f.name == name), None)


_LIST_SECTIONS = {"feeds", "actors", "topics", "places"}
_MAP_SECTIONS = {"settings", "detection", "delivery"}


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read every *.yaml / *.yml in a folder (sorted) or one file; raise ConfigError listing every problem."""
    root = Path(path or os.environ.get("DISCOURSE_BOT_CONFIG") or DEFAULT_CONFIG_DIR)
    if root.is_dir():
        files = sorted([*root.glob("*.yaml"), *root.glob("*.yml")])
    elif root.is_file():
        files = [root]
    else:
        raise ConfigError([ConfigProblem(str(root), "-", "no such file or folder")])

    problems: list[ConfigProblem] = []
    sections: dict[str, Any] = {}
    origin: dict[tuple[str, int | None], str] = {}  # (section, index) -> file, to name the file of an error
    for file in files:
        try:
            data = yaml.load(file.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            problems.append(ConfigProblem(str(file), "-", f"not valid YAML: {_one_line(exc)}"))
            continue
        if not isinstance(data, dict):
            problems.append(ConfigProblem(str(file), "-", "must be a mapping of sections"))
            continue
        for key, value in data.items():
            if key in _LIST_SECTIONS:
                if not isinstance(value, list):
                    problems.append(ConfigProblem(str(file), key, "must be a list"))
                    continue
                items = sections.setdefault(key, [])
                for item in value:
                    origin[(key, len(items))] = str(file)
                    items.append(_resolve_feed_path(item, file.parent) if key == "feeds" else item)
            elif key in _MAP_SECTIONS:
                if key in sections:
                    problems.append(ConfigProblem(str(file), key, f"already given in {origin[(key, None)]}"))
                    continue
                origin[(key, None)] = str(file)
                sections[key] = value
            else:
                known = ", ".join(sorted(_LIST_SECTIONS | _MAP_SECTIONS))
                problems.append(ConfigProblem(str(file), str(key), f"unknown section (known: {known})"))

    config: Config | None = None
    try:
        config = Config(**sections, source_dir=str(root if root.is_dir() else root.parent))
    except ValidationError as exc:
        for error in exc.errors():
            loc = error["loc"]
            section = str(loc[0]) if loc else "-"
            index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) and section in _LIST_SECTIONS else None
            where = origin.get((section, index), str(root))
            reason = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
            if error["type"] == "missing":
                reason = "required but missing"
            problems.append(ConfigProblem(where, _field_path(loc), reason.removeprefix("Value error, ")))
    if config is not None:
        problems.extend(_cross_checks(config, origin, str(root)))
    if problems:
        raise ConfigError(problems)
    assert config is not None
    return config


def config_warnings(config: Config) -> list[str]:
    """What makes a valid config useless: no file read, nothing to poll, nobody to watch."""
    folder = Path(config.source_dir)
    warnings = []
    if folder.is_dir() and not any([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        warnings.append(f"{folder}: no *.yaml files in this folder (is it the config folder?)")
    if not any(f.enabled for f in config.feeds):
        warnings.append("feeds: no feed to poll" + (" (every feed is disabled)" if config.feeds else ""))
    if not config.actors:
        warnings.append("actors: no actor to watch, so no position can be found")
    return warnings


def _resolve_feed_path(item: Any, folder: Path) -> Any:
    """A feed path is relative to the file that names it."""
    if isinstance(item, dict) and isinstance(item.get("url"), str):
        url = item["url"]
        if "://" not in url and not os.path.isabs(url) and "\x00" not in url:  # a NUL byte cannot be a path
            item = {**item, "url": str((folder / url).resolve())}
    return item


def _field_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "-"


def _cross_checks(config: Config, origin: dict[tuple[str, int | None], str], root: str) -> list[ConfigProblem]:
    problems: list[ConfigProblem] = []

    def dupes(section: str, keys: list[str]) -> None:
        seen: set[str] = set()
        for i, key in enumerate(keys):
            if key in seen:
                problems.append(ConfigProblem(origin.get((section, i), root), f"{section}[{i}]", f"duplicate {key!r}"))
            seen.add(key)

    dupes("feeds", [f.name for f in config.feeds])

    dupes("actors", [a.id for a in config.actors])
    dupes("topics", [t.id for t in config.topics])
    actor_ids = {a.id for a in config.actors}
    where = origin.get(("delivery", None), root)
    for actor_id in config.delivery.by_actor:
        if actor_id not in actor_ids:
            problems.append(ConfigProblem(where, f"delivery.by_actor.{actor_id}", "no actor has this id"))
    for kind in config.delivery.by_kind:
        if kind not in ALERT_KINDS:
            problems.append(ConfigProblem(where, f"delivery.by_kind.{kind}", f"unknown alert kind (known: {', '.join(ALERT_KINDS)})"))
    feed_names = {f.name for f in config.feeds}
    for name in config.detection.trusted_feeds:
        if name not in feed_names:
            problems.append(ConfigProblem(origin.get(("detection", None), root), "detection.trusted_feeds", f"no feed named {name!r}"))
    return problems


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
