"""The permission walk meets one world (``world.build``) per database kind, built and committed once per run
(per xdist worker) in a database of its own: building it for each of the walk's hundreds of tests took longer
than the tests. The suite's ``app`` here is the app on that database, so each test still runs in a
transaction on it that is rolled back (``db_session``), the books verified afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import Backend, make_app, new_database
from tests.permissions.world import World, build
from timebank.db import db


@pytest.fixture(scope="session")
def world_app(migrated_database: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, World]]:
    with new_database(migrated_database.name, tmp_path_factory, copy_of=migrated_database) as database:
        application = make_app(database)
        with application.app_context():
            world = build(db.session())
            db.session.commit()
            db.session.remove()
        try:
            yield application, world
        finally:
            with application.app_context():
                db.engine.dispose()


@pytest.fixture(scope="session")
def app(world_app: tuple[Flask, World]) -> Flask:
    """The app, on the world's database."""
    return world_app[0]


@pytest.fixture(scope="session")
def world(world_app: tuple[Flask, World]) -> World:
    return world_app[1]
