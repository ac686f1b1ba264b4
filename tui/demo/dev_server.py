"""``python -m tui.demo.dev_server dev …``: ``langgraph dev`` (``python -m langgraph_cli``) in this
process, which also removes the server's directory (its working directory) when the server ends
after the process that started it died. Only the directory :class:`~tui.demo.server.LocalServer`
made and named in ``THREADLOOM_SERVER_DIR`` (run by hand anywhere else, it removes nothing).

:class:`~tui.demo.server.LocalServer` removes the directory when it stops the server. A parent
killed hard (SIGKILL, the OOM killer) cannot: the server then gets the parent-death signal,
shuts down gracefully, and cleans up here. While the parent lives, the directory is the
parent's to keep (a restart on it, after ``kill``) or to remove.
"""

from __future__ import annotations

import os
import runpy
import shutil
import signal
import sys

DIR_VAR = "THREADLOOM_SERVER_DIR"

if __name__ == "__main__":
    parent = os.getppid()
    workdir = os.getcwd()
    named = os.environ.pop(DIR_VAR, None)
    ours = named is not None and os.path.realpath(named) == os.path.realpath(workdir)
    # uvicorn shuts down on SIGTERM, then raises the signal again for its default action, which
    # would end the process before the ``finally``: here it ends it through SystemExit instead.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        runpy.run_module("langgraph_cli", run_name="__main__", alter_sys=True)
    finally:
        if ours and os.getppid() != parent:  # reparented: the parent is gone
            shutil.rmtree(workdir, ignore_errors=True)
