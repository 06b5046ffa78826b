"""The pure domain of the notices service.

Every operation is a command with a ``decide`` function returning events, and every stream's
state is a fold of its events with ``evolve``. Nothing here reads a clock, a database or a
random source: "today", ids, the working-day calendar, the rule book and the school's facts
(folded from the schools service's events) are passed in by the caller.

Streams (category ``-`` id):

* ``notice-<notice id>``       one performance standards and safety warning notice (s60), from
  draft to compliance, representations, Ofsted's decision and notice of intention;
* ``intervention-<urn>``       the school's eligibility for intervention, consultations and the
  powers used (s63-s66), and the lapse of powers two months after a compliance period;
* ``direction-<direction id>`` a Secretary of State's direction to consider giving a notice;
* ``academyconcern-<urn>``     letters of concern about an academy, to its trust and then to
  the Secretary of State (the council's route where it cannot give a warning notice);
* ``sosnotices-<urn>``         the Secretary of State's warning notices to the school as the
  council was told of them, and the Secretary of State's permission for the council to give its
  own (since 18 April 2016).
* ``academyorder-<urn>``       the Secretary of State's academy order for an eligible school (made,
  not made under the power, revoked) and the steps taken to facilitate conversion;
* ``academyorderlaw-council``  the council's record of when the Children's Wellbeing and Schools
  Act 2026 turns the duty to make an academy order into a power.

Deadlines are computed when the fact that starts them is recorded and fire as events: each
aggregate has ``pending_deadlines(state)`` and ``deadlines_due(state, today)``.

Modules: ``warning_notice`` (+ ``_events``, ``_state``, ``notice_content``), ``intervention``
(``eligibility``, ``powers``, ``intervention_state``, ``intervention_events``), ``direction``
(+ ``direction_events``), ``academy_concern``, ``academy_order`` (+ ``academy_order_law``), ``secretary_of_state_notices``; ``rules`` (the regimes by effective date, data
only), ``dates`` (every period counted: when it ends, when something takes effect),
``working_days`` (the calendar they are counted on), ``deadlines`` (the Deadline value);
``school_facts`` and ``schools_events`` (the schools service's events, read in one place),
``recipients``; ``policies`` (events to commands), ``notice_timeline`` and ``across_schools``
(the questions officers ask, answered from folded states) and ``catalogue``.
"""
