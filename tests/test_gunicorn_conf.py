"""gunicorn.conf.py: what a worker does once it has loaded the app."""
from __future__ import annotations

import gc
import runpy
import weakref
from pathlib import Path

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


class _Node:
    def __init__(self):
        self.me = self  # a cycle: only the collector frees it


def test_a_worker_freezes_what_it_holds_once_the_app_is_loaded(app):
    settings = runpy.run_path(str(CONF))
    garbage = _Node()
    gone = weakref.ref(garbage)
    del garbage
    try:
        assert gc.get_freeze_count() == 0
        settings["post_worker_init"](None)
        assert gc.get_freeze_count() > 1000  # the app's objects, out of every later collection's way
        assert gone() is None  # collected first: garbage isn't frozen alive
    finally:
        gc.unfreeze()
