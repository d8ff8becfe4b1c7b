"""gunicorn settings: `gunicorn -c refsite/gunicorn.conf.py refsite.wsgi`.

Every value comes from ``settings.GUNICORN``, which ``refsite/settings.py``
reads from the environment (``GUNICORN_BIND``, ``GUNICORN_WORKERS``, ...)
through the same typed helpers as every other setting.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refsite.settings")

from django.conf import settings  # noqa: E402  (the settings module name must be set first)

_config = settings.GUNICORN
bind = _config["bind"]
workers = _config["workers"]
threads = _config["threads"]
worker_class = "gthread" if threads > 1 else "sync"
timeout = _config["timeout"]  # kill a worker stuck this long
graceful_timeout = _config["graceful_timeout"]
keepalive = _config["keepalive"]
max_requests = _config["max_requests"]
max_requests_jitter = 500
preload_app = True
accesslog = _config["accesslog"]
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = _config["forwarded_allow_ips"]


def when_ready(server):
    """Build the read models and compile the busiest templates once, in the master.

    With preload_app the workers are forked from the master, so each starts with
    them in memory. Otherwise every new worker, including the one that replaces a
    worker at max_requests, spends about a second on its first requests. What to
    build is named in ``settings.WARM_UP``; this file knows no app.
    """
    from django.db import DatabaseError, connections
    from django.template import engines
    from django.utils.module_loading import import_string

    try:
        for name in settings.WARM_UP:
            import_string(name)()
        for template in settings.WARM_UP_TEMPLATES:
            engines["django"].get_template(template)
    except DatabaseError as error:  # the workers build them on demand once it is back
        server.log.warning("Warm-up skipped, the database is unreachable: %s", error)
    finally:
        connections.close_all()  # never share a connection with the forked workers
