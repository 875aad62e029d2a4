"""Background jobs: the registry of kinds, the worker loop with its heartbeat, and the kinds."""
