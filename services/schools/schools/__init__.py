"""The schools service: the register of schools, Ofsted inspections, the council's
categorisation of schools, the support it allocates, performance against floor standards and
progress reviews (domain.md section 1)."""
