"""gunicorn's settings for Kindred (read from this directory by default: `make serve`, the benchmarks).

Each worker runs Python's cyclic garbage collector between requests, not inside them: forum/collector.py says
why (a Python 3.11 crash under load, and ~50 ms pauses in the middle of a page).
"""


def post_worker_init(worker):
    from forum.collector import install_in_worker

    worker.wsgi = install_in_worker(worker.wsgi)
