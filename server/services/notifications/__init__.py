"""Notifications (docs/notifications.md): the outbox rows deadline alerts become, and their delivery."""
