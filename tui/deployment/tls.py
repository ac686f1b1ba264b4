"""One TLS context per ``verify`` setting for the whole process.

httpx builds a new :class:`ssl.SSLContext` for every client it makes, and loading the CA bundle
into it takes ~20 ms (measured here: 23 ms a client, 0.3 ms with a context given). Every client
Threadloom makes — the app's, a profile switch's, a reconnect's, the CLI's — takes its context
from here instead, made once. :func:`warm_up` makes the default one on a thread of its own while
the app starts (OpenSSL reads the bundle without holding the GIL), so the first page does not
wait for it. Sharing one context between clients is what :mod:`ssl` expects.
"""

from __future__ import annotations

import contextlib
import os
import ssl
import threading

_lock = threading.Lock()
_contexts: dict[tuple[object, ...], ssl.SSLContext] = {}


def tls_context(verify: bool | str = True) -> ssl.SSLContext:
    """The context for ``verify``: True verifies against the CA bundle httpx uses (or
    ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``, as httpx does), False verifies nothing, a path is a CA
    file or directory. A new one is made when what it was made from changed: another
    ``SSL_CERT_FILE``, a CA file written since (F5 after fixing a bundle uses the fix)."""
    key = _made_from(verify)
    with _lock:  # a second caller waits for the context being made, never makes another
        context = _contexts.get(key)
        if context is None:
            context = _contexts[key] = _make(verify)
        return context


def _made_from(verify: bool | str) -> tuple[object, ...]:
    if verify is False:
        return (False,)
    if verify is True:
        paths = [os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")]
    else:
        paths = [verify]
    return (verify, *((path, _modified(path)) for path in paths))


def _modified(path: str | None) -> int | None:
    if not path:
        return None
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _make(verify: bool | str) -> ssl.SSLContext:
    if isinstance(verify, str):
        if os.path.isdir(verify):
            return ssl.create_default_context(capath=verify)
        return ssl.create_default_context(cafile=verify)
    import httpx

    return httpx.create_ssl_context(verify=verify)


def warm_up(verify: bool | str = True) -> None:
    """Make ``verify``'s context on a daemon thread, now; a failure (a missing CA file) is left
    for the client that needs the context to report."""

    def make() -> None:
        with contextlib.suppress(OSError, ssl.SSLError):
            tls_context(verify)

    threading.Thread(target=make, name="tls-warm-up", daemon=True).start()
