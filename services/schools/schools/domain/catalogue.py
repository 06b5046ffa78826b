"""The schools service's events: its public contract, read by the other services and the feed.

Other services ``include`` this catalogue to decode schools events; ``event_type`` names are
stable forever once written. The ones the other services rely on:

* ``SchoolRegistered``, ``SchoolDetailsChanged`` - establishment type, phase, religious character,
  diocese, LA code and whether the council maintains the school (``details.maintained``);
* ``SchoolStatusChanged``, ``SchoolClosed``, ``SchoolConvertedToAcademy`` - status and successor;
* ``SchoolLinked`` - a link of the national register's links file (predecessor, successor), on
  the streams of both schools it joins;
* ``InspectionRecorded`` - framework, judgements, category of concern, ``below_good``;
* ``SchoolCategorised`` - the council's approved category;
* ``SchoolBelowFloor`` (and ``SchoolAboveFloor``), ``DownwardTrendIdentified``,
  ``SchoolIdentifiedAsStuck`` - the flags that feed categorisation.

The RISE engagement events (stream ``rise-<urn>``) record the school's work with the DfE's RISE
team for the council's own view; no other service reads them today.

* ``CouncilTermDatesSet`` - the council calendar (stream ``calendar-council``), which this service
  keeps for every service: the pep service counts school days on it, the pupil-premium service
  names its terms by it (the event is defined in ``shared.council_calendar``).

* ``KnownSchoolRecorded``, ``KnownSchoolChanged`` - a school outside the council's area, as the
  national register describes it (stream ``knownschool-<urn>``): event types of their own, so no
  reader of the council's register takes one for a school of the council's. They are kept out of
  ``SCHOOLS_EVENT_TYPES``, which the council's own read models follow.

The council's configuration events (support offers, floor and review rules, and the retired
``TermDatesSet``, stream ``schoolsconfig-council``) are in the catalogue too, so the log can be
read and replayed whole; no other service needs them.
"""

from __future__ import annotations

from schools.domain.categorisation import CATEGORISATION_EVENTS
from schools.domain.configuration import CONFIGURATION_EVENTS
from schools.domain.inspections import (
    INSPECTION_EVENTS,
    InspectionRecorded,
    SchoolIdentifiedAsStuck,
    inspection_recorded_v1_to_v2,
    school_identified_as_stuck_v1_to_v2,
)
from schools.domain.known_schools import KNOWN_SCHOOL_CATEGORY, KNOWN_SCHOOL_EVENTS
from schools.domain.performance import PERFORMANCE_EVENTS
from schools.domain.register import REGISTER_EVENTS
from schools.domain.reviews import REVIEW_EVENTS
from schools.domain.rise import RISE_EVENTS
from schools.domain.support import SUPPORT_EVENTS
from shared.council_calendar import CALENDAR_EVENTS
from shared.events import EventCatalogue

SCHOOLS_EVENT_TYPES = (
    *REGISTER_EVENTS,
    *INSPECTION_EVENTS,
    *CATEGORISATION_EVENTS,
    *SUPPORT_EVENTS,
    *PERFORMANCE_EVENTS,
    *REVIEW_EVENTS,
    *RISE_EVENTS,
)

#: Stream categories this service owns (``<category>-<urn>``).
SCHOOLS_STREAM_CATEGORIES = (
    "school",
    "inspections",
    "categorisation",
    "support",
    "performance",
    "reviews",
    "rise",
    KNOWN_SCHOOL_CATEGORY,
)


def schools_catalogue() -> EventCatalogue:
    """A fresh catalogue of every event the schools service writes, with the upcasters that read
    the older shapes of those it has changed."""
    catalogue = EventCatalogue(
        "schools", (*SCHOOLS_EVENT_TYPES, *KNOWN_SCHOOL_EVENTS, *CONFIGURATION_EVENTS, *CALENDAR_EVENTS)
    )
    catalogue.upcaster(InspectionRecorded.event_type, 1)(inspection_recorded_v1_to_v2)
    catalogue.upcaster(SchoolIdentifiedAsStuck.event_type, 1)(school_identified_as_stuck_v1_to_v2)
    return catalogue
