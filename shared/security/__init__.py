"""Who is calling (verified bearer tokens) and what they may do (roles, scopes, data scope)."""
