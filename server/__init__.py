"""Tapline HTTP service: app factory, persistence, API blueprints, auth, CLI."""
from server.app import create_app

__all__ = ["create_app"]
