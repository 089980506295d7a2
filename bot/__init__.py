"""discourse-bot: watches news feeds for what actors state and what happens, and alerts on change."""

__version__ = "0.1.0"
