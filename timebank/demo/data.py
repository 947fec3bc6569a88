"""The fictional people, places and help of the demo time bank.

Everything here is invented. Places are made up and sit in the postcode area "HB", which does not exist
in the UK (HB1 Hollinbridge town centre, HB2 Sedgecombe Rise, HB3 Carreg Wen, HB4 Nant Eirin); there
is no postcode column yet, so they appear in descriptions only. Names are common UK names put together
for the demo; any likeness to a real person is a coincidence. Emails use the reserved ``example.org``
domain and the only phone numbers are from Ofcom's drama range (07700 900xxx).
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "timebank-demo"

BANK_SLUG = "hollinbridge"
BANK_NAME = "Hollinbridge & Carreg Wen Time Bank"
AGENCY_NAME = "Hollinbridge Community Action"

CHARITY_NAME = "Friends of Hollinbridge Green"
COUNCIL_NAME = "Hollinbridge Borough Council"


@dataclass(frozen=True)
class Resident:
    name: str
    #: ``None`` for members who are not online: the broker records and confirms for them.
    email: str | None
    welsh: bool = False
    #: Demo logins get the demo password; other online members have not set one yet.
    login: bool = False


#: About forty residents: a mix of the names you meet in a UK town and the villages around it.
RESIDENTS: tuple[Resident, ...] = (
    Resident("Carys Pritchard", "resident@example.org", login=True),
    Resident("Folake Adeyemi", "resident2@example.org", login=True),
    Resident("Gethin Llewellyn", "gethin.llewellyn@example.org", welsh=True),
    Resident("Eleri Vaughan", "eleri.vaughan@example.org", welsh=True),
    Resident("Dafydd Rhys-Owen", "dafydd.rhysowen@example.org", welsh=True),
    Resident("Nia Bowen", "nia.bowen@example.org"),
    Resident("Rhodri Mathias", "rhodri.mathias@example.org", welsh=True),
    Resident("Margaret Ashworth", None),
    Resident("Dave Hebden", "dave.hebden@example.org"),
    Resident("Sophie Kettering", "sophie.kettering@example.org"),
    Resident("Ray Thornton", "ray.thornton@example.org"),
    Resident("Jean Braddock", None),
    Resident("Callum Pike", "callum.pike@example.org"),
    Resident("Isla Mackintosh", "isla.mackintosh@example.org"),
    Resident("Hamish Rennie", "hamish.rennie@example.org"),
    Resident("Morag Kerr", None),
    Resident("Euan Drummond", "euan.drummond@example.org"),
    Resident("Siobhán Doherty", "siobhan.doherty@example.org"),
    Resident("Ciarán Byrne", "ciaran.byrne@example.org"),
    Resident("Niamh Gallagher", "niamh.gallagher@example.org"),
    Resident("Padraig Quinn", "padraig.quinn@example.org"),
    Resident("Priya Chauhan", "priya.chauhan@example.org"),
    Resident("Bilal Rashid", "bilal.rashid@example.org"),
    Resident("Harjit Sandhar", "harjit.sandhar@example.org"),
    Resident("Farhana Begum", "farhana.begum@example.org"),
    Resident("Rohan Mistry", "rohan.mistry@example.org"),
    Resident("Nasreen Akhtar", None),
    Resident("Delroy Campbell", "delroy.campbell@example.org"),
    Resident("Marcia Lindo", "marcia.lindo@example.org"),
    Resident("Winston Beckford", None),
    Resident("Beverley Ellis", "beverley.ellis@example.org"),
    Resident("Tomasz Nowak", "tomasz.nowak@example.org"),
    Resident("Agnieszka Wiśniewska", "agnieszka.wisniewska@example.org"),
    Resident("Krzysztof Zieliński", "krzysztof.zielinski@example.org"),
    Resident("Magda Kowalczyk", "magda.kowalczyk@example.org"),
    Resident("Adaeze Okonkwo", "adaeze.okonkwo@example.org"),
    Resident("Kwabena Asante", "kwabena.asante@example.org"),
    Resident("Yaw Mensah", "yaw.mensah@example.org"),
    Resident("Chidi Eze", "chidi.eze@example.org"),
    Resident("Leyla Demir", "leyla.demir@example.org"),
    Resident("Hodan Abdi", "hodan.abdi@example.org"),
    Resident("Annie McCluskey", "annie.mccluskey@example.org"),
)


@dataclass(frozen=True)
class Staff:
    role: str
    name: str
    email: str


BROKER = Staff("broker", "Bethan Morgan-Hughes", "broker@example.org")
FUNDER = Staff("funder", "Alastair Whitcombe", "funder@example.org")
ADMIN = Staff("admin", "Jordan Pell", "admin@example.org")
CHARITY_ADMIN = Staff("charity", "Rachel Ainsworth", "charity@example.org")
COUNCIL_ADMIN = Staff("council", "Owain Treharne", "council@example.org")

PLACES = (
    "Millrace Lane", "Station Parade", "St Ebbe's Close", "Brynteg Terrace", "Hollinbridge Green",
    "the Dingle", "Sedgecombe Rise", "Carreg Wen", "Nant Eirin", "Quarry Row", "Ashby Road",
    "the Riverside allotments", "Orchard Court", "Chapel Street",
)

#: Help between residents: category code → descriptions. ``{them}`` is the first name of the person
#: helped, ``{place}`` a local place.
HELP: dict[str, tuple[str, ...]] = {
    "gardening": (
        "Mowed {them}'s back lawn and edged the borders",
        "Cut back the hedge on {place}",
        "Weeded the front garden and planted out the geraniums",
        "Helped {them} clear the leaves from the gutters and path",
    ),
    "cleaning": (
        "Helped {them} sort the spare room before the grandchildren's visit",
        "Cleaned the kitchen cupboards with {them}",
    ),
    "pet-care": (
        "Walked {them}'s dog along {place}",
        "Fed {them}'s cats while they were in hospital",
        "Took {them}'s dog to the vet on {place}",
    ),
    "house-sitting": ("Watered {them}'s plants for a week",),
    "lifts": (
        "Lift to the GP surgery in Carreg Wen",
        "Lift to Hollinbridge hospital for {them}'s eye appointment",
        "Drove {them} to the Saturday market and back",
        "Went with {them} on the bus to the dentist",
    ),
    "shopping": (
        "Did {them}'s weekly shop at the corner shop on {place}",
        "Picked up a new kettle for {them} from town",
    ),
    "prescriptions": ("Collected {them}'s prescription from the chemist on {place}",),
    "visits": (
        "Cup of tea and a chat with {them}",
        "Afternoon visit: we did the crossword together",
        "Sat with {them} while their daughter was away",
    ),
    "phone-befriending": ("Weekly phone chat with {them}", "Video call to help {them} see the family in Lagos"),
    "walking-buddy": ("Walk round {place} with {them}", "Gentle walk along the river to Nant Eirin"),
    "computer-help": (
        "Helped set up a new phone",
        "Showed {them} how to book a GP appointment online",
        "Set up video calls on {them}'s tablet",
        "Sorted out {them}'s printer and email",
    ),
    "form-filling": (
        "Helped {them} fill in the Blue Badge renewal",
        "Read through a letter from the housing association with {them}",
    ),
    "bookkeeping": ("Helped {them} set up a simple monthly budget",),
    "arts-crafts": ("Knitting lesson with {them}", "Helped {them} make cards for the craft stall"),
    "music": ("Guitar lesson for {them}", "Played piano at {them}'s birthday tea"),
    "photography": ("Took photos of {them}'s garden for the village show",),
    "writing": ("Helped {them} write up memories of the old mill",),
    "tutoring": ("GCSE maths revision with {them}'s son", "Homework help: Year 6 reading and spelling"),
    "skills-sharing": ("Showed {them} how to bleed the radiators", "Taught {them} to make bread"),
    "reading": ("Read the paper with {them}", "Story time with {them}'s twins"),
    "exercise": ("Chair exercise session with {them}",),
    "relaxation": ("Gentle yoga with {them} at home",),
    "diy": (
        "Put up shelves in {them}'s hallway",
        "Fixed a dripping tap for {them}",
        "Assembled a flat-pack wardrobe for {them}",
        "Rehung {them}'s back gate on {place}",
    ),
    "bike-repair": ("Fixed a puncture and adjusted the brakes on {them}'s bike",),
    "sewing": ("Took up two pairs of trousers for {them}", "Mended {them}'s coat lining"),
    "electrical-repair": ("Fixed {them}'s table lamp", "Got {them}'s radio working again"),
    "welsh": ("Welsh conversation practice with {them}", "Helped {them} with Welsh for the Eisteddfod"),
    "english-practice": ("English conversation practice with {them}",),
    "translation": (
        "Translated a school letter for {them} (Polish)",
        "Went with {them} to the council office to interpret",
    ),
    "childcare-support": ("Picked up {them}'s children from school", "Looked after {them}'s baby for an hour"),
    "carer-respite": ("Sat with {them}'s husband so {them} could go out",),
    "cooking": ("Cooked a batch of meals for {them}'s freezer", "Baked a birthday cake for {them}"),
    "meal-sharing": ("Sunday lunch cooked for {them}",),
    "food-growing": ("Helped {them} dig over the allotment on {place}",),
    "coaching": ("Football practice with {them}'s lad",),
    "outings": ("Took {them} to the garden centre",),
    "cv-interview": ("Went through {them}'s CV and practised an interview",),
    "business-advice": ("Helped {them} price up cakes for the market stall",),
    "mentoring": ("Mentoring session with {them} about going back to college",),
}

#: What residents do with the charity and the council; each gives credits (it is the payer).
VOLUNTEERING: dict[str, tuple[tuple[str, str], ...]] = {
    "charity": (
        ("food-growing", "Community garden session on Hollinbridge Green"),
        ("community-events", "Helped run the Green's summer fair"),
        ("gardening", "Planting bulbs by the bandstand"),
        ("volunteering-roles", "Litter pick along the Dingle"),
        ("community-events", "Stewarding at the Green's Christmas lights"),
        ("food-growing", "Watering rota at the community orchard"),
    ),
    "council": (
        ("volunteering-roles", "Consultation panel: library opening hours"),
        ("volunteering-roles", "Co-design workshop for the Station Parade play area"),
        ("community-events", "Helped at the warm space in Sedgecombe Rise community centre"),
        ("volunteering-roles", "Reading the draft leaflet on bin collections for plain English"),
        ("community-events", "Youth club session at Carreg Wen hall"),
    ),
}

#: What residents spend credits on with the council as a spend partner (the resident is the payer).
SPENDING: tuple[tuple[str, str], ...] = (
    ("leisure-pass", "Swim at Hollinbridge Leisure Centre"),
    ("leisure-pass", "Aqua-fit class at Hollinbridge Leisure Centre"),
    ("tickets", "Seat at the winter film night, Carreg Wen hall"),
)

DECLINE_NOTES = (
    "That was an hour, not two — could you record it again?",
    "I think this was the week before; let's sort it out on Friday.",
    "Wrong person — it was my neighbour who helped.",
)

REVERSAL_REASONS = (
    "Recorded twice: this was already keyed from the paper sign-in sheet.",
    "Wrong member chosen when keying from the paper sheet; re-recorded for the right person.",
)
