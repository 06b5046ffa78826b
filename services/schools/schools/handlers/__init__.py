"""Handlers: load the streams a decision needs, decide with the pure domain, append.

Each takes a command, the ``SchoolsLog`` and the request's ``CommandContext`` (who, when, the
idempotency key and any If-Match), and returns what was recorded.
"""
