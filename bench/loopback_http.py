"""A small threaded HTTP/1.1 server for the benchmark harness (loopback only, keep-alive).

Lighter than http.server (no per-request handler object, no header parsing beyond Content-Length), so
the harness adds as little as it can to the latencies it records. `handle(method, path, headers, body)`
returns `(status, headers, body)`; it runs on the connection's thread and may block (the Runtime API's
`/next` long-polls).
"""
import socket
import threading

REASONS = {200: "OK", 202: "Accepted", 400: "Bad Request", 404: "Not Found"}


class LoopbackHTTPServer:
    def __init__(self, handle, port=0):
        self.handle = handle
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(512)
        self.port = self.sock.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

    def _accept(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        buf = b""
        try:
            while True:
                end = buf.find(b"\r\n\r\n")
                while end < 0:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buf += chunk
                    end = buf.find(b"\r\n\r\n")
                head = buf[:end].decode("latin-1").split("\r\n")
                method, path, _ = head[0].split(" ", 2)
                headers = {}
                for line in head[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0"))
                buf = buf[end + 4:]
                while len(buf) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buf += chunk
                body, buf = buf[:length], buf[length:]
                status, out_headers, out_body = self.handle(method, path, headers, body)
                lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}", f"Content-Length: {len(out_body)}"]
                lines += [f"{k}: {v}" for k, v in out_headers.items()]
                conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + out_body)
        except (OSError, ValueError):
            return
        finally:
            conn.close()
