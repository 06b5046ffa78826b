"""The PEP service: looked-after children, their school places and their Personal Education Plans."""
