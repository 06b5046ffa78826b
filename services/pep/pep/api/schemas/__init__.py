"""Every request and response shape of the pep service's API, and its path parameters, one module
per resource. The routes in ``pep.api`` import from here; nothing else does."""
