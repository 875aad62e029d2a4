"""Infrastructure the app is wired with: database engine, extensions, settings, JSON, the clock."""
