"""Handlers: load the stream, fold it, decide with the school's facts, append - a few lines each.

One module per stream category: ``notices`` (warning notices), ``interventions`` (eligibility,
consultations and powers), ``directions`` (the Secretary of State's) and ``academy_concerns``.
"""
