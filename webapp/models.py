"""Imports every model module so the metadata (and Alembic autogenerate) sees all tables."""


def import_all() -> None:
    from webapp.accounts import models as _accounts  # noqa: F401
    from webapp.activities import models as _activities  # noqa: F401
    from webapp.analytics import models as _analytics  # noqa: F401
    from webapp.audit import models as _audit  # noqa: F401
    from webapp.backups import models as _backups  # noqa: F401
    from webapp.billing import models as _billing  # noqa: F401
    from webapp.calls import models as _calls  # noqa: F401
    from webapp.consent import models as _consent  # noqa: F401
    from webapp.crm import models as _crm  # noqa: F401
    from webapp.customfields import models as _customfields  # noqa: F401
    from webapp.dsr import models as _dsr  # noqa: F401
    from webapp.erasure import models as _erasure  # noqa: F401
    from webapp.exports import models as _exports  # noqa: F401
    from webapp.imports import models as _imports  # noqa: F401
    from webapp.integrations import models as _integrations  # noqa: F401
    from webapp.jobs import models as _jobs  # noqa: F401
    from webapp.leads import models as _leads  # noqa: F401
    from webapp.legalbasis import models as _legalbasis  # noqa: F401
    from webapp.messaging import models as _messaging  # noqa: F401
    from webapp.mydata import models as _mydata  # noqa: F401
    from webapp.newsletter import models as _newsletter  # noqa: F401
    from webapp.notices import models as _notices  # noqa: F401
    from webapp.processing import models as _processing  # noqa: F401
    from webapp.profiles import models as _profiles  # noqa: F401
    from webapp.reports import models as _reports  # noqa: F401
    from webapp.retention import models as _retention  # noqa: F401
    from webapp.seclog import models as _seclog  # noqa: F401
    from webapp.segments import models as _segments  # noqa: F401
    from webapp.site import models as _site  # noqa: F401
    from webapp.sso import models as _sso  # noqa: F401
    from webapp.subprocessors import models as _subprocessors  # noqa: F401
    from webapp.tenant_admin import models as _tenant_admin  # noqa: F401
    from webapp.tenants import models as _tenants  # noqa: F401
    from webapp.transfers import models as _transfers  # noqa: F401
    from webapp.trials import models as _trials  # noqa: F401
    from webapp.twofactor import models as _twofactor  # noqa: F401
    from webapp.widgets import models as _widgets  # noqa: F401
    from webapp.workshops import models as _workshops  # noqa: F401
