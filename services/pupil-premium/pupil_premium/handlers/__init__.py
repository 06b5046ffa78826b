"""Command handlers: load the stream, fold it, decide with the domain, append (``execute``)."""
