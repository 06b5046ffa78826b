"""Test support shared by every service's tests: a real PostgreSQL, databases, apps, tokens."""
