"""Balance limits: the one rule, as pure functions, for the service and for everything that checks early.

An account may not go below its **floor**, counted on what it could still spend (its balance less what
it owes on pending exchanges), nor above its **ceiling**, counted on its balance plus what it is owed on
pending exchanges. So a pending exchange counts against the receiver's floor and the giver's ceiling at
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
    minutes: int, *, receiver_available: int, receiver_floor: int | None, giver_towards_ceiling: int,
    giver_ceiling: int | None,
) -> Crossing | None:
    """The limit moving ``minutes`` from the receiver to the giver would cross (the receiver's floor is asked
    first), or ``None``. ``receiver_available`` is the receiver's balance less its pending debits;
    ``giver_towards_ceiling`` the giver's balance plus its pending credits."""
    if receiver_floor is not None and receiver_available - minutes < receiver_floor:
        return Crossing(Limit.FLOOR, receiver_floor)
    if giver_ceiling is not None and giver_towards_ceiling + minutes > giver_ceiling:
        return Crossing(Limit.CEILING, giver_ceiling)
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
    receiver_account_id: int
    giver_account_id: int
    minutes: int
    #: Confirmed as soon as it is recorded (a timesheet row, attendance), or left pending.
    confirmed: bool = True


@dataclass(frozen=True)
class Breach:
    """The first movement of a batch that a limit refuses."""

    #: Its place in the batch, from 0.
    index: int
    #: The account whose limit it crosses: the receiver's for the floor, the giver's for the ceiling.
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
        receiver_id, giver_id = movement.receiver_account_id, movement.giver_account_id
        crossed = breach(movement.minutes, receiver_available=self.balances[receiver_id].available_minutes,
                         receiver_floor=self.limits[receiver_id].floor_minutes,
                         giver_towards_ceiling=self.balances[giver_id].towards_ceiling_minutes,
                         giver_ceiling=self.limits[giver_id].ceiling_minutes)
        if crossed is None:
            return None
        return Breach(index, receiver_id if crossed.limit is Limit.FLOOR else giver_id, crossed.limit,
                      crossed.limit_minutes)

    def record(self, movement: Movement) -> None:
        """Recorded, pending: it counts against the receiver's floor and the giver's ceiling."""
        self.balances[movement.receiver_account_id].available_minutes -= movement.minutes
        self.balances[movement.giver_account_id].towards_ceiling_minutes += movement.minutes

    def confirm(self, movement: Movement) -> None:
        """A recorded movement confirmed: the receiver's balance falls and the giver's rises."""
        self.balances[movement.receiver_account_id].towards_ceiling_minutes -= movement.minutes
        self.balances[movement.giver_account_id].available_minutes += movement.minutes


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
