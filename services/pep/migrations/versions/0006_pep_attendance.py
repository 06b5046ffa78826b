"""Children's daily attendance (``pep.attendance_sessions``), their unique pupil numbers
(``pep.pupil_numbers``) and the attendance alerts raised for them (``pep.attendance_alerts``).

A session is kept per child, date, morning or afternoon, and school: a dual-registered pupil is
marked by both schools. ``code`` is the national code (null once the child's personal data is
erased); ``kind`` what the measures count.

Revision ID: pep_0006
"""

from alembic import op

revision = "pep_0006"
down_revision = "pep_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE pep.attendance_sessions (
            child_id       text    NOT NULL,
            on_date        date    NOT NULL,
            session        text    NOT NULL,
            urn            text    NOT NULL,
            kind           text    NOT NULL,
            code           text,
            stream_version integer NOT NULL,
            PRIMARY KEY (child_id, on_date, session, urn)
        )
        """
    )
    op.execute("CREATE INDEX attendance_sessions_urn_idx ON pep.attendance_sessions (urn, on_date)")
    op.execute("CREATE INDEX attendance_sessions_date_idx ON pep.attendance_sessions (on_date)")
    op.execute(
        """
        CREATE TABLE pep.pupil_numbers (
            child_id text PRIMARY KEY,
            upn      text
        )
        """
    )
    # Not unique: two children recorded with one UPN is a mistake to show (their marks are then
    # refused by UPN), not a reason to stop the read model.
    op.execute("CREATE INDEX pupil_numbers_upn_idx ON pep.pupil_numbers (upn)")
    op.execute(
        """
        CREATE TABLE pep.attendance_alerts (
            child_id           text    NOT NULL,
            stream_version     integer NOT NULL,
            alert              text    NOT NULL,
            urn                text    NOT NULL,
            period             text,
            term               text,
            period_start       date,
            period_end         date,
            threshold_percent  integer,
            possible_sessions  integer,
            missed_sessions    integer,
            sessions_in_a_row  integer,
            first_on           date,
            last_on            date,
            last_marked_on     date,
            school_days_without_marks integer,
            effective_on       date    NOT NULL,
            raised_on          date    NOT NULL,
            PRIMARY KEY (child_id, stream_version)
        )
        """
    )
    op.execute("CREATE INDEX attendance_alerts_raised_idx ON pep.attendance_alerts (raised_on, urn)")


def downgrade() -> None:
    op.execute("DROP TABLE pep.attendance_alerts")
    op.execute("DROP TABLE pep.pupil_numbers")
    op.execute("DROP TABLE pep.attendance_sessions")
