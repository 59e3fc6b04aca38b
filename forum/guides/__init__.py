"""Treatment guides: Markdown files in library/, checked at start-up (loader), found by search (search).

The blueprint is in views.py; everything else here is pure and imports no Flask.
"""
