"""Infrastructure the services share: the event log, the web layer, security and the calendar.

Nothing in here knows about schools, children or notices; the services' own packages do.
"""
