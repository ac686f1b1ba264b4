"""What the app and the command line both do with a deployment, above the client and the
domain, written once: exact export and replay (``export``), whole histories (``history``),
following a run (``runs``), short thread ids (``ids``), what a graph's schemas say
(``schemas``). No Textual here (``tests/test_layers.py``)."""
