"""What the tests that start a site in a subprocess share: a free port, manage.py.

gunicorn, nginx, runserver and redis-server in tests bind 127.0.0.1 on a port
the kernel hands out, and set their site up with the project's own commands.
"""

import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *command: str, timeout: float = 300) -> str:
    """Run ``manage.py <command>`` with ``env``; fail the test with its stderr if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout
