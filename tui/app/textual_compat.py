"""The one Textual internal Threadloom needs because Textual's public API offers nothing that
does the same; everything else in ``tui/app`` uses the public API only.

Checked against Textual 8.2.8. On an upgrade, compare it with Textual's source first (a private
name may change or go without notice); tests/app/test_shell.py covers it (the footer test).
"""

from __future__ import annotations

from textual.widgets._footer import FooterKey

__all__ = ["FooterKey"]

# ``FooterKey`` (one key of the footer) is not exported by ``textual.widgets``; the footer
# (tui.app.shared.footer) needs it to find and shorten the keys ``Footer.compose`` yields.
