"""API keys: made at random, shown once, stored only as a hash."""

import hashlib
import secrets

KEY_PREFIX = "csk_"


def new_api_key() -> str:
    """A new random API key (shown once, never stored)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    """The stored form of a key. Keys have 256 random bits, so a plain SHA-256 suffices."""
    return hashlib.sha256(key.encode()).hexdigest()
