"""newsletter: one lead per e-mail address, contact stop, legal-basis ledger, double opt-in, campaigns

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-25 16:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.db  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('dispatched_at')  # never used: dispatch happens after commit, tracked by state
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_stopped_at', webapp.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.drop_index('ix_leads_email')
        batch_op.create_index('uq_leads_email', ['email'], unique=True)

    op.create_table('legal_basis_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=30), nullable=False),
    sa.Column('basis', sa.String(length=30), nullable=False),
    sa.Column('started_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=60), nullable=False),
    sa.Column('end_reason', sa.String(length=60), nullable=True),
    sa.CheckConstraint("purpose IN ('newsletter', 'workshop', 'trial', 'marketing_contact', 'contract', 'invoicing')", name=op.f('ck_legal_basis_entries_purpose_known')),
    sa.CheckConstraint("basis IN ('consent', 'legitimate_interest', 'contract', 'legal_obligation')", name=op.f('ck_legal_basis_entries_basis_known')),
    sa.CheckConstraint('ended_at IS NULL OR ended_at >= started_at', name=op.f('ck_legal_basis_entries_ends_after_start')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_legal_basis_entries_lead_id_leads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_basis_entries'))
    )
    with op.batch_alter_table('legal_basis_entries', schema=None) as batch_op:
        batch_op.create_index('ix_legal_basis_lead_started', ['lead_id', 'started_at'], unique=False)
        batch_op.create_index('uq_legal_basis_open', ['lead_id', 'purpose'], unique=True,
                              postgresql_where=sa.text('ended_at IS NULL'), sqlite_where=sa.text('ended_at IS NULL'))

    op.create_table('newsletter_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=15), nullable=False),
    sa.Column('confirm_token_hash', sa.String(length=64), nullable=True),
    sa.Column('confirm_expires_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmation_sent_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('unsubscribed_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('pending', 'confirmed', 'unsubscribed')", name=op.f('ck_newsletter_subscriptions_state_known')),
    sa.CheckConstraint("(state = 'confirmed') = (confirmed_at IS NOT NULL AND unsubscribed_at IS NULL)", name=op.f('ck_newsletter_subscriptions_confirmed_has_time')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_newsletter_subscriptions_lead_id_leads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletter_subscriptions')),
    sa.UniqueConstraint('confirm_token_hash', name=op.f('uq_newsletter_subscriptions_confirm_token_hash')),
    sa.UniqueConstraint('lead_id', name=op.f('uq_newsletter_subscriptions_lead_id'))
    )
    with op.batch_alter_table('newsletter_subscriptions', schema=None) as batch_op:
        batch_op.create_index('ix_newsletter_subscriptions_state', ['state', 'id'], unique=False)

    op.create_table('signup_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('step', sa.String(length=15), nullable=False),
    sa.Column('at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('notice_version', sa.Integer(), nullable=True),
    sa.Column('notice_hash', sa.String(length=64), nullable=True),
    sa.Column('form', sa.String(length=60), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.CheckConstraint("step IN ('requested', 'confirmed', 'unsubscribed', 'contact_stopped')", name=op.f('ck_signup_evidence_step_known')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_signup_evidence_lead_id_leads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signup_evidence'))
    )
    with op.batch_alter_table('signup_evidence', schema=None) as batch_op:
        batch_op.create_index('ix_signup_evidence_lead_at', ['lead_id', 'at'], unique=False)

    op.create_table('newsletter_campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('base_url', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.String(length=100), nullable=True),
    sa.Column('sent_count', sa.Integer(), nullable=True),
    sa.Column('finished_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(trim(subject)) > 0', name=op.f('ck_newsletter_campaigns_subject_not_blank')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_newsletter_campaigns_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletter_campaigns'))
    )

    op.create_table('workshop_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('topic', sa.String(length=300), nullable=True),
    sa.Column('closed_reason', sa.String(length=30), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('open', 'booked', 'closed')", name=op.f('ck_workshop_requests_state_known')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_workshop_requests_lead_id_leads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_requests'))
    )
    with op.batch_alter_table('workshop_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_requests_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index('ix_workshop_requests_state_created', ['state', 'created_at'], unique=False)

    op.create_table('workshop_appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('consultant_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('planned', 'held', 'cancelled')", name=op.f('ck_workshop_appointments_state_known')),
    sa.CheckConstraint('duration_minutes > 0 AND duration_minutes <= 480', name=op.f('ck_workshop_appointments_duration_in_range')),
    sa.ForeignKeyConstraint(['consultant_id'], ['users.id'], name=op.f('fk_workshop_appointments_consultant_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['workshop_requests.id'], name=op.f('fk_workshop_appointments_request_id_workshop_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_appointments'))
    )
    with op.batch_alter_table('workshop_appointments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_appointments_consultant_id'), ['consultant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_appointments_request_id'), ['request_id'], unique=False)

    _create_trials()
    op.create_table('data_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('state', sa.String(length=15), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('identity_check', sa.String(length=20), nullable=False),
    sa.Column('identity_note', sa.String(length=300), nullable=True),
    sa.Column('details', sa.Text(), nullable=True),
    sa.Column('received_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('extended_due_on', sa.Date(), nullable=True),
    sa.Column('extension_reason', sa.String(length=500), nullable=True),
    sa.Column('closed_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=500), nullable=True),
    sa.Column('logged_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('access', 'rectification', 'erasure', 'restriction', 'portability', 'objection', 'withdrawal', 'stop_contact')", name=op.f('ck_data_requests_kind_known')),
    sa.CheckConstraint("state IN ('received', 'in_progress', 'extended', 'done', 'refused')", name=op.f('ck_data_requests_state_known')),
    sa.CheckConstraint("channel IN ('portal', 'letter', 'email', 'phone')", name=op.f('ck_data_requests_channel_known')),
    sa.CheckConstraint("identity_check IN ('one_time_link', 'signed_in', 'registered_address', 'extra_verification')", name=op.f('ck_data_requests_identity_check_known')),
    sa.CheckConstraint('extended_due_on IS NULL OR (extended_due_on > due_on AND extension_reason IS NOT NULL)', name=op.f('ck_data_requests_extension_has_reason')),
    sa.CheckConstraint("(state IN ('done', 'refused')) = (closed_at IS NOT NULL)", name=op.f('ck_data_requests_closed_has_time')),
    sa.ForeignKeyConstraint(['logged_by_id'], ['users.id'], name=op.f('fk_data_requests_logged_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_requests'))
    )
    with op.batch_alter_table('data_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_requests_email'), ['email'], unique=False)
        batch_op.create_index('ix_data_requests_open_due', ['state', 'due_on'], unique=False)
    op.create_table('data_request_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_data_request_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['data_requests.id'], name=op.f('fk_data_request_events_request_id_data_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_request_events'))
    )
    with op.batch_alter_table('data_request_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_request_events_request_id'), ['request_id'], unique=False)
    op.create_table('portal_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('expires_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_portal_links_token_hash'))
    )
    with op.batch_alter_table('portal_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_links_expires_at'), ['expires_at'], unique=False)
    op.create_table('transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recipient_kind', sa.String(length=20), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('legal_basis', sa.String(length=30), nullable=False),
    sa.Column('purpose', sa.String(length=60), nullable=False),
    sa.Column('data_description', sa.String(length=300), nullable=False),
    sa.Column('subject_email', sa.String(length=254), nullable=True),
    sa.Column('subject_phone', sa.String(length=32), nullable=True),
    sa.Column('subject_user_id', sa.Integer(), nullable=True),
    sa.Column('reference', sa.String(length=60), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("recipient_kind IN ('processor', 'authority', 'new_operator', 'other')", name=op.f('ck_transfers_recipient_kind_known')),
    sa.CheckConstraint("legal_basis IN ('consent', 'contract', 'legal_obligation', 'legitimate_interest', 'vital_interest', 'public_task')", name=op.f('ck_transfers_legal_basis_known')),
    sa.CheckConstraint('subject_email IS NOT NULL OR subject_phone IS NOT NULL OR subject_user_id IS NOT NULL', name=op.f('ck_transfers_names_a_person')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_transfers_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['subject_user_id'], ['users.id'], name=op.f('fk_transfers_subject_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfers'))
    )
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.create_index('ix_transfers_at', ['at', 'id'], unique=False)
        batch_op.create_index('ix_transfers_subject_email', ['subject_email'], unique=False)
        batch_op.create_index('ix_transfers_subject_phone', ['subject_phone'], unique=False)
        batch_op.create_index('uq_transfers_reference', ['reference'], unique=True)
    op.create_table('widget_origins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=200), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("origin LIKE 'http%://%'", name=op.f('ck_widget_origins_origin_is_http')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_widget_origins_added_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_widget_origins')),
    sa.UniqueConstraint('origin', name=op.f('uq_widget_origins_origin'))
    )


TERMS_V1 = {
    "en": "Bizalom lets your company keep its customer relationships in one place. These terms apply to the free "
          "trial and to subscriptions.\n\nYou decide what data your company enters and you are responsible for "
          "having the right to process it. We process it only on your instructions, as your processor.\n\nA trial "
          "is free and ends by itself; you can close it earlier. After closing, your data is kept for 90 days so "
          "you can subscribe and continue, then it is deleted for good.\n\nA subscription is billed monthly per "
          "seat and can be ended at the end of any month.",
    "de": "Mit Bizalom verwaltet Ihr Unternehmen seine Kundenbeziehungen an einem Ort. Diese Bedingungen gelten "
          "für den kostenlosen Test und für Abonnements.\n\nSie entscheiden, welche Daten Ihr Unternehmen "
          "erfasst, und sind dafür verantwortlich, sie verarbeiten zu dürfen. Wir verarbeiten sie nur nach Ihren "
          "Weisungen, als Ihr Auftragsverarbeiter.\n\nDer Test ist kostenlos und endet von selbst; Sie können "
          "ihn früher schließen. Danach bewahren wir Ihre Daten 90 Tage auf, damit Sie abonnieren und "
          "weitermachen können; dann werden sie endgültig gelöscht.\n\nEin Abonnement wird monatlich pro "
          "Arbeitsplatz abgerechnet und kann zum Ende jedes Monats beendet werden.",
    "hu": "A Bizalommal a cége egy helyen kezeli ügyfélkapcsolatait. Ezek a feltételek az ingyenes próbára és az "
          "előfizetésekre vonatkoznak.\n\nÖn dönti el, milyen adatokat rögzít a cége, és Ön felel azért, hogy "
          "jogosult kezelni őket. Mi csak az Ön utasításai szerint, adatfeldolgozóként kezeljük őket.\n\nA próba "
          "ingyenes és magától véget ér; korábban is lezárhatja. Lezárás után 90 napig megőrizzük az adatait, "
          "hogy előfizetve folytathassa, utána véglegesen töröljük őket.\n\nAz előfizetést havonta, "
          "felhasználónként számlázzuk, és bármely hónap végére felmondható.",
}


def _create_trials():
    import hashlib
    import json
    from datetime import UTC, datetime

    terms = op.create_table('terms_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('published_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('body_de', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('body_hu', sa.Text(), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_terms_versions')),
    sa.UniqueConstraint('number', name=op.f('uq_terms_versions_number'))
    )
    op.create_table('trial_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('terms_version_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=60), nullable=False),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_trial_signups_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_trial_signups_tenant_id_tenants'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['terms_version_id'], ['terms_versions.id'], name=op.f('fk_trial_signups_terms_version_id_terms_versions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trial_signups'))
    )
    with op.batch_alter_table('trial_signups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trial_signups_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_trial_signups_tenant_id'), ['tenant_id'], unique=False)
    op.create_table('trial_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signup_id', sa.Integer(), nullable=False),
    sa.Column('statement', sa.String(length=40), nullable=False),
    sa.Column('given', sa.Boolean(), nullable=False),
    sa.Column('at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("statement IN ('adult_and_authorised', 'no_special_categories', 'no_id_numbers', 'customer_data_via_ui', 'consultants_via_invitation', 'marketing_contact')", name=op.f('ck_trial_statements_statement_known')),
    sa.ForeignKeyConstraint(['signup_id'], ['trial_signups.id'], name=op.f('fk_trial_statements_signup_id_trial_signups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trial_statements'))
    )
    with op.batch_alter_table('trial_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trial_statements_signup_id'), ['signup_id'], unique=False)
    digest = hashlib.sha256(json.dumps(TERMS_V1, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    op.bulk_insert(terms, [{"number": 1, "published_at": datetime(2026, 11, 25, tzinfo=UTC), "body_de": TERMS_V1["de"],
                            "body_en": TERMS_V1["en"], "body_hu": TERMS_V1["hu"], "text_hash": digest}])


def downgrade():
    op.drop_table('data_request_events')
    op.drop_table('data_requests')
    op.drop_table('portal_links')
    op.drop_table('transfers')
    op.drop_table('widget_origins')
    op.drop_table('trial_statements')
    op.drop_table('trial_signups')
    op.drop_table('terms_versions')
    op.drop_table('workshop_appointments')
    op.drop_table('workshop_requests')
    op.drop_table('newsletter_campaigns')
    op.drop_table('signup_evidence')
    op.drop_table('newsletter_subscriptions')
    op.drop_table('legal_basis_entries')
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('uq_leads_email')
        batch_op.create_index('ix_leads_email', ['email'], unique=False)
        batch_op.drop_column('contact_stopped_at')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dispatched_at', webapp.db.UTCDateTime(timezone=True), nullable=True))
