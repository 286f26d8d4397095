"""Security log: access and authentication events, hash-chained, two retention classes.

The public API and the design are documented in ``webapp.seclog.services``; the event kinds in
``webapp.seclog.kinds``; the chain and its verification in ``webapp.seclog.chain``.
"""
