"""The Alembic revisions build exactly the schema the models declare, and go down again cleanly."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from bot.store.database import MIGRATIONS, migrate
from bot.store.models import Base


def test_migrations_match_the_models_and_downgrade(tmp_path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'bot.db'}")
    migrate(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004-1")  # to before the quarantine, wherever 0004 sits in the chain
    tables = set(inspect(engine).get_table_names())
    assert "quarantine" not in tables and "feeds" in tables
    assert "skipped_items" not in {c["name"] for c in inspect(engine).get_columns("feeds")}
    engine.dispose()
