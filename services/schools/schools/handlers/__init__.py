"""Handlers: load the streams a decision needs, decide with the pure domain, append.

Each takes the service's root (``schools.wiring.Schools``), the request's ``CommandContext`` (who,
when, the idempotency key and any If-Match) and a command, and returns the ``Outcome`` of
``ServiceLog.execute``: the stream's state and version after it, and what was recorded.
"""
