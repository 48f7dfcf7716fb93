"""A TCP proxy between the app and PostgreSQL that a test can cut, hang and restore: a database that
is gone, or one that accepts connections but never answers (a paused or locked-up server)."""

import socket
import threading


class Proxy:
    def __init__(self, target=("127.0.0.1", 5432)):
        self.target = target
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.answering = threading.Event()
        self.answering.set()
        self.sockets = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            if not self.answering.is_set():
                with self.lock:
                    self.sockets.append(client)  # accepted, and then silence
                continue
            server = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, sink):
        try:
            while data := source.recv(65536):
                self.answering.wait()
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        """The database is gone: open connections die, new ones are refused."""
        self.up = False
        with self.lock:
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass
            self.sockets.clear()

    def hang(self):
        """The database still accepts connections, but nothing it is sent gets an answer."""
        self.answering.clear()

    def restore(self):
        self.up = True
        self.answering.set()

    def close(self):
        self.cut()
        self.listener.close()
