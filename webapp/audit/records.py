"""The audited records. New tenant record types (notes, tasks, custom field values) add a
``registry.register`` call for themselves: here, or at the bottom of their own models module."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.audit.registry import register
from webapp.crm.models import Company, Contact

register(Company, "company", label=_l("Company"), title=lambda company: company.name, labels={
    "name": _l("Name"), "city": _l("City"), "country": _l("Country"), "deleted_at": _l("In the trash since"),
})
register(Contact, "contact", label=_l("Contact"), title=lambda contact: contact.full_name,
         parent=("company_id", Company), labels={
             "first_name": _l("First name"), "last_name": _l("Last name"), "email": _l("E-mail address"),
             "phone": _l("Phone"), "company_id": _l("Company"), "deleted_at": _l("In the trash since"),
         })
