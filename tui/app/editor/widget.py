"""``SuperstepEditor`` (``#editor``): build a prepopulated conversation, validate it, send it.

The script lives in a :class:`tui.supersteps.ops.History` (every edit is undoable); the outline
shows it with each problem pinned to its row; the form on the right edits the selected row;
the problems panel lists what validation (or the server) found. Requests run in workers
through the app context's client (``tui.app.context``), which the editor follows as it
changes; failures are shown where the user looks (never a traceback).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, OptionList, Static

from tui.app.context import app_context
from tui.app.editor.drafts import DraftKeeper, draft_of, restore_draft, restored_note
from tui.app.editor.editor_keys import EDITOR_BINDINGS
from tui.app.editor.edits import STRUCTURE_OPS, script_edit, structure_edit, update_edit
from tui.app.editor.events import FieldEdited, FieldInvalid
from tui.app.editor.graphs import GraphCatalog, script_problems
from tui.app.editor.outline import Outline
from tui.app.editor.problems_panel import ProblemsPanel
from tui.app.editor.script_form import ScriptForm
from tui.app.editor.sending import Sender
from tui.app.editor.session import TYPED_FIELDS, EditorSession
from tui.app.editor.state import (
    SCRIPT_ROW,
    Address,
    clamp_address,
    messages_before,
    status_text,
    step_info,
)
from tui.app.editor.update_form import UpdateForm
from tui.app.failures import ForwardWorkerFailures
from tui.app.keys import nothing_to_leave
from tui.app.text import line, notify_text
from tui.deployment import DeploymentClient
from tui.supersteps.drafts import DraftStore
from tui.supersteps.jsontext import JsonError
from tui.supersteps.messages import new_tool_call_id
from tui.supersteps.model import Script, ScriptError
from tui.supersteps.ops import EditError
from tui.supersteps.problems import Problem


class SuperstepEditor(ForwardWorkerFailures, Vertical):
    PALETTE_GROUP = "Editor"
    DEFAULT_CSS = """
    SuperstepEditor { height: 1fr; }
    SuperstepEditor > #editor-body { height: 1fr; }
    SuperstepEditor #editor-outline { width: 40%; min-width: 24; border-right: vkey $panel; }
    SuperstepEditor #editor-detail { width: 1fr; padding: 0 0 0 1; }
    SuperstepEditor #editor-step-info { padding: 1; color: $text-muted; }
    SuperstepEditor > #editor-status { height: 1; padding: 0 1; color: $text-muted; }
    SuperstepEditor > #editor-status.-busy { background: $warning 30%; color: $text; }
    """

    BINDINGS: ClassVar[list[BindingType]] = EDITOR_BINDINGS

    def __init__(self, *, id: str | None = None, id_factory: Callable[[], str] | None = None,
                 draft_store: DraftStore | None = None) -> None:
        super().__init__(id=id)
        self.session = EditorSession()
        self.catalog = GraphCatalog(self, graph=lambda: self.script.graph_id,
                                    changed=lambda: self.refresh_view(schedule_draft=False),
                                    failed=self.set_status, graphs_arrived=self._graphs_arrived)
        self.problems: list[Problem] = []
        self.server_problems: list[Problem] = []
        self.busy = False
        self.last_created: str | None = None
        self.path: str | None = None
        self.id_factory = id_factory
        self.drafts = DraftKeeper(self, lambda: draft_of(self.session, self.path), draft_store)
        self.sender = Sender(self)  # create, files, code, export

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="editor-body"):
            yield Outline(id="editor-outline")
            with ContentSwitcher(initial="editor-script-form", id="editor-detail"):
                yield ScriptForm(id="editor-script-form")
                yield Static("", id="editor-step-info")
                yield UpdateForm(id="editor-update-form",
                                 id_factory=lambda: new_tool_call_id(self.id_factory))
        yield ProblemsPanel(id="editor-problems")
        yield Static("", id="editor-status")

    @property
    def address(self) -> Address:
        """The outline row the user is on (the script's own fields, or an update)."""
        return self.session.address

    @property
    def script(self) -> Script:
        return self.session.history.current

    @property
    def outline(self) -> Outline:
        return self.query_one(Outline)

    @property
    def update_form(self) -> UpdateForm:
        return self.query_one(UpdateForm)

    @property
    def script_form(self) -> ScriptForm:
        return self.query_one(ScriptForm)

    def on_mount(self) -> None:
        draft = self.drafts.load()
        if draft is not None:
            self.path = restore_draft(self.session, draft)
            self.notify(restored_note(self.session), markup=False, timeout=4)
        context = app_context(self)
        script_path = context.take_script()
        if script_path:
            self.sender.open_script(script_path)
        else:
            self.refresh_view(select=self.address)
        self._use_client()
        context.on_connection(self, lambda _client: self._use_client())

    @property
    def client(self) -> DeploymentClient | None:
        """The client the editor talks to: the app's, once the editor has taken it."""
        return self.catalog.client

    def _use_client(self) -> None:
        if self.catalog.use(app_context(self).client):
            self._graph_changed()

    def _graphs_arrived(self, graphs: list[str]) -> None:
        if self.script == Script() and graphs:  # a brand-new script: use the first graph
            self.session.history.reset(Script(metadata={"graph_id": graphs[0]}))

    def _graph_changed(self, skip: str | None = None) -> None:
        self.catalog.follow()
        if self.is_mounted:
            self.refresh_view(skip=skip, schedule_draft=False)

    def on_unmount(self) -> None:
        self.drafts.save_now()

    # ------------------------------------------------------------------ validation & display

    def validate_script(self) -> list[Problem]:
        """Every problem of the current script, including JSON still being typed."""
        return script_problems(self.script, self.session.pending, self.catalog)

    def refresh_view(self, *, select: Address | None = None, reload_detail: bool = True,
                 skip: str | None = None, schedule_draft: bool = True) -> None:
        script = self.script
        self.problems = self.validate_script()
        self.session.address = clamp_address(script, select if select is not None else self.address)
        self.outline.show(script, [*self.server_problems, *self.problems], self.address)
        self.query_one(ProblemsPanel).show(self.problems, self.server_problems)
        self.set_status()
        if reload_detail:
            self._load_detail(skip)
        if schedule_draft:
            self.drafts.schedule()

    def set_status(self, message: str | None = None) -> None:
        """The status line: ``message``, or what is being sent, or where the script stands."""
        if message is None:
            message = ("⏳ Creating the thread… waiting for the server (Esc: stop waiting)"
                       if self.busy else status_text(self.script, self.catalog.node_names,
                                                     self.path, self.session.history.undo_depth))
        status = self.query_one("#editor-status", Static)  # -busy on it: restyles one widget
        status.set_class(self.busy, "-busy").update(line(message, 300))

    def _load_detail(self, skip: str | None = None) -> None:
        s, u = self.address
        switcher = self.query_one("#editor-detail", ContentSwitcher)
        script = self.script
        if s is None:
            switcher.current = "editor-script-form"
            self.script_form.load(script, self.catalog.graphs, self.session.pending, skip)
        elif u is None:
            switcher.current = "editor-step-info"
            self.query_one("#editor-step-info", Static).update(step_info(script, s))
        else:
            switcher.current = "editor-update-form"
            self.update_form.load(script.update_at(s, u), (s, u),
                                  prior=messages_before(script, s), pending=self.session.pending,
                                  node_names=self.catalog.node_names, skip=skip)

    @on(OptionList.OptionHighlighted, "#editor-outline")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.session.move_to(self.outline.address):
            self._load_detail()

    @on(OptionList.OptionSelected, "#editor-outline")
    def _row_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        s, u = self.outline.address
        if s is None:
            self.script_form.focus_graph()
        elif u is None:
            if self.script.supersteps[s].updates:
                self.outline.select_address((s, 0))
        else:
            self.update_form.focus_node()

    @on(ProblemsPanel.Jump)
    def _jump(self, event: ProblemsPanel.Jump) -> None:
        problem = event.problem
        self.session.address = clamp_address(self.script, (problem.superstep, problem.update))
        self.outline.select_address(self.address)
        self._load_detail()
        self.outline.focus()

    # ------------------------------------------------------------------ editing

    def _commit(self, new: Script, *, coalesce: tuple[Any, ...] | None = None,
                select: Address | None = None, skip: str | None = None,
                pending_changed: bool = False) -> None:
        if new == self.script:  # the echo of a form being loaded, or moving equal updates
            if select is not None and select != self.address:
                self.refresh_view(select=select, skip=skip)
            elif pending_changed:
                self.refresh_view(reload_detail=False)
            return
        graph_before = self.script.graph_id
        self.session.commit(new, coalesce)
        self.server_problems = []
        self.refresh_view(select=select, skip=skip)
        if new.graph_id != graph_before:
            self._graph_changed(skip)

    def _edit(self, operation: Callable[[], tuple[Script, Address]]) -> None:
        try:
            new, select = operation()
        except (EditError, ScriptError) as exc:
            self.notify(notify_text(str(exc)), severity="warning", markup=False, timeout=4)
            return
        self._commit(new, select=select)

    @on(FieldEdited)
    def _field_edited(self, event: FieldEdited) -> None:
        event.stop()
        if event.field == "done":
            self.outline.focus()
            return
        if event.owner is None:
            cleared = self.session.pending.clear(None, event.field)
            try:
                new = script_edit(self.script, event.field, event.value)
            except (EditError, ScriptError, ValueError) as exc:
                self.notify(notify_text(str(exc)), severity="warning", markup=False)
                return
            key: tuple[Any, ...] | None = (
                ("script", event.field) if event.field in TYPED_FIELDS else None)
            self._commit(new, coalesce=key, skip=event.field, pending_changed=cleared)
            return
        where = self.session.locate(event.owner)
        if where is None:
            return  # the update is gone (deleted, or undone meanwhile)
        s, u = where
        old = self.script.update_at(s, u)
        cleared = self.session.pending.clear(old, event.field)
        try:
            new = update_edit(self.script, s, u, event.field, event.value)
        except (EditError, ScriptError) as exc:
            text = event.text if event.text is not None else str(event.value)
            self.session.pending.set(old, event.field, text, JsonError(str(exc), 1, 1))
            self.refresh_view(reload_detail=False)
            return
        self.session.replaced(old, new.update_at(s, u))
        skip = None if event.field == "kind" else event.field
        key = (s, u, event.field) if event.field in TYPED_FIELDS else None
        self._commit(new, coalesce=key, select=(s, u), skip=skip, pending_changed=cleared)

    @on(FieldInvalid)
    def _field_invalid(self, event: FieldInvalid) -> None:
        event.stop()
        owner = self.session.current(event.owner)
        if event.owner is not None and owner is None:
            return
        self.session.pending.set(owner, event.field, event.text, event.error)
        self.refresh_view(reload_detail=False)

    @on(Outline.Edit)
    def _outline_edit(self, event: Outline.Edit) -> None:
        event.stop()
        self.outline_action(event.operation)

    def outline_action(self, operation: str) -> None:
        """What the outline's keys do."""
        if operation in STRUCTURE_OPS:
            self._edit(lambda: structure_edit(self.script, self.address, operation))
            return
        handler = getattr(self, f"action_{operation}", None)
        if callable(handler):
            handler()

    # ------------------------------------------------------------------ actions

    def action_undo(self) -> None:
        if not self.session.undo():
            self.notify("Nothing to undo.", markup=False, timeout=2)
            return
        self._after_history()

    def action_redo(self) -> None:
        if not self.session.redo():
            self.notify("Nothing to redo.", markup=False, timeout=2)
            return
        self._after_history()

    def _after_history(self) -> None:
        self.server_problems = []
        self._graph_changed()
        self.refresh_view()

    def action_focus_outline(self) -> None:
        """Esc: stop waiting for a create, else leave the field for the outline; on the
        outline itself there is nothing to leave (the key goes on: un-zoom)."""
        if self.busy:
            self.sender.cancel_create()
        elif self.outline.has_focus_within:
            nothing_to_leave()
        self.outline.focus()

    def action_focus_node(self) -> None:
        if self.address[1] is not None:
            self.update_form.focus_node()
        elif self.address == SCRIPT_ROW:
            self.script_form.focus_graph()

    def action_focus_messages(self) -> None:
        if self.address[1] is None:
            self.notify("Select an update first (a adds one).", markup=False, timeout=3)
            return
        if self.script.update_at(*self.address).command is not None:  # type: ignore[arg-type]
            self.notify("A command update writes command.update: v edits it as JSON.",
                        markup=False, timeout=4)
            return
        self.update_form.focus_messages()

    def action_focus_goto(self) -> None:
        s, u = self.address
        if s is None or u is None or self.script.update_at(s, u).command is None:
            self.notify("Only a command update has goto: t turns the update into one.",
                        markup=False, timeout=4)
            return
        self.update_form.goto.input.focus()

    def action_focus_json(self) -> None:
        if self.address[1] is None:
            self.notify("Select an update first (a adds one).", markup=False, timeout=3)
            return
        self.update_form.focus_json()

    def action_toggle_kind(self) -> None:
        s, u = self.address
        if s is None or u is None:
            return
        kind = "values" if self.script.update_at(s, u).command is not None else "command"
        self._edit(lambda: (update_edit(self.script, s, u, "kind", kind), (s, u)))

    def load(self, script: Script, *, path: str | None = None) -> None:
        """Show ``script`` in the editor (an undoable change: undo brings the old one back)."""
        self.session.pending.clear_all()
        self.path = path
        self._commit(script, select=(0, 0) if script.supersteps and script.supersteps[0].updates
                     else SCRIPT_ROW)

    def action_create(self) -> None:
        self.sender.create()

    def action_open(self) -> None:
        self.sender.open()

    def action_save(self) -> None:
        self.sender.save()

    def action_show_code(self) -> None:
        self.sender.show_code()

    def action_export_thread(self) -> None:
        self.sender.export_thread()

    def action_new_script(self) -> None:
        graph = self.script.graph_id
        self.load(Script(metadata={"graph_id": graph} if graph else {}))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "create" and self.busy:
            return None
        return True
