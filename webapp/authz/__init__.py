"""Function-level authorization: every view names its rule with ``@allow(...)``; see policy.py."""

from webapp.authz.policy import allow

__all__ = ["allow"]
