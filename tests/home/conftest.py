from tests.exchanges.conftest import as_person, count_exchanges, exchange_form  # noqa: F401
from tests.money.conftest import council, member, partner, redemption_input, spend_offer  # noqa: F401
