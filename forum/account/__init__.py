"""Account pages: the member's sign-ins, password, username and recovery code."""
from forum.account.views import bp

__all__ = ["bp"]
