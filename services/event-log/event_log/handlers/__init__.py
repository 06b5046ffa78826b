"""The data protection officer's commands: load the record a decision needs, decide with the
domain's rules, append; an erasure then destroys the child's key."""
