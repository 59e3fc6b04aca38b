"""Crisis detection for Kindred posts (placeholder docstring, rewritten below)."""

from .detector import Assessment, Category, Level, Match, assess
from .hotlines import Hotline, directory_entries, hotlines_for, load_hotlines

__all__ = [
    "assess", "Assessment", "Level", "Category", "Match",
    "Hotline", "load_hotlines", "hotlines_for", "directory_entries",
]
