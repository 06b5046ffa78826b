"""The virtual school's rules, free of I/O.

* ``terms`` - a council's term dates (school days, half-terms);
* ``timing`` - the PEP timing policy and the due dates it gives;
* ``child_events`` / ``children`` - a looked-after child, care episodes and school places;
* ``targets`` / ``reviews`` - SMART targets and what a PEP review records;
* ``pep_events`` / ``peps`` - the PEP of each term, from initiation to quality assurance;
* ``deadlines`` - statutory PEP obligations and the overdue events they raise;
* ``compliance`` - the termly compliance counts built from those obligations;
* ``foreign_events`` - the schools and notices events this service reads;
* ``school_concerns`` - alerts to the virtual school when a school with looked-after children
  on roll gives cause for concern;
* ``attendance_codes`` / ``attendance_policy`` / ``attendance`` - the national attendance codes,
  the council's attendance alert policy, and each child's daily marks, measures and alerts;
* ``catalogue`` / ``streams`` - the public list of event types and the stream names.
"""
