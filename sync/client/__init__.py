"""The reference tablet client: a local SQLite store, an outbox, and the sync protocol end to end."""
from sync.client.client import SyncClient
from sync.client.store import LocalStore

__all__ = ["LocalStore", "SyncClient"]
