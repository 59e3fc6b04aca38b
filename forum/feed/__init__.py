"""Feed pages."""
from forum.feed.views import bp

__all__ = ["bp"]
