"""Server interactions written once, used by the CLI and the app alike. No Textual here."""
