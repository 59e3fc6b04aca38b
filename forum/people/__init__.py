"""People pages."""
from forum.people.views import bp

__all__ = ["bp"]
