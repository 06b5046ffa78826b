"""The schools read models: profiles, inspections, support years and visits, progress reviews.

Every table here is a projection of the log and can be emptied and rebuilt from it.

Revision ID: schools_0002
Revises: schools_0001
"""

from alembic import op

revision = "schools_0002"
down_revision = "schools_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE schools.school_profiles (
            urn                       text PRIMARY KEY,
            name                      text NOT NULL,
            la_code                   text NOT NULL,
            la_name                   text,
            establishment_type        text NOT NULL,
            phase                     text NOT NULL,
            religious_character       text,
            diocese                   text,
            status                    text NOT NULL,
            opened_on                 date,
            closed_on                 date,
            headteacher               text,
            chair_of_governors        text,
            designated_teacher        text,
            maintained                boolean NOT NULL,
            has_foundation_governors  boolean NOT NULL,
            predecessor_urn           text,
            successor_urn             text,
            registered_on             date NOT NULL,
            -- the latest graded inspection (by the date inspected)
            latest_inspection_id      text,
            latest_inspected_on       date,
            latest_framework          text,
            latest_judgement          text,
            latest_category_of_concern text,
            latest_below_good         boolean,
            stuck                     boolean NOT NULL DEFAULT false,
            -- the council's approved category and any proposal awaiting approval
            category                  text,
            categorised_on            date,
            review_cycle              text,
            pending_proposal          jsonb,
            -- published results and the flags they raised, per key stage
            results                   jsonb NOT NULL DEFAULT '{}'::jsonb,
            floor_outcomes            jsonb NOT NULL DEFAULT '{}'::jsonb,
            downward_trends           jsonb NOT NULL DEFAULT '{}'::jsonb,
            below_floor               boolean NOT NULL DEFAULT false,
            downward_trend            boolean NOT NULL DEFAULT false,
            -- the version of each of the school's streams, for If-Match on writes
            versions                  jsonb NOT NULL DEFAULT '{}'::jsonb,
            good_or_better            boolean GENERATED ALWAYS AS (NOT latest_below_good) STORED,
            at_risk                   boolean GENERATED ALWAYS AS (
                coalesce(category = 'at_risk', false) OR below_floor OR downward_trend OR stuck
            ) STORED
        )
        """
    )
    op.execute("CREATE INDEX school_profiles_phase_idx ON schools.school_profiles (phase, status)")
    op.execute("CREATE INDEX school_profiles_category_idx ON schools.school_profiles (category)")
    op.execute(
        """
        CREATE TABLE schools.school_inspections (
            urn                    text NOT NULL,
            inspection_id          text NOT NULL,
            inspected_on           date NOT NULL,
            inspection_type        text NOT NULL,
            framework              text NOT NULL,
            overall_effectiveness  text,
            judgements             jsonb NOT NULL,
            safeguarding           text,
            category_of_concern    text,
            headline_judgement     text,
            below_good             boolean NOT NULL,
            published_on           date,
            stuck_since_inspection text,
            recorded_position      bigint NOT NULL,
            PRIMARY KEY (urn, inspection_id)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE schools.support_years (
            urn            text    NOT NULL,
            academic_year  integer NOT NULL,
            category       text,
            academy        boolean NOT NULL DEFAULT false,
            allocated      numeric NOT NULL DEFAULT 0,
            increased      numeric NOT NULL DEFAULT 0,
            used           numeric NOT NULL DEFAULT 0,
            allocated_on   date,
            PRIMARY KEY (urn, academic_year)
        )
        """
    )
    op.execute("CREATE INDEX support_years_year_idx ON schools.support_years (academic_year)")
    op.execute(
        """
        CREATE TABLE schools.adviser_visits (
            urn            text    NOT NULL,
            visit_id       text    NOT NULL,
            academic_year  integer NOT NULL,
            visited_on     date    NOT NULL,
            adviser        text    NOT NULL,
            days           numeric NOT NULL,
            purpose        text    NOT NULL,
            notes          text,
            PRIMARY KEY (urn, visit_id)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE schools.progress_reviews (
            urn            text NOT NULL,
            review_id      text NOT NULL,
            frequency      text NOT NULL,
            category       text,
            due_on         date NOT NULL,
            required_by    date NOT NULL,
            scheduled_on   date NOT NULL,
            held_on        date,
            outcome        text,
            summary        text,
            actions        jsonb,
            recorded_by    text,
            cancelled_on   date,
            cancel_reason  text,
            PRIMARY KEY (urn, review_id)
        )
        """
    )
    op.execute(
        "CREATE INDEX progress_reviews_open_idx ON schools.progress_reviews (due_on) "
        "WHERE held_on IS NULL AND cancelled_on IS NULL"
    )


def downgrade() -> None:
    for table in (
        "progress_reviews",
        "adviser_visits",
        "support_years",
        "school_inspections",
        "school_profiles",
    ):
        op.execute(f"DROP TABLE schools.{table}")
