"""Every request and response shape of the pupil-premium API, and its path and query parameters,
one module per resource (``budgets``, ``requests``, ``panel``, ``projects``, ``payment_runs``,
``reports``, ``settings``) and what they share (``common``). The routes in ``pupil_premium.api``
import from here.

Requests are ``...Create`` (fields a client may not send are refused); answers are ``...Public``,
built from the folded state a command produced or from a read-model row. Class names are the
OpenAPI schema names, so they do not change.
"""
