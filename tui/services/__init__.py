"""What the app and the command line both do with a deployment, above the client and the
domain: no Textual here (``tests/test_layers.py``), so ``threadloom run`` and the run panel
share one implementation."""
