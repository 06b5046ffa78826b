"""The notices service: section 60 warning notices, eligibility for intervention, the council's
powers under sections 63 to 66 of the Education and Inspections Act 2006, and the Secretary of
State's directions to consider giving a notice."""
