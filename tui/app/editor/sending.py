"""The editor's actions that leave the editor: create the thread (and handle what the server
refuses), open and save script files, show the create call as code, export a thread's history.

A mixin of :class:`SuperstepEditor`, kept apart for size: these flows read and change most of
the editor's state (the next one to become a plain object, as ``GraphCatalog`` did).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.widget import Widget

from tui.app.context import app_context
from tui.app.editor.code_view import CodeScreen
from tui.app.editor.events import ThreadsChanged
from tui.app.editor.file_dialogs import (
    ConfirmScreen,
    PathScreen,
    ThreadExportRequest,
    ThreadExportScreen,
)
from tui.app.editor.session import EditorSession
from tui.app.editor.state import SCRIPT_ROW, Address
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


class SendingMixin(Widget):
    if TYPE_CHECKING:
        session: EditorSession
        problems: list[Problem]
        server_problems: list[Problem]
        busy: bool
        path: str | None
        last_created: str | None

        @property
        def client(self) -> DeploymentClient | None: ...

        @property
        def script(self) -> Script: ...
        def validate_script(self) -> list[Problem]: ...
        def _refresh(self, *, select: Address | None = None, reload_detail: bool = True,
                     skip: str | None = None, schedule_draft: bool = True) -> None: ...
        def _set_status(self, message: str | None = None) -> None: ...
        def _graph_changed(self, skip: str | None = None) -> None: ...
        def _commit(self, new: Script, *, coalesce: tuple[Any, ...] | None = None,
                    select: Address | None = None, skip: str | None = None,
                    pending_changed: bool = False) -> None: ...

    def _say(self, message: str, severity: str = "information", timeout: float = 5) -> None:
        self.notify(notify_text(message), severity=severity,  # type: ignore[arg-type]
                    markup=False, timeout=timeout)

    # ------------------------------------------------------------------ create

    def action_create(self) -> None:
        if self.busy:
            self._say("Already sending: wait for the server's answer.", "warning")
            return
        problems = self.validate_script()
        if has_errors(problems):
            self._refresh(reload_detail=False, schedule_draft=False)
            errors = [p for p in problems if p.severity == "error"]
            first = errors[0]
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            self._say(f"Nothing sent: {first.location}: {first.message}{more}", "error", 8)
            return
        client = self.client
        if client is None:
            self._say("Not connected to a deployment yet.", "warning")
            return
        self.busy = True
        self.add_class("-busy")
        self._set_status()
        self.refresh_bindings()
        self._create(client, self.script)

    def cancel_create(self) -> None:
        """Esc while sending: stop waiting for the answer. The request may have reached the
        server, so nothing is reported as created — the thread list shows what exists."""
        if not self.busy:
            return
        self.workers.cancel_group(self, "editor-create")
        self._done_sending()
        self._say("Stopped waiting for the server: the thread may still have been created. "
                  "Refresh the thread list (r) to see.", "warning", 10)

    def _done_sending(self) -> None:
        self.busy = False
        self.remove_class("-busy")
        self._set_status()
        self.refresh_bindings()

    @work(exclusive=True, group="editor-create", exit_on_error=False)
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
            app_context(self).report(exc, "Creating the thread")
            return
        self._done_sending()
        self.last_created = thread.thread_id
        if self.server_problems:
            self.server_problems = []
            self._refresh(reload_detail=False, schedule_draft=False)
        steps = len(script.supersteps)
        self._say(f"Created thread {thread.thread_id} ({plural(steps, 'superstep')}).")
        app_context(self).select_thread(thread.thread_id)

    def _server_refused(self, script: Script, detail: str,
                        problems: list[Problem] | None = None) -> None:
        self.server_problems = problems or problems_from_server_detail(detail, script)
        self._refresh(reload_detail=False, schedule_draft=False)
        first = self.server_problems[0]
        self._say(f"The server refused the script: {first.message}", "error", 8)

    def _offer_delete(self, thread_id: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_thread(thread_id)

        self.app.push_screen(ConfirmScreen(
            "The server left an empty thread behind",
            f"Thread {thread_id} was created, but the server refused its supersteps, so it "
            "is empty. Delete it?", yes="Delete it", no="Keep it"), answered)

    @work(group="editor-delete", exit_on_error=False)
    async def _delete_thread(self, thread_id: str) -> None:
        client = self.client
        if client is None:
            return
        try:
            await delete_thread(client, thread_id)
        except DeploymentError as exc:
            app_context(self).report(exc, "Deleting the empty thread")
            return
        self._say(f"Deleted the empty thread {thread_id}.")
        self._reload_threads()

    def _reload_threads(self) -> None:
        self.post_message(ThreadsChanged())  # the shell reloads the thread list

    # ------------------------------------------------------------------ files

    def open_script(self, path: str) -> bool:
        """Load a script file into the editor (undo brings the previous script back)."""
        try:
            script = load_script(Path(path).expanduser())
        except ScriptFileError as exc:
            self._say(f"Cannot open the script: {exc}", "error", 10)
            self._refresh(schedule_draft=False)
            return False
        self.load(script, path=path)
        self._say(f"Opened {path} ({plural(len(script.supersteps), 'superstep')}).", timeout=3)
        return True

    def load(self, script: Script, *, path: str | None = None) -> None:
        """Show ``script`` in the editor (an undoable change: undo brings the old one back)."""
        self.session.pending.clear_all()
        self.path = path
        first: Address = (0, 0) if script.supersteps and script.supersteps[0].updates else (
            SCRIPT_ROW)
        self._commit(script, select=first)

    def action_open(self) -> None:
        def chosen(path: str | None) -> None:
            if path:
                self.open_script(path)

        self.app.push_screen(PathScreen("Open a script", self.path or "", action="Open",
                                        note="A JSON file holding the POST /threads body: "
                                             '{"metadata": …, "supersteps": […]}'), chosen)

    def action_save(self) -> None:
        def chosen(path: str | None) -> None:
            if not path:
                return
            target = Path(path).expanduser()
            if target.exists() and path != self.path:
                def confirmed(yes: bool | None) -> None:
                    if yes:
                        self._save_to(path)

                self.app.push_screen(ConfirmScreen("Replace the file?",
                                                   f"{path} exists. Replace it with this script?",
                                                   yes="Replace"), confirmed)
                return
            self._save_to(path)

        note = ("Fields with invalid JSON are saved with their last valid value."
                if len(self.session.pending) else "")
        self.app.push_screen(PathScreen("Save the script", self.path or "script.json",
                                        action="Save", note=note), chosen)

    def _save_to(self, path: str) -> None:
        try:
            save_script(Path(path).expanduser(), self.script)
        except OSError as exc:
            self._say(f"Cannot write {path}: {exc.strerror or exc}", "error", 8)
            return
        self.path = path
        self._refresh(reload_detail=False)  # the status line names the file; the draft too
        self._say(f"Saved {path}.", timeout=3)

    # ------------------------------------------------------------------ code and export

    def action_show_code(self) -> None:
        spec = app_context(self).spec
        url = (spec.url if spec is not None else None) or "http://127.0.0.1:2024"
        if len(self.session.pending):
            self._say("Some fields hold invalid JSON: the code uses their last valid value.",
                      "warning")
        try:
            screen = CodeScreen(self.script, url, spec.api_key_env if spec else None,
                                spec.headers if spec else None)
        except ValueError as exc:
            self._say(f"Cannot write the code: {exc}", "error")
            return
        self.app.push_screen(screen)

    def action_export_thread(self) -> None:
        current = app_context(self).thread_id  # the thread open in the state viewer

        def chosen(request: ThreadExportRequest | None) -> None:
            if request is not None:
                self._export(request)

        self.app.push_screen(ThreadExportScreen(current), chosen)

    @work(exclusive=True, group="editor-export", exit_on_error=False)
    async def _export(self, request: ThreadExportRequest) -> None:
        client = self.client
        if client is None:
            self._say("Not connected to a deployment yet.", "warning")
            return
        self._set_status(f"Reading the history of thread {request.thread_id} and checking "
                         "the script by a replay…")
        try:
            outcome = await export_thread(client, request.thread_id, compact=request.compact,
                                          lossy=True)
        except DeploymentError as exc:
            self._set_status()
            app_context(self).report(exc, "Exporting the thread")
            return
        except (NoGraph, HistoryExportError) as exc:
            self._set_status()
            self._say(f"Cannot export: {exc}", "error", 8)
            return
        script = outcome.script
        steps = len(script.supersteps)
        counted = plural(steps, "superstep")
        losses = [loss.line() for loss in outcome.losses]
        if request.path is not None:
            if losses:
                self._set_status()
                self._say(f"Nothing was written: the script would not recreate thread "
                          f"{request.thread_id} exactly ({losses[0]}). Load it into the "
                          "editor instead to see and fix it.", "error", 12)
                return
            target = Path(request.path).expanduser().absolute()
            try:
                save_script(target, script)
            except OSError as exc:
                self._set_status()
                self._say(f"Cannot write {target}: {exc.strerror or exc}", "error", 8)
                return
            self._set_status()
            self._say(f"Wrote {counted} of thread {request.thread_id} to {target}.")
            return
        self.load(script)
        if losses:
            self._say(f"Loaded thread {request.thread_id} as a script ({counted}), but "
                      f"it would not recreate the thread exactly: {losses[0]}", "warning", 12)
            return
        self._say(f"Loaded thread {request.thread_id} as a script ({counted}); "
                  "undo brings the previous script back.")
