"""Failed workers become messages in one place: :meth:`ThreadloomApp.on_worker_state_changed`.

Textual delivers ``Worker.StateChanged`` only to the widget that started the worker (it does not
bubble), so a widget forwards it by mixing this in::

    class MyPane(ForwardWorkerFailures, Vertical): ...

Handle the ``DeploymentError`` you expect inside the worker (``app_context(self).report`` or
inline); anything else that escapes ends up here and is shown as one line, never a traceback.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.worker import Worker, WorkerState

from tui.app.context import app_context


class ForwardWorkerFailures(Widget):
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            app_context(self).worker_failed(event)
