"""The superstep editor pane (``#editor``): build a prepopulated conversation, validate it,
send it. Modules: ``widget`` (the pane), ``outline``, ``update_form`` / ``script_form`` (with
``node_picker``), ``problems_panel``, ``code_view``, ``file_dialogs``, ``drafts``, ``sending``
(create / files / export actions; their requests are services: ``tui.services``), ``edits``
and ``state`` (pure logic).
"""

from tui.app.editor.widget import SuperstepEditor

__all__ = ["SuperstepEditor"]
