"""Handlers: load the stream, fold it, decide with the school's facts, append - a few lines each.

One module per stream category: ``notices`` (warning notices), ``interventions`` (eligibility,
consultations and powers), ``directions`` (the Secretary of State's), ``academy_concerns``, and
``deadlines`` (a stream's passed deadlines, appended by the scheduled job); ``common`` holds what
they share.
"""
