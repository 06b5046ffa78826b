"""Every request and response body of the notices API, and its path parameters: one module per
resource (``notices``, ``interventions``, ``directions``, ``academy_concerns``, ``academy_orders``,
``secretary_of_state_notices``, ``overview``) and what they share (``common``)."""
