"""The app factory, configuration and the headers every page carries."""
import re

import pytest
import sqlalchemy as sa

from config import DEV_SECRET_KEY, normalise_database_url
from forum import create_app
from forum.extensions import db
from tests.helpers import make_post


def test_overrides_win_over_the_config_class():
    app = create_app({"FLASK_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://", "POSTS_PER_PAGE": 7})
    assert app.config["TESTING"] and app.config["POSTS_PER_PAGE"] == 7


def test_production_refuses_the_development_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"FLASK_CONFIG": "production", "SECRET_KEY": DEV_SECRET_KEY})


def test_production_starts_with_a_real_secret_key():
    app = create_app({"FLASK_CONFIG": "production", "SECRET_KEY": "x" * 64, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def sqlite_pragmas(engine: sa.Engine) -> tuple[int, str]:
    with engine.connect() as connection:
        return (connection.exec_driver_sql("PRAGMA foreign_keys").scalar(),
                connection.exec_driver_sql("PRAGMA journal_mode").scalar())


def test_sqlite_pragmas_are_set_on_the_apps_engine_and_no_other(tmp_path):
    app = create_app({"FLASK_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.db'}"})
    other = sa.create_engine(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        with app.app_context():
            assert sqlite_pragmas(db.engine) == (1, "wal")
        assert sqlite_pragmas(other) == (0, "delete")
    finally:
        other.dispose()
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("url,expected", [
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:///x.db", "sqlite:///x.db"),
])
def test_database_urls_use_psycopg_3(url, expected):
    assert normalise_database_url(url) == expected


PAGES = ["/", "/needs-reply", "/tags", "/tags/Depression", "/posts/{post}", "/u/river_stone", "/help",
         "/login", "/register", "/no-such-page"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_links_to_help_and_loads_nothing_from_elsewhere(client, member, path):
    post = make_post(member)
    response = client.get(path.format(post=post.id))
    html = response.get_data(as_text=True)
    assert 'href="/help"' in html and "Get help now" in html
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    # Strict CSP-ready: no inline scripts, inline styles or handlers; nothing fetched from other hosts.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)
    assert not re.search(r'(src|href)="(https?:)?//(?!127\.0\.0\.1)', html.split("<main", 1)[0])


def test_static_assets_are_served(client):
    for path in ("/static/css/kindred.css", "/static/js/kindred.js", "/static/img/logo.svg"):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()
