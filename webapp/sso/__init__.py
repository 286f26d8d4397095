"""Single sign-on through OpenID Connect (Google and one generic provider), with Authlib.

An identity (provider, subject) signs in only the account it was linked to; linking needs a
recent password confirmation and a completed provider round trip. E-mail claims are never used
to find, create or link an account. See ``providers`` (configuration), ``flow`` (the
authorization code flow with PKCE, state and nonce), ``services`` (identities), ``routes``.
"""
