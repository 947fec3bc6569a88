"""timebank: a time bank and volunteer co-delivery service for UK communities."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config as config_module


def create_app(config: object | None = None) -> Flask:
    """Build the app. Wiring only: no queries, migrations or network calls happen here."""
    app = Flask(__name__, template_folder="../templates", static_folder="static", instance_relative_config=True)
    app.config.from_object(config or config_module.load())
    if app.config["PROXY_COUNT"]:
        # Trust X-Forwarded-For and -Proto only as far as our own proxies set them: the client address
        # is what per-address rate limits count, and anyone can send those headers.
        proxies = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    from timebank import db, errors, i18n, logs, models, security  # noqa: F401  (models: register every mapper)
    from timebank.extensions import api, csrf, migrate

    security.init_app(app)  # first: its text check runs before CSRF or anything else reads the request
    logs.init_app(app)  # request ids, and the logs to stderr as the settings say
    db.init_app(app)
    migrate.init_app(app, db.db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    csrf.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)

    from timebank.benefits import crypto

    crypto.init_app(app)  # the keys that encrypt benefit data, checked by the settings already

    from timebank.jobs import queue

    queue.init_app(app)  # the background jobs' broker: nothing is reached until a job is sent

    from timebank.mail import transport

    transport.init_app(app)  # Flask-Mail: nothing is reached until an email is sent

    from timebank.activities import views as activity_views
    from timebank.attendance import views as attendance_views
    from timebank.auth import views as auth_views
    from timebank.banks import views as bank_views
    from timebank.benefits import summary_views as benefit_summary_views
    from timebank.benefits import views as benefit_views
    from timebank.brokerage import views as brokerage_views
    from timebank.exchanges import views as exchange_views
    from timebank.feedback import views as feedback_views
    from timebank.home import views as home_views
    from timebank.imports import views as import_views
    from timebank.jobs import views as job_views
    from timebank.listings import views as listing_views
    from timebank.mail import views as mail_views
    from timebank.matching import views as matching_views
    from timebank.members import views as member_views
    from timebank.membership import views as membership_views
    from timebank.money import views as money_views
    from timebank.notices import views as notice_views
    from timebank.ops import views as ops_views
    from timebank.paper import views as paper_views
    from timebank.privacy import views as privacy_views
    from timebank.profiles import views as profile_views
    from timebank.programmes import views as programme_views
    from timebank.reports import views as report_views
    from timebank.safeguarding import views as safeguarding_views

    auth_views.init_app(app)
    for bp in (auth_views.bp, home_views.bp, exchange_views.bp, membership_views.bp, profile_views.bp,
               member_views.bp, safeguarding_views.bp, bank_views.bp, privacy_views.bp, activity_views.bp,
               attendance_views.bp, listing_views.bp, money_views.bp, import_views.bp, notice_views.bp,
               paper_views.bp, job_views.bp, ops_views.bp, benefit_views.bp, benefit_summary_views.bp, mail_views.bp,
               brokerage_views.bp, matching_views.bp, programme_views.bp, report_views.bp,
               feedback_views.bp):
        app.register_blueprint(bp)

    # What each feature holds about a person: its sections of the data export and its share of leaving
    # (``timebank.personal_data``). Sections come in this order; forgetting follows FORGET_ORDER.
    from timebank import personal_data
    from timebank.activities import personal_data as activity_data
    from timebank.attendance import personal_data as attendance_data
    from timebank.audit import personal_data as audit_data
    from timebank.auth import personal_data as auth_data
    from timebank.banks import personal_data as bank_data
    from timebank.benefits import personal_data as benefit_data
    from timebank.brokerage import personal_data as brokerage_data
    from timebank.exchanges import personal_data as exchange_data
    from timebank.feedback import personal_data as feedback_data
    from timebank.imports import personal_data as import_data
    from timebank.jobs import personal_data as job_data
    from timebank.ledger import personal_data as ledger_data
    from timebank.listings import personal_data as listing_data
    from timebank.mail import personal_data as mail_data
    from timebank.matching import personal_data as matching_data
    from timebank.members import personal_data as member_data
    from timebank.membership import personal_data as membership_data
    from timebank.money import personal_data as money_data
    from timebank.notices import personal_data as notice_data
    from timebank.profiles import personal_data as profile_data
    from timebank.programmes import personal_data as programme_data
    from timebank.safeguarding import personal_data as safeguarding_data

    personal_data.init_app(app, (
        member_data.PART, profile_data.PART, bank_data.PART, ledger_data.PART, exchange_data.PART,
        membership_data.PART, auth_data.PART, safeguarding_data.PART, attendance_data.PART, listing_data.PART,
        money_data.PART, notice_data.PART, audit_data.PART, job_data.PART, activity_data.PART, import_data.PART,
        benefit_data.PART, brokerage_data.PART, mail_data.PART, matching_data.PART, programme_data.PART,
        feedback_data.PART,
    ))

    # What features tell one below them, which imports none of them: what each kind of notice says (told
    # by the feature that raises it), and what besides an account ties a holder to a bank (membership's
    # open applications: the bank's brokers reach the applicant).
    from timebank.attendance import notice_texts as attendance_notices
    from timebank.auth import notice_texts as auth_notices
    from timebank.brokerage import notice_texts as brokerage_notices
    from timebank.exchanges import notice_texts as exchange_notices
    from timebank.feedback import notice_texts as feedback_notices
    from timebank.listings import notice_texts as listing_notices
    from timebank.members import policy
    from timebank.membership.service import open_application_banks
    from timebank.notices import messages
    from timebank.safeguarding import notice_texts as safeguarding_notices

    for notice_texts in (exchange_notices, listing_notices, attendance_notices, auth_notices, brokerage_notices,
                         safeguarding_notices, feedback_notices):
        messages.register(notice_texts.RENDERERS)
    # What each kind of email says: a notice's own words, or a password link (made as it is sent).
    # The "how did it go?" emails carry a signed link of their own instead of the notice's.
    from timebank.auth import emails as auth_emails
    from timebank.feedback import emails as feedback_emails
    from timebank.mail import compose
    from timebank.notices import emails as notice_emails

    compose.register(feedback_emails.KINDS, feedback_emails.answer_link_words)
    compose.register(set(notice_emails.KINDS) - set(feedback_emails.KINDS), notice_emails.notice_words)
    compose.register(auth_emails.KINDS, auth_emails.password_link_words)
    policy.add_bank_tie(open_application_banks)
    # An approval warns of, and asks to go ahead without, the checks safeguarding keeps: references and DBS.
    from timebank.membership.service import add_approval_check
    from timebank.safeguarding.service import missing_for_approval

    add_approval_check(missing_for_approval)
    # A funder's member reads its programmes' reports and, holding no account, sees aggregates only.
    from timebank.programmes.policy import funders_of_person

    policy.add_funder_tie(funders_of_person, "funder_members")
    # The benefit rules run in the unit of work that changes what they read: the ledger tells them of
    # exchanges that come to stand or are reversed; the session's hooks show them the rest.
    from timebank.benefits import triggers

    triggers.init()
    # Participants are asked how it went once an exchange is confirmed or attendance is marked.
    from timebank.feedback import triggers as feedback_triggers
    from timebank.ledger import service as ledger

    ledger.add_settlement_listener(feedback_triggers.on_settled)
    # Before a member confirms, spends or signs up, the pages and the API below benefits ask the shared
    # registry what to tell them; benefits answers (``benefits.heads_up``).
    from timebank import heads_up
    from timebank.benefits import heads_up as benefit_heads_up

    heads_up.register(benefit_heads_up.PROVIDER)

    # The kinds of background job, each declared by the feature that does the work (``jobs.registry``).
    from timebank.benefits.cli import JOB_KINDS as benefit_jobs
    from timebank.brokerage import tasks as brokerage_tasks
    from timebank.imports import tasks as import_tasks
    from timebank.jobs import registry as jobs
    from timebank.mail import tasks as mail_tasks
    from timebank.notices.cli import JOB_KINDS as notice_jobs

    jobs.register((*import_tasks.JOB_KINDS, *notice_jobs, *benefit_jobs, *mail_tasks.JOB_KINDS,
                   *brokerage_tasks.JOB_KINDS))

    api.init_app(app)
    from timebank.api import init_api

    init_api(app, api)

    from timebank.auth import limits

    limits.init_app(app)  # after every route exists: it applies the limits marked on their views

    from timebank.benefits.cli import benefits_cli
    from timebank.brokerage.cli import brokerage_cli
    from timebank.demo.cli import demo_command, seed_command
    from timebank.imports.cli import imports_cli
    from timebank.jobs.cli import jobs_cli
    from timebank.ledger.cli import ledger_cli
    from timebank.notices.cli import notices_cli
    from timebank.ops.cli import backup_cli, deploy_cli

    app.cli.add_command(ledger_cli)
    app.cli.add_command(imports_cli)
    app.cli.add_command(notices_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(seed_command)
    app.cli.add_command(deploy_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(benefits_cli)
    app.cli.add_command(brokerage_cli)
    return app
