"""What an import refuses as a whole, in words a broker understands. Problems with single rows are not
errors: they go into the import's row-by-row report."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import Conflict, DomainError, NotFound


class FileTooLarge(DomainError):
    code = "file-too-large"
    title = _l("The file is too large: split it into files of under 1 MB")
    field = "file"


class TooManyRows(DomainError):
    code = "too-many-rows"
    title = _l("The file has too many rows: split it into files of 5,000 rows or fewer")
    field = "file"


class EmptyFile(DomainError):
    code = "empty-file"
    title = _l("The file has no timesheet rows under its heading row")
    field = "file"


class NotUtf8(DomainError):
    code = "not-utf8"
    title = _l("The file is not saved as UTF-8 text. In Excel, choose Save As, then “CSV UTF-8 (Comma delimited)”")
    field = "file"


class WrongDelimiter(DomainError):
    code = "wrong-delimiter"
    title = _l("The values in the file are not separated by commas. Save it as “CSV UTF-8 (Comma delimited)”")
    field = "file"


class NotACsvFile(DomainError):
    code = "not-a-csv-file"
    title = _l("The file could not be read as a CSV file. Start from the template and save it as CSV")
    field = "file"


class BadHeading(DomainError):
    """The heading row is missing a column, names one twice, or names one we do not know."""

    code = "bad-heading"

    title = _l("The heading row is not right. Copy it from the template")
    field = "file"


class ImportNotFound(NotFound):
    code = "import-not-found"
    title = _l("There is no such import")


class ImportHasProblems(Conflict):
    code = "import-has-problems"
    title = _l("This file has problems, so nothing from it can be recorded. Correct the file and upload it again")


class ImportAlreadyApplied(Conflict):
    code = "import-already-applied"
    title = _l("This file has already been recorded")
