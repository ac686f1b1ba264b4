"""Widgets and dialogs more than one pane uses: the chat, JSON fields, the message
builder and its dialog, the header, the footer, the tick box."""
