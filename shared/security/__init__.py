"""Who is calling and what they may do.

``tokens`` verifies bearer JWTs (signature, issuer, audience, expiry; keys from the identity
provider's JWKS or the development key pair), ``access.allow`` is the rule every route declares
(role or service scope, 401/403, write rate limit), ``data_scope`` limits a designated teacher to
children on roll at their school, and ``mint`` makes development tokens.
"""
