"""Faults to inject in tests: a TCP proxy that can freeze, and a redis-server of our own.

A frozen proxy behaves like a hung server: connections are accepted (the kernel
ACKs every byte) but no answer ever comes back, so only client-side timeouts end
the wait. Both bind 127.0.0.1 on a free port and stop when their ``with`` ends;
nothing here touches the machine's own PostgreSQL or Redis beyond forwarding.
"""

import select
import shutil
import socket
import subprocess
import threading
import time

from tests.servers import free_port


class FreezableProxy:
    """Forwards 127.0.0.1:<port> to ``target`` until frozen; frozen, it reads nothing.

    With no target, every connection is accepted and never answered: a hung server.
    """

    def __init__(self, target: tuple[str, int] | None = None):
        self.target = target
        self._flowing = threading.Event()
        self._flowing.set()
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []

    def __enter__(self):
        self._spawn(self._accept)
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._flowing.set()
        for thread in self._threads:
            thread.join(timeout=2)
        for sock in [self._listener, *self._sockets]:
            sock.close()

    def freeze(self) -> None:
        self._flowing.clear()

    def thaw(self) -> None:
        self._flowing.set()

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._sockets.append(client)
            if self.target is None:
                continue  # hold it open, answer nothing
            upstream = socket.create_connection(self.target, timeout=5)
            self._sockets.append(upstream)
            self._spawn(self._pump, client, upstream)
            self._spawn(self._pump, upstream, client)

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        while not self._stop.is_set():
            if not self._flowing.wait(0.1):
                continue
            try:
                ready, _, _ = select.select([source], [], [], 0.1)
                if not ready or not self._flowing.is_set():
                    continue
                data = source.recv(65536)
                if not data:
                    sink.shutdown(socket.SHUT_WR)
                    return
                sink.sendall(data)
            except OSError:
                return


class RedisServer:
    """A throwaway redis-server on a free port, in memory only, for outage tests."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def __enter__(self):
        binary = shutil.which("redis-server")
        assert binary, "redis-server is needed (Debian package redis-server)"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=self.port, socket_timeout=1).ping()
                return self
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def __exit__(self, *exc):
        self.process.kill()
        self.process.wait(timeout=10)

    def keys(self) -> list[bytes]:
        import redis

        return redis.Redis(port=self.port, socket_timeout=2).keys("*")
