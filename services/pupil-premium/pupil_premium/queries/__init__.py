"""Reads of the service's read models (never inline SQL in routes)."""
