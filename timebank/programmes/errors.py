"""What the programmes feature refuses: funders and their members, programmes, their scopes and outcomes,
outcome tags and in-kind records. Each refusal has its own stable code; those about one field name it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import Conflict, DomainError, Forbidden, NotFound


class FunderNotFound(NotFound):
    code = "funder-not-found"
    title = _l("There is no such funder")


class FunderNameTaken(Conflict):
    code = "funder-name-taken"
    title = _l("A funder already has that name")
    field = "name"


class AlreadyFunderMember(Conflict):
    code = "funder-member-already"
    title = _l("They already read this funder's reports")
    field = "email"


class NotFunderMember(NotFound):
    code = "funder-member-not-found"
    title = _l("They are not one of this funder's people")


class ProgrammeEndsBeforeStart(DomainError):
    code = "programme-ends-before-start"
    title = _l("The end of the programme must be on or after its start")
    field = "ends_on"


class OutOfRange(DomainError):
    """A figure outside what a programme or an in-kind record may state (the form and the API say the range)."""

    code = "programme-figure-out-of-range"
    title = _l("Enter a figure in the range allowed")


class ScopeOutsideYourBanks(Forbidden):
    """A broker may only scope a programme to the banks they broker."""

    code = "programme-scope-outside-your-banks"
    title = _l("You can only add time banks you broker, or their organisations and activities")
    field = "time_bank_id"


class ScopeOneLevel(DomainError):
    code = "programme-scope-one-level"
    title = _l("Choose the whole time bank, one organisation or one activity, not both")
    field = "organisation_id"


class OrganisationNotInBank(DomainError):
    code = "programme-scope-organisation-not-in-bank"
    title = _l("Choose an organisation with a time account in this time bank")
    field = "organisation_id"


class ActivityNotInBank(DomainError):
    code = "programme-scope-activity-not-in-bank"
    title = _l("Choose an activity of this time bank")
    field = "activity_id"


class ScopeAlreadyThere(Conflict):
    code = "programme-scope-already-there"
    title = _l("The programme already covers that")
    field = "time_bank_id"


class ScopeNotFound(NotFound):
    code = "programme-scope-not-found"
    title = _l("There is no such scope on this programme")


class LastScope(Conflict):
    """A programme always covers something: its scopes also say who may manage it."""

    code = "programme-last-scope"
    title = _l("A programme must cover at least one thing: add another before removing this one")


class OutcomeNameTaken(Conflict):
    code = "programme-outcome-name-taken"
    title = _l("The programme already has an outcome with that name")
    field = "name"


class OutcomeNotFound(NotFound):
    code = "programme-outcome-not-found"
    title = _l("There is no such outcome on this programme")


class OutcomeSetNotFound(NotFound):
    code = "outcome-set-not-found"
    title = _l("There is no such set of outcomes")
    field = "set_code"


class OutcomeNotCovering(DomainError):
    """An activity or role may only be tagged with outcomes of the programmes that cover it."""

    code = "outcome-not-covering"
    title = _l("Choose only outcomes of programmes that cover this activity")
    field = "outcome_ids"


class InKindNotAllowed(Forbidden):
    code = "in-kind-not-allowed"
    title = _l("Only the organisation's admins and the time bank's brokers can do that")


class InKindNotFound(NotFound):
    code = "in-kind-not-found"
    title = _l("There is no such in-kind record")


class InKindActivityNotOurs(DomainError):
    code = "in-kind-activity-not-ours"
    title = _l("Choose one of the organisation's activities in this time bank")
    field = "activity_id"


class InKindBankNotOurs(DomainError):
    code = "in-kind-bank-not-ours"
    title = _l("Choose a time bank where the organisation has a time account")
    field = "time_bank_id"
