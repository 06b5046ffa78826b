"""Personal data in a log that never forgets: sealed with a key per data subject, erased by
destroying the key (docs/privacy.md).

* ``keys`` - the data subjects' keys, wrapped by a master key a council may hold in its KMS;
* ``sealing`` - sealing an event's personal fields as it is appended and revealing them as it is
  read, or marking them erased when the key is gone.
"""
