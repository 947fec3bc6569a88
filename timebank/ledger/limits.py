"""Balance limits: the one rule, as pure functions, for the service and for everything that checks early.

An account may not go below its **floor**, counted on what it could still spend (its balance less what
it owes on pending exchanges), nor above its **ceiling**, counted on its balance plus what it is owed on
pending exchanges. So a pending exchange counts against the payer's floor and the payee's ceiling at
once, and confirming it changes neither check for the side it was counted on.

``breach`` is the rule for one movement; ``BalanceSimulator`` plays a batch of movements on copies of the
balances, as the ledger will record them, and names the first breach. ``ledger.service`` refuses by
``breach``; the timesheet import simulates a whole file with ``simulate_movements`` before it applies
anything; the demo and the bulk seed pick only movements that ``breach`` allows. Nothing here reads the
database: the service loads the limits (``service.effective_limits``) and the balances.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from timebank.errors import DomainError
from timebank.ledger import errors
from timebank.ledger.models import Account, HolderKind

#: Each bank's starting limits, in minutes; ``None`` is no limit. Brokers can change them per bank.
DEFAULT_LIMITS: dict[HolderKind, tuple[int | None, int | None]] = {
    HolderKind.RESIDENT: (-10 * 60, 200 * 60),
    HolderKind.THIRD_SECTOR: (-2000 * 60, None),
    HolderKind.PUBLIC_BODY: (-2000 * 60, None),
    HolderKind.BUSINESS: (0, None),
    HolderKind.COMMUNITY_POT: (None, None),
}


@dataclass(frozen=True)
class Limits:
    """An account's floor and ceiling in minutes, after its own overrides; ``None`` is no limit."""

    floor_minutes: int | None
    ceiling_minutes: int | None


class Limit(enum.StrEnum):
    FLOOR = "floor"
    CEILING = "ceiling"

    def error(self) -> DomainError:
        """The ledger's refusal for a movement that would cross this limit."""
        return errors.ExceedsBalanceFloor() if self is Limit.FLOOR else errors.ExceedsBalanceCeiling()


@dataclass(frozen=True)
class Crossing:
    """A limit a movement would cross, and where it stands."""

    limit: Limit
    limit_minutes: int

    def error(self) -> DomainError:
        return self.limit.error()


def breach(
    minutes: int, *, payer_available: int, payer_floor: int | None, payee_towards_ceiling: int,
    payee_ceiling: int | None,
) -> Crossing | None:
    """The limit moving ``minutes`` from the payer to the payee would cross (the payer's floor is asked
    first), or ``None``. ``payer_available`` is the payer's balance less its pending debits;
    ``payee_towards_ceiling`` the payee's balance plus its pending credits."""
    if payer_floor is not None and payer_available - minutes < payer_floor:
        return Crossing(Limit.FLOOR, payer_floor)
    if payee_ceiling is not None and payee_towards_ceiling + minutes > payee_ceiling:
        return Crossing(Limit.CEILING, payee_ceiling)
    return None


@dataclass
class Balance:
    """The two figures the limits are counted on, for one account."""

    #: The balance less pending debits: what the floor is checked against.
    available_minutes: int
    #: The balance plus pending credits: what the ceiling is checked against.
    towards_ceiling_minutes: int

    @classmethod
    def of(cls, account: Account) -> Balance:
        return cls(account.available_minutes, account.balance_minutes + account.credits_pending_minutes)


@dataclass(frozen=True)
class Movement:
    payer_account_id: int
    payee_account_id: int
    minutes: int
    #: Confirmed as soon as it is recorded (a timesheet row, attendance), or left pending.
    confirmed: bool = True


@dataclass(frozen=True)
class Breach:
    """The first movement of a batch that a limit refuses."""

    #: Its place in the batch, from 0.
    index: int
    #: The account whose limit it crosses: the payer's for the floor, the payee's for the ceiling.
    account_id: int
    limit: Limit
    limit_minutes: int

    def error(self) -> DomainError:
        return self.limit.error()


class BalanceSimulator:
    """Copies of some accounts' balances, moved as the ledger would move them, with every movement
    checked against the limits first. Nothing is read or written: the caller supplies both."""

    def __init__(self, limits: Mapping[int, Limits], balances: Mapping[int, Balance]) -> None:
        self.limits = limits
        self.balances = {account_id: Balance(b.available_minutes, b.towards_ceiling_minutes)
                         for account_id, b in balances.items()}

    def breach(self, movement: Movement, index: int = 0) -> Breach | None:
        """The limit recording ``movement`` now would cross, or ``None``."""
        payer_id, payee_id = movement.payer_account_id, movement.payee_account_id
        crossed = breach(movement.minutes, payer_available=self.balances[payer_id].available_minutes,
                         payer_floor=self.limits[payer_id].floor_minutes,
                         payee_towards_ceiling=self.balances[payee_id].towards_ceiling_minutes,
                         payee_ceiling=self.limits[payee_id].ceiling_minutes)
        if crossed is None:
            return None
        return Breach(index, payer_id if crossed.limit is Limit.FLOOR else payee_id, crossed.limit,
                      crossed.limit_minutes)

    def record(self, movement: Movement) -> None:
        """Recorded, pending: it counts against the payer's floor and the payee's ceiling."""
        self.balances[movement.payer_account_id].available_minutes -= movement.minutes
        self.balances[movement.payee_account_id].towards_ceiling_minutes += movement.minutes

    def confirm(self, movement: Movement) -> None:
        """A recorded movement confirmed: the payer's balance falls and the payee's rises."""
        self.balances[movement.payer_account_id].towards_ceiling_minutes -= movement.minutes
        self.balances[movement.payee_account_id].available_minutes += movement.minutes


def simulate_movements(
    limits: Mapping[int, Limits], balances: Mapping[int, Balance], movements: Iterable[Movement]
) -> Breach | None:
    """Record each movement in order on copies of ``balances``, and confirm those marked confirmed (a
    timesheet import confirms every row as it records it); return the first movement that a limit
    refuses, or ``None`` if the ledger will take them all."""
    simulator = BalanceSimulator(limits, balances)
    for index, movement in enumerate(movements):
        found = simulator.breach(movement, index)
        if found is not None:
            return found
        simulator.record(movement)
        if movement.confirmed:
            simulator.confirm(movement)
    return None
