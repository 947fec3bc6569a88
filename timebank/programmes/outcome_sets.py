"""Ready-made outcome sets a programme may copy its outcomes from, shipped as data in English and Welsh.

The seven well-being goals of the Well-being of Future Generations (Wales) Act 2015, section 4 (Table 1),
in the Act's order, with their official Welsh names (nodau llesiant), in sentence case as the Welsh
Government writes them. A programme copies them (``programmes.service.add_outcome_set``), keeping the set's
code and each goal's, so reports can tell a ready-made outcome from a programme's own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadyOutcome:
    code: str
    name: str
    name_cy: str


@dataclass(frozen=True)
class OutcomeSet:
    code: str
    name: str
    name_cy: str
    outcomes: tuple[ReadyOutcome, ...]


WALES_WELLBEING_GOALS = OutcomeSet(
    code="wales-wellbeing-goals",
    name="The seven well-being goals of Wales (Well-being of Future Generations (Wales) Act 2015)",
    name_cy="Saith nod llesiant Cymru (Deddf Llesiant Cenedlaethau'r Dyfodol (Cymru) 2015)",
    outcomes=(
        ReadyOutcome("prosperous", "A prosperous Wales", "Cymru lewyrchus"),
        ReadyOutcome("resilient", "A resilient Wales", "Cymru gydnerth"),
        ReadyOutcome("healthier", "A healthier Wales", "Cymru iachach"),
        ReadyOutcome("more-equal", "A more equal Wales", "Cymru sy'n fwy cyfartal"),
        ReadyOutcome("cohesive-communities", "A Wales of cohesive communities", "Cymru o gymunedau cydlynus"),
        ReadyOutcome("vibrant-culture", "A Wales of vibrant culture and thriving Welsh language",
                     "Cymru â diwylliant bywiog lle mae'r Gymraeg yn ffynnu"),
        ReadyOutcome("globally-responsible", "A globally responsible Wales", "Cymru sy'n gyfrifol ar lefel fyd-eang"),
    ),
)

#: Every ready-made set, by code.
OUTCOME_SETS = {outcome_set.code: outcome_set for outcome_set in (WALES_WELLBEING_GOALS,)}
