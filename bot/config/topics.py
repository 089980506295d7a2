"""Topics normalise subjects and requirements to stable ids, and say how to write them in a message."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from bot.config.actors import SLUG
from bot.config.base import Strict


class Wording(Strict):
    """How a message writes a topic that is required (`for`: "NATO membership for Ukraine") or required
    not to happen (`against`: "Ukraine renouncing NATO")."""

    model_config = ConfigDict(populate_by_name=True)

    for_: str = Field(default="", alias="for", description="the topic happening, granted or continuing")
    against: str = Field(default="", description="the topic renounced, halted, withdrawn or ruled out")


class Topic(Strict):
    id: str = Field(pattern=SLUG)
    label: str = ""
    phrases: tuple[str, ...] = Field(default=(), description="multi-word phrases matched on lemmas, case-insensitive")
    lemmas: tuple[str, ...] = Field(default=(), description="single lemmas that name the topic")
    wording: Wording = Wording()
    against: tuple[str, ...] = Field(default=(), description="phrases that name the topic renounced or halted "
                                     "(\"neutrality\" is NATO membership renounced)")
    called: tuple[str, ...] = Field(default=(), description="words a story that has named the topic uses for it "
                                    "alone (\"the deal\", \"the agreement\")")

    @property
    def title(self) -> str:
        return self.label or self.id.replace("_", " ")


class Place(Strict):
    """A gazetteer addition: a place name and its spellings."""

    name: str = Field(min_length=1)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    aliases: tuple[str, ...] = ()
    admin: str | None = Field(default=None, description="the region the place lies in, for event identity")
