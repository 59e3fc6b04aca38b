"""JSON endpoints: the site's own scripts' (/api/crisis/check), the public JSON API (/api/v1) with its docs page
(/api), and the settings page where members make and revoke their access tokens."""
from forum.api import docs  # noqa: F401  (adds the docs page to the blueprint)
from forum.api.tokens import bp as tokens_bp
from forum.api.v1 import bp as v1_bp
from forum.api.views import bp

__all__ = ["bp", "tokens_bp", "v1_bp"]
