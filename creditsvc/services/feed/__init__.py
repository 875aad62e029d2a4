"""The bank feed: its files, its preview and its set-based application."""
