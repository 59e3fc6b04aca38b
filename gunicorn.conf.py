"""gunicorn's settings for Kindred, read from the working directory (`make serve`, the benchmarks and a
deployment started in the repository all start there). Command-line flags still win for anything set here."""
from __future__ import annotations

import gc


def post_worker_init(worker) -> None:
    """Once a worker has loaded the app (models, templates' environment, the crisis lexicon and model), put
    everything alive now out of the garbage collector's sight.

    Those ~140,000 long-lived objects never become garbage, yet every full collection walked them all: a pause
    of ~60 ms in the middle of some request, every few hundred requests, which the requests queued behind it
    waited through too (p99). Frozen, a full collection walks only what requests left behind: ~3–5 ms.
    `python bench/gc_pauses.py` measures both. The freeze comes after a collection, so no garbage is kept alive.
    """
    gc.collect()
    gc.freeze()
