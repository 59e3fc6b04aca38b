"""Python's cyclic garbage collector, run between requests instead of in the middle of them (gunicorn workers).

Why: on Python 3.11 a gunicorn worker under load was sometimes killed by SIGSEGV (heap corruption, met while
SQLAlchemy read or closed the session of a long conversation's page). With automatic collection off in the
workers it never happened (0 of 22 runs of bench/crash_repro.py, against about one run in four with it on), so
a collection that starts at an arbitrary allocation inside a request is part of what sets it off; the fault
itself is in the interpreter (3.12 never showed it). Collecting only once a response has been sent avoids that
moment (0 of 44 runs with this module, 6 of 10 for the same code without it), and it also takes the
collector's pauses (a full collection of a loaded worker is ~50 ms) out of the time a reader waits for a page:
bench/README.md, "A crash under load".

How: `gc.disable()` in the worker, then after each response has gone out, the same decision CPython makes on
its own: a young collection once enough new objects are tracked, an older generation every `threshold`
collections of the one below. `gc.freeze()` first moves everything the loaded app holds out of the collector's
sight, so a full collection looks at what requests left behind, not at the whole app. The price: cyclic garbage
a request makes waits until that request ends (a worker's memory can peak higher inside one very large request).
`flask run` (make run) keeps Python's automatic collection: it is for one person trying the forum.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterable

from werkzeug.wsgi import ClosingIterator


def collect_if_due(thresholds: tuple[int, int, int]) -> int | None:
    """Collect the generation CPython's own thresholds say is due now; the generation collected, or None.

    gc.get_count(): objects tracked since the last young collection, young collections since the last middle
    one, middle collections since the last full one.
    """
    young, middle, full = thresholds
    tracked, young_runs, middle_runs = gc.get_count()
    if tracked <= young:
        return None
    generation = 2 if middle_runs > full else 1 if young_runs > middle else 0  # the oldest one due
    gc.collect(generation)
    return generation


class CollectBetweenRequests:
    """WSGI middleware: collection off while the app answers, run when the server closes the response."""

    def __init__(self, app: Callable, thresholds: tuple[int, int, int] | None = None):
        self.app = app
        self.thresholds = thresholds or gc.get_threshold()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        result = self.app(environ, start_response)
        file_wrapper = environ.get("wsgi.file_wrapper")
        if isinstance(file_wrapper, type) and isinstance(result, file_wrapper):
            return result  # a file the server may send with sendfile(): left as it is; the next request collects
        return ClosingIterator(result, self._after_response)

    def _after_response(self) -> None:
        collect_if_due(self.thresholds)


def install_in_worker(app: Callable) -> CollectBetweenRequests:
    """For gunicorn's post_worker_init: the app is loaded and no request has come in yet."""
    wrapped = CollectBetweenRequests(app)
    gc.collect()
    gc.freeze()
    gc.disable()
    return wrapped
