from tests.exchanges.conftest import as_person, count_exchanges, exchange_form  # noqa: F401
