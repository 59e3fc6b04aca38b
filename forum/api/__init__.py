"""JSON endpoints for the site's own scripts."""
from forum.api.views import bp

__all__ = ["bp"]
