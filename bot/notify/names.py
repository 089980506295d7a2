"""How ids read in a message: actors by their config name, topics and requirements by their config wording.

Every rendering (console, Slack, digests, `alerts show`) takes its words from one `Names`, so an actor is
"United States" wherever a person reads it, and a requirement reads the same in every message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.config import Actor, Config, Topic
from bot.extract.facts import Requirement


def readable(value: str | None) -> str:
    """An id made readable when the config has no name for it ("peace_agreement" → "peace agreement")."""
    if not value:
        return ""
    return value.upper() if len(value) <= 2 and value.isalpha() else value.replace("_", " ")


@dataclass(frozen=True)
class Names:
    actors: Mapping[str, Actor] = field(default_factory=dict)
    topics: Mapping[str, Topic] = field(default_factory=dict)

    @classmethod
    def of(cls, config: Config) -> "Names":
        return cls(actors={a.id: a for a in config.actors}, topics={t.id: t for t in config.topics})

    def actor(self, actor_id: str | None) -> str:
        """"United States" for "us"."""
        known = self.actors.get(actor_id or "")
        return known.name if known else readable(actor_id)

    def speaker(self, actor_id: str | None, name: str | None) -> str:
        """"Marco Rubio (Secretary of State)" when the config knows the person's role, else the name."""
        if not name:
            return ""
        known = self.actors.get(actor_id or "")
        person = next((p for p in known.people if p.name == name), None) if known else None
        return f"{name} ({person.role})" if person and person.role else name

    def topic(self, topic_id: str | None) -> str:
        """A topic's short title, for a field or a heading: "peace agreement"."""
        known = self.topics.get(topic_id or "")
        return known.title if known else readable(topic_id)

    def subject(self, topic_id: str | None) -> str:
        """A subject inside a sentence: "a ceasefire" (the topic's `for` wording), else its title."""
        known = self.topics.get(topic_id or "")
        return (known.wording.for_ if known else "") or self.topic(topic_id)

    def requirement(self, requirement: Requirement) -> str:
        """A requirement with its direction: the topic's wording for that direction, else the article's own
        words, else the title ("no nato membership" for one required not to happen)."""
        known = self.topics.get(requirement.topic)
        if known is not None:
            worded = known.wording.for_ if requirement.direction == "for" else known.wording.against
            if worded:
                return worded
        if requirement.words:
            return requirement.words
        title = self.topic(requirement.topic)
        return title if requirement.direction == "for" else f"no {title}"
