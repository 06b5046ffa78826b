"""Report cards and RISE: a school's good-or-better flag becomes what the inspection recorded (under
report cards, the council's concern policy decides it, so it no longer follows from below good
alone); each inspection shows the policy version that judged it and the rule that flagged it
stuck; a school's profile holds its RISE engagements.

Revision ID: schools_0004
"""

from alembic import op

revision = "schools_0004"
down_revision = "schools_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows already written keep the value the expression gave them, which is what every
    # inspection recorded before the policy existed says.
    op.execute("ALTER TABLE schools.school_profiles ALTER COLUMN good_or_better DROP EXPRESSION")
    op.execute(
        "ALTER TABLE schools.school_profiles ADD COLUMN rise_engagements jsonb NOT NULL DEFAULT '[]'::jsonb"
    )
    op.execute(
        """
        ALTER TABLE schools.school_inspections
            ADD COLUMN good_or_better boolean,
            ADD COLUMN concern_policy_from date,
            ADD COLUMN stuck_rule text
        """
    )
    op.execute("UPDATE schools.school_inspections SET good_or_better = NOT below_good")


def downgrade() -> None:
    op.execute(
        """
        ALTER TABLE schools.school_inspections
            DROP COLUMN stuck_rule,
            DROP COLUMN concern_policy_from,
            DROP COLUMN good_or_better
        """
    )
    op.execute("ALTER TABLE schools.school_profiles DROP COLUMN rise_engagements")
    op.execute("ALTER TABLE schools.school_profiles DROP COLUMN good_or_better")
    op.execute(
        "ALTER TABLE schools.school_profiles ADD COLUMN good_or_better boolean "
        "GENERATED ALWAYS AS (NOT latest_below_good) STORED"
    )
