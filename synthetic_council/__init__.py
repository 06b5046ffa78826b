"""A synthetic council: years of schools, inspections, looked-after children, PEPs, PP+ and
warning notices, recorded through the services' own commands (docs/synthetic-council.md).

``sizes`` says how big; ``story`` writes, from a seed, every call an officer would make;
``running`` makes them against the four services running in this process.
"""
