"""The pure domain of the schools service.

Every operation is a command with a ``decide`` function returning events, and every stream's
state is a fold of its events with ``evolve``. Nothing here reads a clock, a database or a
random source: "today", ids, term calendars and policy tables are passed in by the caller.

Streams (category ``-`` id):

* ``school-<urn>``          the register entry (registered, details, status, conversion);
* ``inspections-<urn>``     the school's Ofsted inspections and the "stuck" flag;
* ``categorisation-<urn>``  the council's category: proposals, approvals;
* ``support-<urn>``         adviser days allocated per academic year and visits against them;
* ``performance-<urn>``     published results per year and key stage, floor and trend flags;
* ``reviews-<urn>``         progress reviews scheduled and held;
* ``schoolsconfig-council`` the council's term dates, support offers, floor and review rules.
"""
