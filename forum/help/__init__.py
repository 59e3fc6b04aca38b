"""Help pages."""
from forum.help.views import bp

__all__ = ["bp"]
