"""The web layer every service shares: the app factory, problem details, request context."""
