"""The rules of the data protection officer's records: the council's retention schedule
(``retention``), each child's legal holds and erasure (``protection``), the refusals they give
(``refusals``) and the events the service writes (``catalogue``). Pure: no I/O, no clock."""
