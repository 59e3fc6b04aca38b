"""Auth pages."""
from forum.auth.views import bp

__all__ = ["bp"]
