"""The event log's read-only HTTP API, one router per resource."""
