"""The search page."""
from forum.search.views import bp

__all__ = ["bp"]
