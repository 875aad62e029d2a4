"""The service layer: typed functions that take a session and a principal and own the commit."""
