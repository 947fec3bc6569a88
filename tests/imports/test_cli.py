"""``flask imports apply``: a dry run checks and keeps nothing; ``--commit`` records."""

from __future__ import annotations

import sqlalchemy as sa

from tests.imports.conftest import exchanges_by, write_csv
from timebank.imports.cli import imports_cli
from timebank.imports.models import TimesheetImport


def test_dry_run_then_commit(app, db_session, bank, broker, members, ring, tmp_path):
    path = tmp_path / "march.csv"
    path.write_text(write_csv(ring(12)), encoding="utf-8-sig")
    db_session.commit()
    runner = app.test_cli_runner()
    arguments = ["apply", str(path), "--bank", str(bank.id), "--broker", broker.email.upper()]

    dry = runner.invoke(imports_cli, arguments)
    assert dry.exit_code == 0, dry.output
    assert "Checked 12 rows (6 hours): no problems. Dry run" in dry.output
    assert "Checking" in dry.output  # the progress bar
    assert db_session.scalars(sa.select(TimesheetImport).where(TimesheetImport.time_bank_id == bank.id)).all() == []

    done = runner.invoke(imports_cli, [*arguments, "--commit"])
    assert done.exit_code == 0, done.output
    assert "Recording" in done.output and "Recorded 12 rows (6 hours)" in done.output
    db_session.expire_all()
    assert len(exchanges_by(db_session, broker)) == 12


def test_problems_are_printed_and_the_exit_status_is_1(app, db_session, bank, broker, members, ring, tmp_path):
    rows = ring(3)
    rows[2]["hours"] = "26"
    path = tmp_path / "bad.csv"
    path.write_text(write_csv(rows), encoding="utf-8")
    db_session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(imports_cli, ["apply", str(path), "--bank", str(bank.id), "--broker", broker.email,
                                         "--commit"])
    assert result.exit_code == 1
    assert "row 4, hours: The time must be between 1 minute and 24 hours." in result.output
    assert exchanges_by(db_session, broker) == []
    unknown = runner.invoke(imports_cli, ["apply", str(path), "--bank", str(bank.id), "--broker", "no@example.org"])
    assert unknown.exit_code == 1 and "Nobody has signed up" in unknown.output
