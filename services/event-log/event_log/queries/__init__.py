"""Reads of the log and how their answers are shaped; none of them writes.

* ``pages`` - which events a request selects, read a keyset page at a time (feed, stream,
  timelines, exports), and which children a selection concerns;
* ``events`` - one event as an answer shows it (as stored, or upcast), and the children a page
  of events shows;
* ``timelines`` and ``roll_periods`` - which events make up a child's or a school's timeline;
* ``state_as_of`` - a stream's or a record's state as of a date, a recording time or a position,
  folded with the owning service's own ``evolve``;
* ``export_formats`` - exported pages written as NDJSON or CSV.
"""
