"""Imports every model module so the metadata (and Alembic autogenerate) sees all tables."""


def import_all() -> None:
    from webapp.accounts import models as _accounts  # noqa: F401
    from webapp.audit import models as _audit  # noqa: F401
    from webapp.crm import models as _crm  # noqa: F401
    from webapp.exports import models as _exports  # noqa: F401
    from webapp.imports import models as _imports  # noqa: F401
    from webapp.jobs import models as _jobs  # noqa: F401
    from webapp.leads import models as _leads  # noqa: F401
    from webapp.messaging import models as _messaging  # noqa: F401
    from webapp.seclog import models as _seclog  # noqa: F401
    from webapp.sso import models as _sso  # noqa: F401
    from webapp.tenant_admin import models as _tenant_admin  # noqa: F401
    from webapp.tenants import models as _tenants  # noqa: F401
    from webapp.twofactor import models as _twofactor  # noqa: F401
