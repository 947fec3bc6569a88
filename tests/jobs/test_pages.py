"""What administrators see of the jobs, on the page and in the API: a failed job after its attempts, with
the kind of its error and no words from it, and the button (or route) that sends it again. Nobody else
sees them. The jobs run in the test's own transaction (``run_queued_jobs``)."""

from __future__ import annotations

from tests.api.conftest import anonymous, api_as  # noqa: F401 (fixtures)
from tests.api.support import assert_problem
from tests.jobs.support import run_queued_jobs
from tests.membership.test_pages import text_of
from timebank.jobs import queue, service
from timebank.jobs.models import Job, JobState


def _failed_job(db_session) -> Job:
    job = service.enqueue(db_session, "tests.always_fails", payload={"note": "ids only"})
    db_session.commit()
    for _attempt in range(job.max_attempts):
        run_queued_jobs()
        if job.state is not JobState.FAILED:
            queue.current().send(job.id)  # the retry Dramatiq would send after its back-off
    db_session.refresh(job)
    assert (job.state, job.attempts, job.last_error) == (JobState.FAILED, 2, "tests.jobs.conftest.Flaky")
    return job


def test_an_admin_sees_a_failed_job_and_sends_it_again(db_session, browser, make_person):
    job = _failed_job(db_session)
    admin = make_person("Ada Admin", is_admin=True)
    client = browser(admin)
    page = text_of(client.get("/jobs", query_string={"state": "failed"}))
    assert "A test job that always fails" in page and "tests.jobs.conftest.Flaky" in page and "2 of 2" in page
    assert "Send again" in page

    sent = client.post(f"/jobs/{job.id}/retry", query_string={"state": "failed"})
    assert sent.status_code == 302 and sent.location.endswith("/jobs?state=failed")
    db_session.refresh(job)
    assert (job.state, job.attempts, job.finished_at) == (JobState.QUEUED, 0, None)
    assert run_queued_jobs() == [job.id]
    again = client.post(f"/jobs/{job.id}/retry")
    assert again.status_code == 302  # still queued (it will be retried): sending it again is harmless
    run_queued_jobs()
    db_session.refresh(job)
    assert job.state is JobState.FAILED
    finished = service.enqueue(db_session, "tests.flaky", payload={"succeed_on": 1})
    db_session.commit()
    run_queued_jobs()
    assert client.post(f"/jobs/{finished.id}/retry").status_code == 409
    assert client.post("/jobs/999999/retry").status_code == 404


def test_the_jobs_api_lists_failed_jobs_for_admins_and_retries_them(db_session, api_as, make_person,  # noqa: F811
                                                                     make_bank, make_broker, anonymous):  # noqa: F811
    job = _failed_job(db_session)
    admin = api_as(make_person("Ada Admin", is_admin=True))
    listed = admin.get("/jobs", query_string={"state": "failed"})
    assert listed.status_code == 200
    [item] = [item for item in listed.get_json()["items"] if item["id"] == job.id]
    assert (item["kind"], item["state"], item["attempts"], item["max_attempts"], item["last_error"]) == (
        "tests.always_fails", "failed", 2, 2, "tests.jobs.conftest.Flaky")
    assert "payload" not in item
    assert_problem(admin.get("/jobs", query_string={"state": "stuck"}), 422, "state")

    retried = admin.post(f"/jobs/{job.id}/retry")
    assert retried.status_code == 202 and retried.get_json()["state"] == "queued"
    assert_problem(admin.post("/jobs/999999/retry"), 404)

    broker = api_as(make_broker(make_bank(), "Nia Broker"))
    assert_problem(broker.get("/jobs"), 403)
    assert_problem(broker.post(f"/jobs/{job.id}/retry"), 403)
    assert_problem(anonymous.get("/jobs"), 401)
    run_queued_jobs()


def test_nobody_but_admins_opens_the_jobs_page(db_session, browser, make_person, make_bank, make_broker):
    assert browser(None).get("/jobs").status_code == 302
    assert browser(make_broker(make_bank(), "Nia Broker")).get("/jobs").status_code == 403
    assert browser(make_person("Rhys Resident")).post("/jobs/1/retry").status_code == 403
