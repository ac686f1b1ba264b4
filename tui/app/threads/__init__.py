"""The thread list pane: the table, its rows and pages, search, actions and modals."""
