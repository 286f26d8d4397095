"""The closed sets of the records of processing, and the seed taken from the privacy policy.

Texts are our own; the periods are the policy's facts (REQUIREMENTS.md C1–C5, B2, E7, G1).
Pure data: the migration seeds from ``SEED`` without an app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LEGAL_BASES = ("consent", "contract", "legal_obligation", "vital_interest", "public_task", "legitimate_interest")
LEGAL_BASIS_ARTICLES = {"consent": "6(1)(a)", "contract": "6(1)(b)", "legal_obligation": "6(1)(c)",
                        "vital_interest": "6(1)(d)", "public_task": "6(1)(e)", "legitimate_interest": "6(1)(f)"}
CLOCKS = ("last_interaction", "last_contact", "trial_closed_at", "last_invoice", "created_at", "trashed_at",
          "withdrawal")
UNITS = ("days", "months", "years")

# Data categories: a closed set; each belongs to exactly one processing activity.
CATEGORIES = (
    "analytics_page_views", "newsletter_subscriber", "workshop_registrant", "trial_contact",
    "trial_tenant_data", "subscriber_contact", "marketing_profile", "invoice_data",
    "security_log_detailed", "security_log_events", "sms_content", "call_metadata", "call_recordings",
    "import_files", "export_files", "trashed_records",
)

# Bounds a privacy officer cannot leave (period converted to days for the comparison).
PERIOD_BOUNDS_DAYS = {"invoicing": (10 * 365, 15 * 366)}


@dataclass(frozen=True)
class SeedActivity:
    key: str
    title_en: str
    title_de: str
    title_hu: str
    description: str
    categories: tuple[str, ...]
    legal_basis: str
    clock: str
    period: int
    unit: str
    recipients: tuple[str, ...] = ()
    transfers: tuple[str, ...] = field(default=())


SEED: tuple[SeedActivity, ...] = (
    SeedActivity("website_analytics", "Website analytics", "Webseiten-Statistik", "Weboldal-statisztika",
                 "First-party visit statistics on our own server (pages, device, browser family, source); "
                 "no IP address is kept.", ("analytics_page_views",), "consent", "created_at", 90, "days"),
    SeedActivity("newsletter", "Newsletter", "Newsletter", "Hírlevél",
                 "News about features, free training and ideas for customer management, sent to people "
                 "who subscribed with double opt-in.", ("newsletter_subscriber",), "consent",
                 "last_interaction", 365, "days", ("Google Ireland Limited",)),
    SeedActivity("workshop", "Free workshop", "Kostenloser Workshop", "Ingyenes workshop",
                 "Booking a free workshop: our consultants get in touch to arrange a date.",
                 ("workshop_registrant",), "legitimate_interest", "last_interaction", 365, "days",
                 ("Google Ireland Limited", "Arenim Technologies Kft.")),
    SeedActivity("trial_contact", "Free trial: contact and notes", "Testphase: Kontakt und Notizen",
                 "Próbaidőszak: kapcsolat és jegyzetek",
                 "Helping trial users get started; our contact details and notes about the trial.",
                 ("trial_contact",), "legitimate_interest", "last_contact", 365, "days",
                 ("Google Ireland Limited", "Arenim Technologies Kft.")),
    SeedActivity("trial_tenant_data", "Trial system: customer data", "Testsystem: Kundendaten",
                 "Próbarendszer: ügyféladatok",
                 "Customer data a trial user enters, kept for us as processor; deleted after the trial "
                 "closes unless a subscription starts.", ("trial_tenant_data",), "contract",
                 "trial_closed_at", 90, "days", ("Telekom Rendszerintegráció Zrt.",)),
    SeedActivity("subscriber_contact", "Subscription: contact and notes", "Abonnement: Kontakt und Notizen",
                 "Előfizetés: kapcsolat és jegyzetek",
                 "Serving subscribers under the contract: contact details and our notes.",
                 ("subscriber_contact",), "contract", "last_contact", 3, "years",
                 ("Google Ireland Limited", "Arenim Technologies Kft.")),
    SeedActivity("marketing_profile", "Marketing profile", "Marketingprofil", "Marketingprofil",
                 "What a lead told us about their needs, used to choose relevant messages; segments are "
                 "built by hand.", ("marketing_profile",), "consent", "last_interaction", 365, "days"),
    SeedActivity("invoicing", "Invoicing", "Rechnungsstellung", "Számlázás",
                 "Invoices and the data on them, kept as the law requires after the contract ends.",
                 ("invoice_data",), "legal_obligation", "last_invoice", 10, "years",
                 ("Finacont Szolgáltató és Tanácsadó Kft.", "Nemzeti Adó- és Vámhivatal (NAV)")),
    SeedActivity("security_log_detailed", "Security log: page access", "Sicherheitsprotokoll: Seitenzugriffe",
                 "Biztonsági napló: oldalhozzáférések",
                 "Which pages and functions a signed-in user reached, with the browser cookie id.",
                 ("security_log_detailed",), "legitimate_interest", "created_at", 90, "days",
                 ("Telekom Rendszerintegráció Zrt.",)),
    SeedActivity("security_log", "Security log: security events", "Sicherheitsprotokoll: Sicherheitsereignisse",
                 "Biztonsági napló: biztonsági események",
                 "Sign-ins, failures, lockouts and other security events.", ("security_log_events",),
                 "legitimate_interest", "created_at", 365, "days", ("Telekom Rendszerintegráció Zrt.",)),
    SeedActivity("sms_delivery", "Text messages", "SMS-Versand", "SMS-küldés",
                 "Sending text messages (sign-in codes, notices); the text is blanked after delivery "
                 "while number and status stay.", ("sms_content",), "contract", "created_at", 30, "days",
                 ("Opennetworks Kft.", "LINK Mobility Poland Sp. z o.o.")),
    SeedActivity("support_calls", "Support calls", "Support-Telefonate", "Ügyfélszolgálati hívások",
                 "Who spoke with whom and when; inbound support calls are recorded after an announcement "
                 "for quality review.", ("call_metadata", "call_recordings"), "legitimate_interest",
                 "created_at", 365, "days", ("Arenim Technologies Kft.",)),
    SeedActivity("contact_imports", "Contact imports", "Kontaktimporte", "Kapcsolatimportálás",
                 "Files a tenant uploads to import contacts, and the rejection reports.", ("import_files",),
                 "contract", "created_at", 7, "days"),
    SeedActivity("contact_exports", "Contact exports", "Kontaktexporte", "Kapcsolatexportálás",
                 "Export files a tenant admin requests; the link and the file expire.", ("export_files",),
                 "contract", "created_at", 1, "days"),
    SeedActivity("trash", "Trash", "Papierkorb", "Lomtár",
                 "Records a tenant moved to the trash, kept for restoring, then deleted for good.",
                 ("trashed_records",), "contract", "trashed_at", 30, "days"),
)


def seed_rows() -> list[dict]:
    """The seed as plain rows of ``processing_activities`` (without ids and timestamps)."""
    return [{"key": s.key, "title_en": s.title_en, "title_de": s.title_de, "title_hu": s.title_hu,
             "description": s.description, "categories": list(s.categories), "legal_basis": s.legal_basis,
             "recipients": list(s.recipients), "transfers": list(s.transfers), "clock": s.clock,
             "period": s.period, "unit": s.unit, "active": True, "version": 1} for s in SEED]
