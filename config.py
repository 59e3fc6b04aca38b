"""Configuration classes, read from the environment.

`create_app()` picks one by `FLASK_CONFIG` (development, testing, production); overrides passed to
`create_app(config={...})` win over all of them.
"""
from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

#: Known only to development machines; production refuses to start with it.
DEV_SECRET_KEY = "kindred-development-only-secret-key"
#: Anyone who can guess the key can sign a session cookie for any member, so production wants a long random one.
MIN_SECRET_KEY_LENGTH = 32
#: Keys published here or in countless examples: production refuses them whatever their length (case ignored).
KNOWN_SECRET_KEYS = frozenset({
    DEV_SECRET_KEY, "kindred-test-secret-key", "changeme", "change-me", "change_me", "changethis", "secret",
    "secret-key", "secret_key", "secretkey", "mysecret", "my-secret-key", "your-secret-key", "your_secret_key",
    "supersecret", "super-secret-key", "dev", "development", "devkey", "dev-key", "test", "testing", "default",
    "password", "kindred", "replace-me", "please-change-me", "not-a-secret", "insecure",
})
HOW_TO_MAKE_A_SECRET_KEY = "python -c 'import secrets; print(secrets.token_hex(32))'"


def weak_secret_key_reason(key: str | bytes | None) -> str | None:
    """Say why `key` must not sign production sessions, or None when it is long and not a known default."""
    if not key:
        return "SECRET_KEY is not set"
    text = key.decode(errors="replace") if isinstance(key, bytes) else str(key)
    if text.strip().lower() in KNOWN_SECRET_KEYS:
        return "SECRET_KEY is a published default"
    if len(text) < MIN_SECRET_KEY_LENGTH:
        return f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters"
    return None


def database_url_from_env(default: str) -> str:
    """Return DATABASE_URL, pointed at psycopg 3 for PostgreSQL URLs."""
    return normalise_database_url(os.environ.get("DATABASE_URL") or default)


def normalise_database_url(url: str) -> str:
    """Map `postgres://` and `postgresql://` URLs onto the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = database_url_from_env(f"sqlite:///{INSTANCE_DIR / 'kindred.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None
    # Shared limits across app servers need Redis; one process can count in memory.
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    # Redis away must not stop anyone posting or asking for help: limits are then counted in this process's
    # memory (said once in the log, see forum.extensions) until Redis answers again, and an error talking
    # to it is logged rather than failing the request. Short timeouts keep a hung Redis from hanging pages.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    # No X-RateLimit-* headers: filling them in asks Redis again after the view has committed, and a Redis lost
    # at that moment would answer a saved post with an error (or, as it is, flip limits to memory for nothing).
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "kindred")
    #: RATELIMIT_ENABLED=0 turns every limit off: for load benchmarks, or behind a proxy that limits already.
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"
    #: How many reverse proxies stand in front of the app (each adds to X-Forwarded-For); 0 trusts no header.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # A post is at most 20,000 characters; a megabyte leaves room for any form and stops abuse.
    MAX_CONTENT_LENGTH = 1024 * 1024
    # Forms carrying a member's words stay valid for a long writing session.
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    POSTS_PER_PAGE = 20
    #: Visitors without a cookie are served reading pages kept this many seconds, unless anything was written
    #: since (forum.page_cache); 0 turns it off. At most PAGE_CACHE_ENTRIES pages per worker process.
    PAGE_CACHE_SECONDS = float(os.environ.get("PAGE_CACHE_SECONDS", "5"))
    PAGE_CACHE_ENTRIES = int(os.environ.get("PAGE_CACHE_ENTRIES", "512"))
    #: Post cards kept as HTML per worker process, keyed by what they show (forum.card_cache); 0 turns it off.
    CARD_CACHE_ENTRIES = int(os.environ.get("CARD_CACHE_ENTRIES", "2048"))
    #: Top-level replies per page of a post, each with its answers; a 500-reply thread was 356 KiB on one page.
    REPLIES_PER_PAGE = 50
    #: Crisis items waiting longer than this are highlighted in the moderation queue, and alerted about by
    #: `flask --app forum moderation alert` when a webhook or email is set below.
    CRISIS_ALERT_MINUTES = int(os.environ.get("CRISIS_ALERT_MINUTES", "15"))
    #: The forum's public address, e.g. https://kindred.example: alerts carry a link to the item, and need it.
    SITE_URL = os.environ.get("SITE_URL", "")
    #: Alerts are off unless one of these is set. The webhook gets a JSON POST with the item's link only.
    MODERATOR_WEBHOOK_URL = os.environ.get("MODERATOR_WEBHOOK_URL", "")
    #: Email alerts: comma-separated moderator addresses, sent through the operator's SMTP server.
    ALERT_EMAIL_TO = os.environ.get("ALERT_EMAIL_TO", "")
    ALERT_EMAIL_FROM = os.environ.get("ALERT_EMAIL_FROM", "")
    SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    #: "starttls" (port 587), "ssl" (port 465) or "none" (only for a relay on this machine).
    SMTP_SECURITY = os.environ.get("SMTP_SECURITY", "starttls")
    #: A new member's first this-many posts wait for a moderator's approval; 0 = off.
    NEW_MEMBER_HOLD_POSTS = int(os.environ.get("NEW_MEMBER_HOLD_POSTS", "0"))
    #: Country whose hotlines lead the help page when a member has not chosen one (ISO 3166 alpha-2).
    DEFAULT_COUNTRY = os.environ.get("DEFAULT_COUNTRY", "US")
    #: Unsettled flags from this many different members hide visible content until a moderator looks.
    FLAG_HIDE_THRESHOLD = int(os.environ.get("FLAG_HIDE_THRESHOLD", "3"))
    #: Flags from accounts younger than this many hours (or that have written nothing) reach the queue but
    #: don't count toward auto-hiding: a few throwaway accounts must not be able to hide anyone's words.
    FLAG_MIN_ACCOUNT_AGE_HOURS = float(os.environ.get("FLAG_MIN_ACCOUNT_AGE_HOURS", "24"))
    SITE_NAME = os.environ.get("SITE_NAME", "Kindred")
    #: A search ranks at most this many of the newest matching posts, and as many replies, that the viewer
    #: may see (forum.services.search.NEWEST_MATCHES): older matches of a very common word are not found.
    SEARCH_NEWEST_MATCHES = int(os.environ.get("SEARCH_NEWEST_MATCHES", "2000"))


class DevelopmentConfig(Config):
    DEBUG = False  # the debugger stays off unless asked for with --debug


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "kindred-test-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    PAGE_CACHE_SECONDS = 0  # tests write around the app (fixtures, raw SQL); tests/test_page_cache.py turns it on
    WTF_CSRF_ENABLED = True


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "https"
    #: Browsers keep to HTTPS for a year once they have seen this (sent only by this config).
    STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestConfig,
    "production": ProductionConfig,
}
