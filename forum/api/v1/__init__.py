"""The JSON API at /api/v1: reading the forum, and writing as a member (session with CSRF, or a personal
access token). Described exactly by its OpenAPI document (forum.api.v1.openapi)."""
from forum.api.v1 import reading, writing  # noqa: F401  (they add their routes to the blueprint)
from forum.api.v1.blueprint import bp

__all__ = ["bp"]
