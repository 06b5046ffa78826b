"""Route -> handler -> load the streams, fold, decide, append: one module per kind of stream."""
