"""The category tree of a UK time bank, with translatable labels.

The codes here are the source of truth; a migration inserts them and ``tests/categories`` checks that
the database and this tree agree. Add a category by adding it here and in a new migration.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: (code, label, [(code, label), …]) in display order.
TREE = [
    ("home-garden", _l("Home and garden"), [
        ("gardening", _l("Gardening")),
        ("cleaning", _l("Cleaning and tidying")),
        ("decorating", _l("Decorating")),
        ("pet-care", _l("Pet care and dog walking")),
        ("house-sitting", _l("House and plant sitting")),
    ]),
    ("transport-errands", _l("Transport and errands"), [
        ("lifts", _l("Lifts and accompanied journeys")),
        ("shopping", _l("Shopping and collecting")),
        ("prescriptions", _l("Collecting prescriptions")),
    ]),
    ("befriending", _l("Befriending and conversation"), [
        ("visits", _l("Home visits and company")),
        ("phone-befriending", _l("Phone and video calls")),
        ("walking-buddy", _l("Walking together")),
    ]),
    ("admin-it", _l("Admin and IT"), [
        ("computer-help", _l("Computer, phone and internet help")),
        ("form-filling", _l("Letters and form filling")),
        ("bookkeeping", _l("Bookkeeping and budgets")),
    ]),
    ("creative", _l("Creative"), [
        ("arts-crafts", _l("Arts and crafts")),
        ("music", _l("Music")),
        ("photography", _l("Photography and film")),
        ("writing", _l("Writing and storytelling")),
    ]),
    ("learning-teaching", _l("Learning and teaching"), [
        ("tutoring", _l("Tutoring and homework help")),
        ("skills-sharing", _l("Skills sharing and workshops")),
        ("reading", _l("Reading together")),
    ]),
    ("health-wellbeing", _l("Health and wellbeing"), [
        ("exercise", _l("Exercise and movement")),
        ("relaxation", _l("Relaxation and mindfulness")),
        ("peer-support", _l("Peer support groups")),
    ]),
    ("repairs", _l("Practical repairs"), [
        ("diy", _l("DIY and small jobs")),
        ("bike-repair", _l("Bike repair")),
        ("sewing", _l("Sewing and mending")),
        ("electrical-repair", _l("Fixing small appliances")),
    ]),
    ("languages", _l("Languages"), [
        ("welsh", _l("Welsh")),
        ("bsl", _l("British Sign Language")),
        ("english-practice", _l("English conversation practice")),
        ("translation", _l("Translation and interpreting")),
    ]),
    ("caring-community", _l("Caring and community"), [
        ("childcare-support", _l("Support for parents and families")),
        ("carer-respite", _l("A break for carers")),
        ("community-events", _l("Community events")),
        ("volunteering-roles", _l("Helping a local group")),
    ]),
    ("food", _l("Food and cooking"), [
        ("cooking", _l("Cooking and baking")),
        ("meal-sharing", _l("Meal sharing")),
        ("food-growing", _l("Growing food")),
    ]),
    ("sport-leisure", _l("Sport and leisure"), [
        ("coaching", _l("Coaching and games")),
        ("outings", _l("Days out and outings")),
    ]),
    ("advice-professional", _l("Advice and professional skills"), [
        ("cv-interview", _l("CVs and interview practice")),
        ("business-advice", _l("Small business advice")),
        ("mentoring", _l("Mentoring")),
    ]),
    ("time-for-time", _l("Time-for-time activities"), [
        ("leisure-pass", _l("Swims, classes and sessions")),
        ("tickets", _l("Seats at events and screenings")),
    ]),
    ("other", _l("Something else"), []),
]

_LABELS: dict[str, object] = {}
for _code, _label, _children in TREE:
    _LABELS[_code] = _label
    _LABELS.update(_children)


def codes() -> list[tuple[str, str | None]]:
    """Every (code, parent code) pair in display order."""
    pairs: list[tuple[str, str | None]] = []
    for code, _label, children in TREE:
        pairs.append((code, None))
        pairs.extend((child, code) for child, _ in children)
    return pairs


def label_for(code: str) -> str:
    label = _LABELS.get(code)
    return str(label) if label is not None else code
