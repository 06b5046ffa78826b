"""The HTTP API: one router per resource; routes build a command and call a handler."""
