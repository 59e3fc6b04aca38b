"""Posts pages."""
from forum.posts import edits  # noqa: F401 - its views register on the same blueprint
from forum.posts.views import bp

__all__ = ["bp"]
