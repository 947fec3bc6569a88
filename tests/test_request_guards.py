"""Input no page or API call can store is refused up front with a 400, never a 500."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_a_nul_character_in_a_form_or_query_is_a_400_page(client: FlaskClient) -> None:
    assert client.post("/sign-in", data={"email": "a\x00@example.org", "password": "x"}).status_code == 400
    response = client.get("/sign-in?next=%00")
    assert response.status_code == 400
    assert "cannot be stored" in response.get_data(as_text=True)


def test_a_nul_character_in_json_is_a_400_problem(client: FlaskClient) -> None:
    response = client.post("/api/v1/tokens", json={"email": "a\u0000@example.org", "password": "x"})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "cannot be stored" in response.get_json()["detail"]
