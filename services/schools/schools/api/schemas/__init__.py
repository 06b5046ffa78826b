"""The request and response models of the schools API, one module per resource.

Requests are ``...Create`` / ``...Update`` (extra fields refused); answers are ``...Public``, built
from domain state, from what a command recorded, or from a read-model row. ``paths`` holds the
path-parameter types.
"""
