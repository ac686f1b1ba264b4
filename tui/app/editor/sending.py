"""What leaves the editor: create the thread (and handle what the server refuses), open and
save script files, show the create call as code, export a thread's history.

:class:`Sender` is a plain object of :class:`~tui.app.editor.widget.SuperstepEditor`'s: its
requests run in workers of the editor's, and it changes the editor's state through the editor's
own methods (``load``, ``refresh_view``, ``set_status``).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from tui.app.context import app_context
from tui.app.editor.code_view import CodeScreen
from tui.app.editor.events import ThreadsChanged
from tui.app.editor.file_dialogs import (
    ConfirmScreen,
    PathScreen,
    ThreadExportRequest,
    ThreadExportScreen,
)
from tui.app.shared.workers import run_job
from tui.app.text import notify_text
from tui.deployment import (
    Conflict,
    DeploymentClient,
    DeploymentError,
    InvalidRequest,
    ServerError,
    SuperstepsIgnored,
    ThreadCreatedWithProblems,
)
from tui.services.create import create_from_script
from tui.services.export import NoGraph, export_thread
from tui.services.listing import delete_thread
from tui.supersteps.files import ScriptFileError, load_script, save_script
from tui.supersteps.history_export import HistoryExportError
from tui.supersteps.model import Script
from tui.supersteps.problems import Problem, has_errors
from tui.supersteps.server_detail import problems_from_server_detail
from tui.words import plural

if TYPE_CHECKING:
    from tui.app.editor.widget import SuperstepEditor


class Sender:
    """The editor's create, file, code and export flows (see the module)."""

    def __init__(self, editor: SuperstepEditor) -> None:
        self.editor = editor

    def _say(self, message: str, severity: str = "information", timeout: float = 5) -> None:
        self.editor.notify(notify_text(message), severity=severity,  # type: ignore[arg-type]
                           markup=False, timeout=timeout)

    # ------------------------------------------------------------------ create

    def create(self) -> None:
        if self.editor.busy:
            self._say("Already sending: wait for the server's answer.", "warning")
            return
        problems = self.editor.validate_script()
        if has_errors(problems):
            self.editor.refresh_view(reload_detail=False, schedule_draft=False)
            errors = [p for p in problems if p.severity == "error"]
            first = errors[0]
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            self._say(f"Nothing sent: {first.location}: {first.message}{more}", "error", 8)
            return
        client = self.editor.client
        if client is None:
            self._say("Not connected to a deployment yet.", "warning")
            return
        self.editor.busy = True
        self.editor.set_status()
        self.editor.refresh_bindings()
        run_job(self.editor, partial(self._create, client, self.editor.script), "editor-create")

    def cancel_create(self) -> None:
        """Esc while sending: stop waiting for the answer. The request may have reached the
        server, so nothing is reported as created — the thread list shows what exists."""
        if not self.editor.busy:
            return
        self.editor.workers.cancel_group(self.editor, "editor-create")
        self._done_sending()
        self._say("Stopped waiting for the server: the thread may still have been created. "
                  "Refresh the thread list (r) to see.", "warning", 10)

    def _done_sending(self) -> None:
        self.editor.busy = False
        self.editor.set_status()
        self.editor.refresh_bindings()

    async def _create(self, client: DeploymentClient, script: Script) -> None:
        try:
            thread = await create_from_script(client, script.to_body())
        except ThreadCreatedWithProblems as exc:
            self._done_sending()
            self._server_refused(script, exc.problem)
            if exc.thread_id:
                self._offer_delete(exc.thread_id)
            return
        except Conflict as exc:
            self._done_sending()
            self._server_refused(script, exc.message, [Problem(
                None, None, "thread_id", f"Server: {exc.message} — a thread with this id "
                "exists: change thread_id, or set if_exists to do_nothing")])
            return
        except (InvalidRequest, ServerError) as exc:
            self._done_sending()
            self._server_refused(script, exc.detail or exc.message)
            return
        except SuperstepsIgnored as exc:
            # Not the script's fault: this server drops supersteps (the client checked).
            self._done_sending()
            self._say(f"{exc.message}. The script stays in the editor.", "error", 12)
            if exc.thread_id and not exc.deleted:
                self._reload_threads()
            return
        except DeploymentError as exc:
            self._done_sending()
            app_context(self.editor).report(exc, "Creating the thread")
            return
        self._done_sending()
        self.editor.last_created = thread.thread_id
        if self.editor.server_problems:
            self.editor.server_problems = []
            self.editor.refresh_view(reload_detail=False, schedule_draft=False)
        steps = len(script.supersteps)
        self._say(f"Created thread {thread.thread_id} ({plural(steps, 'superstep')}).")
        app_context(self.editor).select_thread(thread.thread_id)

    def _server_refused(self, script: Script, detail: str,
                        problems: list[Problem] | None = None) -> None:
        self.editor.server_problems = problems or problems_from_server_detail(detail, script)
        self.editor.refresh_view(reload_detail=False, schedule_draft=False)
        first = self.editor.server_problems[0]
        self._say(f"The server refused the script: {first.message}", "error", 8)

    def _offer_delete(self, thread_id: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                run_job(self.editor, partial(self._delete_thread, thread_id), "editor-delete",
                        exclusive=False)

        self.editor.app.push_screen(ConfirmScreen(
            "The server left an empty thread behind",
            f"Thread {thread_id} was created, but the server refused its supersteps, so it "
            "is empty. Delete it?", yes="Delete it", no="Keep it"), answered)

    async def _delete_thread(self, thread_id: str) -> None:
        client = self.editor.client
        if client is None:
            return
        try:
            await delete_thread(client, thread_id)
        except DeploymentError as exc:
            app_context(self.editor).report(exc, "Deleting the empty thread")
            return
        self._say(f"Deleted the empty thread {thread_id}.")
        self._reload_threads()

    def _reload_threads(self) -> None:
        self.editor.post_message(ThreadsChanged())  # the shell reloads the thread list

    # ------------------------------------------------------------------ files

    def open_script(self, path: str) -> bool:
        """Load a script file into the editor (undo brings the previous script back)."""
        try:
            script = load_script(Path(path).expanduser())
        except ScriptFileError as exc:
            self._say(f"Cannot open the script: {exc}", "error", 10)
            self.editor.refresh_view(schedule_draft=False)
            return False
        self.editor.load(script, path=path)
        self._say(f"Opened {path} ({plural(len(script.supersteps), 'superstep')}).", timeout=3)
        return True

    def open(self) -> None:
        def chosen(path: str | None) -> None:
            if path:
                self.open_script(path)

        self.editor.app.push_screen(PathScreen(
            "Open a script", self.editor.path or "", action="Open",
            note='A JSON file holding the POST /threads body: {"metadata": …, "supersteps": […]}',
        ), chosen)

    def save(self) -> None:
        def chosen(path: str | None) -> None:
            if not path:
                return
            target = Path(path).expanduser()
            if target.exists() and path != self.editor.path:
                def confirmed(yes: bool | None) -> None:
                    if yes:
                        self.save_to(path)

                self.editor.app.push_screen(ConfirmScreen("Replace the file?",
                                                   f"{path} exists. Replace it with this script?",
                                                   yes="Replace"), confirmed)
                return
            self.save_to(path)

        note = ("Fields with invalid JSON are saved with their last valid value."
                if len(self.editor.session.pending) else "")
        self.editor.app.push_screen(PathScreen("Save the script", self.editor.path or "script.json",
                                        action="Save", note=note), chosen)

    def save_to(self, path: str) -> None:
        try:
            save_script(Path(path).expanduser(), self.editor.script)
        except OSError as exc:
            self._say(f"Cannot write {path}: {exc.strerror or exc}", "error", 8)
            return
        self.editor.path = path
        self.editor.refresh_view(reload_detail=False)  # the status line names the file; the draft
        self._say(f"Saved {path}.", timeout=3)

    # ------------------------------------------------------------------ code and export

    def show_code(self) -> None:
        spec = app_context(self.editor).spec
        url = (spec.url if spec is not None else None) or "http://127.0.0.1:2024"
        if len(self.editor.session.pending):
            self._say("Some fields hold invalid JSON: the code uses their last valid value.",
                      "warning")
        try:
            screen = CodeScreen(self.editor.script, url, spec.api_key_env if spec else None,
                                spec.headers if spec else None)
        except ValueError as exc:
            self._say(f"Cannot write the code: {exc}", "error")
            return
        self.editor.app.push_screen(screen)

    def export_thread(self) -> None:
        current = app_context(self.editor).thread_id  # the thread open in the state viewer

        def chosen(request: ThreadExportRequest | None) -> None:
            if request is not None:
                run_job(self.editor, partial(self._export, request), "editor-export")

        self.editor.app.push_screen(ThreadExportScreen(current), chosen)

    async def _export(self, request: ThreadExportRequest) -> None:
        client = self.editor.client
        if client is None:
            self._say("Not connected to a deployment yet.", "warning")
            return
        self.editor.set_status(f"Reading the history of thread {request.thread_id} and checking "
                         "the script by a replay…")
        try:
            outcome = await export_thread(client, request.thread_id, compact=request.compact,
                                          lossy=True)
        except DeploymentError as exc:
            self.editor.set_status()
            app_context(self.editor).report(exc, "Exporting the thread")
            return
        except (NoGraph, HistoryExportError) as exc:
            self.editor.set_status()
            self._say(f"Cannot export: {exc}", "error", 8)
            return
        script = outcome.script
        steps = len(script.supersteps)
        counted = plural(steps, "superstep")
        losses = [loss.line() for loss in outcome.losses]
        if request.path is not None:
            if losses:
                self.editor.set_status()
                self._say(f"Nothing was written: the script would not recreate thread "
                          f"{request.thread_id} exactly ({losses[0]}). Load it into the "
                          "editor instead to see and fix it.", "error", 12)
                return
            target = Path(request.path).expanduser().absolute()
            try:
                save_script(target, script)
            except OSError as exc:
                self.editor.set_status()
                self._say(f"Cannot write {target}: {exc.strerror or exc}", "error", 8)
                return
            self.editor.set_status()
            self._say(f"Wrote {counted} of thread {request.thread_id} to {target}.")
            return
        self.editor.load(script)
        if losses:
            self._say(f"Loaded thread {request.thread_id} as a script ({counted}), but "
                      f"it would not recreate the thread exactly: {losses[0]}", "warning", 12)
            return
        self._say(f"Loaded thread {request.thread_id} as a script ({counted}); "
                  "undo brings the previous script back.")
