"""The event log's HTTP API, one router per resource; ``schemas`` holds every parameter type and
body, ``answers`` what the routes share. Every route reads, but those of ``privacy``: the data
protection officer's legal holds, erasures and retention schedule."""
