"""Access: users, their roles and keys, and signing in to the pages."""
