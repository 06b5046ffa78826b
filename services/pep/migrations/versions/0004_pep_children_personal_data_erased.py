"""A child's personal data can be erased: their name and date of birth may then be null in
``pep.children``, and ``personal_data_erased_on`` says since when, so the roll and the reports
show that the details were erased rather than never recorded. (The other personal columns -
social worker, carer, IRO, a PEP's rework reason and comments - could always be null.)

Revision ID: pep_0004
"""

from alembic import op

revision = "pep_0004"
down_revision = "pep_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE pep.children ALTER COLUMN name DROP NOT NULL")
    op.execute("ALTER TABLE pep.children ALTER COLUMN date_of_birth DROP NOT NULL")
    op.execute("ALTER TABLE pep.children ADD COLUMN personal_data_erased_on date")


def downgrade() -> None:
    # An erased child has no name or date of birth to put back, so the downgrade fails while any
    # child's are erased rather than invent them.
    op.execute("ALTER TABLE pep.children DROP COLUMN personal_data_erased_on")
    op.execute("ALTER TABLE pep.children ALTER COLUMN date_of_birth SET NOT NULL")
    op.execute("ALTER TABLE pep.children ALTER COLUMN name SET NOT NULL")
