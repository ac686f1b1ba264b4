"""The scripting subcommands of ``threadloom`` (see ``tui.cli``): one module per concern."""
