"""Request log: with MOTO_REQUEST_LOG set, every request is logged there as one line (time, method, path
and query, X-Amz-Target, the SDK's attempt counter, status, milliseconds, the SDK's invocation id),
which moto's own log does not show: a retried request (attempt=2) and which call it was are visible
afterwards, and the invocation id pairs it with its first attempt. A connection that fails while a
request is read or answered is logged too, with status `dropped:<error>`: an answer the client may
not have had.
"""

import os
import threading
import time
import moto.server
from werkzeug.serving import WSGIRequestHandler


_run_simple = moto.server.run_simple


def _logged(app, path):
    lock = threading.Lock()
    out = open(path, "a", buffering=1)

    def write(fields):
        with lock:
            out.write("\t".join(fields) + "\n")

    def stamp(t):
        return time.strftime("%H:%M:%S", time.localtime(t)) + f".{int(t * 1000) % 1000:03d}"

    def described(environ):
        return [
            environ.get("REQUEST_METHOD", ""),
            environ.get("PATH_INFO", "") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""),
            environ.get("HTTP_X_AMZ_TARGET", "-"),
            environ.get("HTTP_AMZ_SDK_REQUEST", "-"),
        ]

    def logged_app(environ, start_response):
        started = time.time()
        status = []

        def recording_start_response(code, headers, exc_info=None):
            status.append(code.split(" ", 1)[0])
            return start_response(code, headers, exc_info)

        try:
            return app(environ, recording_start_response)
        finally:
            write([
                stamp(started),
                *described(environ),
                status[0] if status else "-",
                f"{(time.time() - started) * 1000:.0f}ms",
                environ.get("HTTP_AMZ_SDK_INVOCATION_ID", "-"),
            ])

    def connection_dropped(handler, error, environ=None):
        # The connection failed while the request was read or its answer written: an answer the
        # client may never have had. The SDK's invocation id pairs it with a retry (attempt=2).
        write([
            stamp(time.time()),
            *(described(environ) if environ else ["-", "-", "-", "-"]),
            f"dropped:{type(error).__name__}",
            "-",
            (environ or {}).get("HTTP_AMZ_SDK_INVOCATION_ID", "-"),
        ])

    WSGIRequestHandler.connection_dropped = connection_dropped
    return logged_app


def _run_simple_logging_requests(host, port, app, **kwargs):
    path = os.environ.get("MOTO_REQUEST_LOG")
    return _run_simple(host, port, _logged(app, path) if path else app, **kwargs)


moto.server.run_simple = _run_simple_logging_requests
