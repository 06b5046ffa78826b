"""The pupil_premium read-model schema: subscription checkpoints and dead letters.

Revision ID: pupil_premium_0001
"""

from alembic import op

from shared.eventlog.tables import subscription_tables_ddl

revision = "pupil_premium_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in subscription_tables_ddl("pupil_premium"):
        op.execute(statement)
    op.execute('GRANT USAGE ON SCHEMA "pupil_premium" TO education_service')
    op.execute('ALTER DEFAULT PRIVILEGES IN SCHEMA "pupil_premium" '
               "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO education_service")
    op.execute('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "pupil_premium" '
               "TO education_service")


def downgrade() -> None:
    op.execute('DROP TABLE "pupil_premium".dead_letters')
    op.execute('DROP TABLE "pupil_premium".subscription_checkpoints')
