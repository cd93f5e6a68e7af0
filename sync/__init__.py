"""Offline sync: the change feed devices pull, pushes merged field by field, conflicts, blobs, a reference client."""
