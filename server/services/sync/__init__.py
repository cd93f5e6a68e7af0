"""The server half of offline sync (docs/sync-protocol.md): pull, push, receipts and conflicts.

The protocol's pure parts (merge rules, cursor encoding, conflict details) and the reference tablet client
live in the top-level `sync` package, which knows nothing of the server.
"""
