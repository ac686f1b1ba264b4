"""What the app and the command line both do with a deployment, above the client and the
domain, written once: creating a thread from a script, its body sent whole (``create``), exact
export and replay (``export``), whole histories and their pages (``history``), a thread's
record, list row and forks (``threads``), graphs and their nodes (``graphs``), following a run
(``runs``), short thread ids (``ids``), what a graph's schemas say (``schemas``). Widgets ask
these, never the client directly. No Textual here (``tests/test_layers.py``)."""
