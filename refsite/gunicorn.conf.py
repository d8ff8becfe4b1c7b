"""gunicorn settings: `gunicorn -c refsite/gunicorn.conf.py refsite.wsgi`.

Every value can be overridden by the environment variable named beside it.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The classic rule of thumb for CPU-bound Django: two workers per core, plus one.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Plain sync workers are the fastest for these short, CPU-bound requests (measured:
# docs/benchmarks.md). Set GUNICORN_THREADS above 1 to switch to gthread workers,
# so /status/?sleep= requests hold a thread instead of a whole worker.
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))  # kill a worker stuck this long
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 20))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))  # > the proxy upstream keepalive_timeout
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = 500
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    """Build the search indexes and compile the busiest templates once, in the master.

    With preload_app the workers are forked from the master, so each starts with
    them in memory. Otherwise every new worker, including the one that replaces a
    worker at max_requests, spends about a second on its first requests.
    """
    from django.db import DatabaseError, connections
    from django.template import engines

    from codes.catalogue import get_catalogue
    from guides.library import get_library

    try:
        get_catalogue()
        get_library()
        engines["django"].get_template("codes/detail.html")
        engines["django"].get_template("codes/index.html")
    except DatabaseError as error:  # the workers build them on demand once it is back
        server.log.warning("Warm-up skipped, the database is unreachable: %s", error)
    finally:
        connections.close_all()  # never share a connection with the forked workers
