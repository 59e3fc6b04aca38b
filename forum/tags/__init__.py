"""Tags pages."""
from forum.tags.views import bp

__all__ = ["bp"]
