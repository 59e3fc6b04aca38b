"""Kindred: a small, fast, self-hostable peer-support forum."""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, CONFIGS, HOW_TO_MAKE_A_SECRET_KEY, INSTANCE_DIR, weak_secret_key_reason


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: pick a config by FLASK_CONFIG, apply overrides, wire everything up."""
    overrides = dict(config or {})
    config_name = overrides.pop("FLASK_CONFIG", None) or os.environ.get("FLASK_CONFIG", "development")
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    app.config.from_object(CONFIGS[config_name])
    app.config.from_mapping(overrides)
    refuse_unsafe_production_config(app, config_name)
    trust_proxies(app)
    os.makedirs(app.instance_path, exist_ok=True)

    from forum import cli, crisis, errors, web
    from forum.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    web.register(app)
    errors.register(app)
    cli.register(app)
    crisis.warm_up()  # the crisis lexicon compiled and its model loaded now, not on a member's first post
    return app


def trust_proxies(app: Flask) -> None:
    """Read the visitor's address and scheme from the headers of the TRUSTED_PROXIES proxies in front of us.

    Without this, behind a proxy every visitor has the proxy's address and shares one rate-limit bucket;
    with more hops than there really are, anyone could choose their own address by sending the header.
    Only X-Forwarded-For and -Proto are read: a proxy that doesn't overwrite X-Forwarded-Host would let a
    visitor choose the host our links point to.
    """
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


def refuse_unsafe_production_config(app: Flask, config_name: str) -> None:
    """Stop a production start whose sessions could be forged: a short SECRET_KEY, or one anyone can look up."""
    if config_name != "production":
        return
    reason = weak_secret_key_reason(app.config.get("SECRET_KEY"))
    if reason:
        raise RuntimeError(
            f"Refusing to start in production: {reason}. Set SECRET_KEY to a long random value made with "
            f"{HOW_TO_MAKE_A_SECRET_KEY}"
        )
