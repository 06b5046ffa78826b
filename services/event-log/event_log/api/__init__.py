"""The event log's read-only HTTP API, one router per resource; ``schemas`` holds every parameter
type and body, ``answers`` what the routes share."""
