"""Consistent copies of the forum's database, taken while it serves, and restoring one into an empty database.

SQLite is copied with its online backup API, which reads one snapshot however many members are writing;
PostgreSQL with `pg_dump --format=custom`, restored by `pg_restore`. No Flask here: each function takes a
SQLAlchemy URL and a path, and anything that stops it is a `BackupError` whose message says what to do.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
#: Alembic's table: it travels with the data, so `flask db upgrade` knows where a restored schema stands.
SCHEMA_VERSION_TABLE = "alembic_version"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do instead."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    #: "sqlite" or "postgresql"
    kind: str
    #: How it was made, for the operator: "SQLite's online backup API" or "pg_dump --format=custom".
    method: str


@dataclass(frozen=True)
class Restore:
    kind: str
    method: str
    #: The schema revision that came with the data (None when the backup had no alembic_version row).
    revision: str | None


def backup_database(url: str | sa.URL, path: str | os.PathLike, force: bool = False) -> Backup:
    """Write a consistent copy of the database at `url` to `path`; refuse to replace a file unless `force`."""
    url = sa.make_url(url)
    kind = database_kind(url)
    path = Path(path)
    refuse_unwritable(path, force)
    if kind == "sqlite":
        source = sqlite_file(url)
        if not source.is_file():
            raise BackupError(f"There is no SQLite database at {source}: nothing to back up.")
        if path.resolve() == source.resolve():
            raise BackupError(f"{path} is the database itself; write the backup somewhere else.")
        write_atomically(path, lambda partial: copy_sqlite(source, partial))
        method = "SQLite's online backup API"
    else:
        pg_dump = client_program("pg_dump")
        conninfo, env = libpq_connection(url)
        write_atomically(path, lambda partial: run(
            [pg_dump, "--format=custom", f"--file={partial}", f"--dbname={conninfo}"], env, "pg_dump"))
        method = "pg_dump --format=custom"
    return Backup(path=path, size=path.stat().st_size, kind=kind, method=method)


def restore_database(url: str | sa.URL, path: str | os.PathLike) -> Restore:
    """Restore the backup at `path` into the empty database at `url`; refuse a database that holds rows."""
    url = sa.make_url(url)
    kind = database_kind(url)
    path = Path(path)
    found = backup_kind(path)
    if found != kind:
        described = {"sqlite": "a SQLite backup", "postgresql": "a PostgreSQL backup (pg_dump's custom format)"}
        raise BackupError(f"{path} is {described[found]}, but the database to restore into is "
                          f"{'SQLite' if kind == 'sqlite' else 'PostgreSQL'}; restore it into the kind it came from.")
    if kind == "sqlite":
        target = sqlite_file(url)
        check_sqlite_backup(path)
        if target.exists():
            refuse_non_empty(url, require_no_tables=False)
            copy_sqlite(path, target)
            method = "SQLite's online backup API"
        else:
            if not target.parent.is_dir():
                raise BackupError(f"The folder {target.parent} does not exist; create it, then restore again.")
            write_atomically(target, lambda partial: shutil.copyfile(path, partial))
            method = "a copy of the backup file"
    else:
        pg_restore = client_program("pg_restore")
        listing = run([pg_restore, "--list", str(path)], None, "pg_restore --list")
        if f" {SCHEMA_VERSION_TABLE} " not in listing:
            raise BackupError(f"{path} holds no {SCHEMA_VERSION_TABLE} table: it is not a backup of Kindred.")
        refuse_non_empty(url, require_no_tables=True)
        conninfo, env = libpq_connection(url)
        # One transaction: a restore that fails part-way leaves the database empty, ready to try again.
        run([pg_restore, "--no-owner", "--single-transaction", f"--dbname={conninfo}", str(path)], env, "pg_restore")
        method = "pg_restore --no-owner"
    return Restore(kind=kind, method=method, revision=schema_revision(url))


# --- SQLite ----------------------------------------------------------------------------------------

def copy_sqlite(source: Path, destination: Path) -> None:
    """Copy one snapshot of `source` over `destination` page by page with SQLite's backup API.

    All pages are copied in one step (pages=-1) inside one read transaction: in WAL mode the forum's writers
    carry on meanwhile, and a step-wise copy would start again after every write on a busy forum.
    """
    try:
        with closing(sqlite3.connect(source, timeout=30)) as reader, \
                closing(sqlite3.connect(destination, timeout=30)) as writer:
            reader.backup(writer)
            # A single self-contained file, whatever journal mode the source was in.
            writer.execute("PRAGMA journal_mode=DELETE")
            if writer.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"The copy written to {destination} failed SQLite's quick_check.")
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy {source} to {destination}: {error}.") from None


def check_sqlite_backup(path: Path) -> None:
    """Refuse a backup that SQLite finds damaged or that is not Kindred's."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (SQLite's quick_check failed); restore another copy.")
            tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as error:
        raise BackupError(f"SQLite cannot read {path}: {error}.") from None
    if SCHEMA_VERSION_TABLE not in tables:
        raise BackupError(f"{path} holds no {SCHEMA_VERSION_TABLE} table: it is not a backup of Kindred.")


def sqlite_file(url: sa.URL) -> Path:
    if url.database in (None, "", ":memory:") or url.query.get("mode") == "memory":
        raise BackupError("The database is SQLite in memory: it has no file to back up or restore into.")
    return Path(url.database)


# --- PostgreSQL ------------------------------------------------------------------------------------

def libpq_connection(url: sa.URL) -> tuple[str, dict[str, str]]:
    """Return a libpq URL for the client programs (no `+psycopg`, no password) and their environment.

    The password goes in PGPASSWORD rather than on the command line, where any user could read it in `ps`.
    """
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    conninfo = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return conninfo, env


def client_program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found on PATH. Install PostgreSQL's client programs (on Debian and "
                          f"Ubuntu: apt install postgresql-client), of the server's major version or newer.")
    return found


def run(command: list[str], env: dict[str, str] | None, name: str) -> str:
    """Run a PostgreSQL client program; return its output, or raise with what it said on failure."""
    try:
        finished = subprocess.run(command, env=env, capture_output=True, text=True)
    except OSError as error:
        raise BackupError(f"{name} could not be started: {error}.") from None
    if finished.returncode != 0:
        said = finished.stderr.strip() or finished.stdout.strip() or f"exit status {finished.returncode}"
        raise BackupError(f"{name} failed: {said}")
    return finished.stdout


# --- Both ------------------------------------------------------------------------------------------

def database_kind(url: sa.URL) -> str:
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups know SQLite and PostgreSQL, not {backend}.")
    return backend


def backup_kind(path: Path) -> str:
    """Tell a SQLite file from a pg_dump archive by their first bytes."""
    try:
        with open(path, "rb") as file:
            head = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise BackupError(f"There is no backup at {path}.") from None
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
    if head == SQLITE_HEADER:
        return "sqlite"
    if head.startswith(PG_DUMP_HEADER):
        return "postgresql"
    raise BackupError(f"{path} is neither a SQLite database nor a pg_dump custom-format archive.")


def refuse_non_empty(url: sa.URL, require_no_tables: bool) -> None:
    """Refuse to restore over anything: any table holding rows, or (for pg_restore) any table at all."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            tables = [name for name in sa.inspect(connection).get_table_names() if name != SCHEMA_VERSION_TABLE]
            holding = [name for name in tables
                       if connection.scalar(sa.select(sa.literal(1)).select_from(sa.table(name)).limit(1))]
    except sa.exc.SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        raise BackupError(f"Cannot look into the database to restore into: {reason}") from None
    finally:
        engine.dispose()
    where = database_label(url)
    where = where[0].upper() + where[1:]
    if holding:
        raise BackupError(f"{where} is not empty ({', '.join(sorted(holding))} hold rows). Restore only into an "
                          f"empty database: create a new one, point DATABASE_URL at it, and restore again.")
    if tables and require_no_tables:
        raise BackupError(f"{where} already has Kindred's tables (with no rows; was `flask db upgrade` run on "
                          f"it?). pg_restore creates them itself: drop and create the database again "
                          f"(dropdb, createdb), then restore.")


def schema_revision(url: sa.URL) -> str | None:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table(SCHEMA_VERSION_TABLE):
                return None
            return connection.execute(sa.text(f"SELECT version_num FROM {SCHEMA_VERSION_TABLE}")).scalar()
    except sa.exc.SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def database_label(url: sa.URL) -> str:
    """Name the database for a message, without its password."""
    if url.get_backend_name() == "sqlite":
        return f"the SQLite database {url.database}"
    return f"the PostgreSQL database {url.render_as_string(hide_password=True)}"


def refuse_unwritable(path: Path, force: bool) -> None:
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give the backup a file name inside it.")
    if path.exists() and not force:
        raise BackupError(f"{path} already exists; choose a new name, or pass --force to replace it.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist; create it first.")
    if not os.access(path.parent, os.W_OK):
        raise BackupError(f"Cannot write in {path.parent}: permission denied.")


def write_atomically(path: Path, write) -> None:
    """Have `write(partial)` fill a private temporary file beside `path`, then move it into place.

    A failed or interrupted run leaves no half-written file under the final name (and an older copy
    being replaced with --force stays whole until the new one is complete). The file is readable by
    its owner only: it holds members' words and health data.
    """
    try:
        handle, partial_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    except OSError as error:
        raise BackupError(f"Cannot write in {path.parent}: {error.strerror}.") from None
    os.close(handle)
    partial = Path(partial_name)
    try:
        write(partial)
        with open(partial, "rb+") as file:
            os.fsync(file.fileno())
        os.replace(partial, path)
    except OSError as error:
        raise BackupError(f"Cannot write {path}: {error.strerror or error}.") from None
    finally:
        partial.unlink(missing_ok=True)
