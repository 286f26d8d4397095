"""Factory fixtures: build valid rows with sensible defaults; every argument can be overridden."""

from __future__ import annotations

import itertools

from webapp import tenancy
from webapp.accounts import passwords
from webapp.accounts.models import User
from webapp.crm.models import Company, Contact
from webapp.tenants.models import Tenant

_serial = itertools.count(1)
_HASH_CACHE: dict[str, str] = {}


def _hash(password: str) -> str:
    if password not in _HASH_CACHE:
        _HASH_CACHE[password] = passwords.hash_password(password)
    return _HASH_CACHE[password]


class Factories:
    PASSWORD = "Szamarkoehegy-lantern-77"

    def __init__(self, session):
        self.session = session

    def _save(self, obj):
        self.session.add(obj)
        self.session.flush()
        return obj

    def tenant(self, **fields) -> Tenant:
        n = next(_serial)
        fields.setdefault("name", f"Tenant {n} Kft.")
        fields.setdefault("slug", f"tenant-{n}")
        fields.setdefault("state", "subscribed")
        return self._save(Tenant(**fields))

    def user(self, tenant: Tenant | None = None, role: str = "user", staff_role: str | None = None,
             password: str | None = None, **fields) -> User:
        n = next(_serial)
        if staff_role is None and tenant is None:
            tenant = self.tenant()
        fields.setdefault("email", f"user{n}@example.com")
        fields.setdefault("name", f"Test User {n}")
        return self._save(User(
            tenant_id=None if staff_role else tenant.id, role=None if staff_role else role,
            staff_role=staff_role, password_hash=_hash(password or self.PASSWORD), **fields,
        ))

    def _save_in(self, tenant: Tenant, obj):
        previous = self.session.info.get(tenancy.TENANT_KEY)
        self.session.info[tenancy.TENANT_KEY] = tenant.id
        try:
            return self._save(obj)
        finally:
            self.session.info.pop(tenancy.TENANT_KEY, None)
            if previous is not None:
                self.session.info[tenancy.TENANT_KEY] = previous

    def company(self, tenant: Tenant, **fields) -> Company:
        fields.setdefault("name", f"Company {next(_serial)} Kft.")
        return self._save_in(tenant, Company(tenant_id=tenant.id, **fields))

    def contact(self, tenant: Tenant, **fields) -> Contact:
        n = next(_serial)
        fields.setdefault("first_name", "Anna")
        fields.setdefault("last_name", f"Kovács{n}")
        fields.setdefault("email", f"anna{n}@example.com")
        return self._save_in(tenant, Contact(tenant_id=tenant.id, **fields))
