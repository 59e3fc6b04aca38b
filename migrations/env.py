"""Alembic environment for Kindred: the schema comes only from these migrations.

Run through Flask-Migrate (`flask --app forum db upgrade`), which supplies the app, its engine and
`render_as_batch=True` so ALTERs work on SQLite too.
"""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from forum.models.base import UTCDateTime
from forum.services.search.schema import include_object

if context.config.config_file_name:
    fileConfig(context.config.config_file_name, disable_existing_loggers=False)
log = logging.getLogger("alembic.env")

migrate_ext = current_app.extensions["migrate"]
target_metadata = migrate_ext.db.metadata


def render_item(type_, obj, autogen_context):
    """Write our UTC timestamp type as the plain column type it stores."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def skip_empty_revision(migration_context, revision, directives):
    """`flask db migrate` with no model change writes no empty revision file."""
    if getattr(context.config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        log.info("No changes in schema detected.")


def run_migrations_offline() -> None:
    context.configure(url=str(migrate_ext.db.engine.url), target_metadata=target_metadata,
                      literal_binds=True, render_item=render_item, compare_type=True,
                      include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    options = {"process_revision_directives": skip_empty_revision, "render_item": render_item,
               "compare_type": True, "include_object": include_object, **migrate_ext.configure_args}
    with migrate_ext.db.engine.connect() as connection:
        on_sqlite = connection.dialect.name == "sqlite"
        if on_sqlite:
            # To alter a table SQLite copies it and drops the original. The app turns foreign keys
            # on for every connection, and then that DROP cascades: replies, hearts and tags of
            # every post would vanish. The pragma only takes effect outside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            context.configure(connection=connection, target_metadata=target_metadata, **options)
            with context.begin_transaction():
                context.run_migrations()
            if on_sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left rows pointing at nothing: {broken[:5]}")
        finally:
            if on_sqlite:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
