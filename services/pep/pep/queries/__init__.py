"""Questions the virtual school asks: a child's record (folded from the child's own streams, so it
carries their versions) and lists and reports (from the read models in the ``pep`` schema)."""
