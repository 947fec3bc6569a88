"""The fictional people, places and help of the demo time bank.

Everything here is invented. Places are made up and sit in the postcode area "HB", which does not exist
in the UK: HB1 Hollinbridge town centre, HB2 Sedgecombe Rise (the estate east of the town), HB3 Carreg
Wen (the village up the valley) and HB4 Nant Eirin (the hamlet above it). Names are common UK names put
together for the demo; any likeness to a real person is a coincidence. Emails use the reserved
``example.org`` domain; phone numbers come only from Ofcom's ranges for drama (01632 960000–960999 and
07700 900000–900999). The charity number is above any the Charity Commission has issued so far.

Profiles start from what people can do: abilities, their own words, what they would enjoy. Nothing here
records a need, a condition or a problem.
"""

from __future__ import annotations

from dataclasses import dataclass

from timebank.members.models import ContactMethod
from timebank.membership.service import Referee
from timebank.profiles.models import ContributionKind
from timebank.safeguarding.models import DbsLevel, Workforce

DEMO_PASSWORD = "timebank-demo"

BANK_SLUG = "hollinbridge"
BANK_NAME = "Hollinbridge & Carreg Wen Time Bank"
AGENCY_NAME = "Hollinbridge Community Action"
#: The demo bank kept its records on paper before it came here: its books open three years back, before
#: nearly two years of exchanges, sessions and money records (``HISTORY_MONTHS``).
OPENED_MONTHS_AGO = 36
#: Community vouching: this many members vouching sends an application to the broker for sign-off.
VOUCHES_NEEDED = 3

CHARITY_NAME = "Friends of Hollinbridge Green"
COUNCIL_NAME = "Hollinbridge Borough Council"

BY_EMAIL = ContactMethod.EMAIL
BY_PHONE = ContactMethod.PHONE
BY_TEXT = ContactMethod.TEXT
BY_BROKER = ContactMethod.BROKER


@dataclass(frozen=True)
class Vetting:
    """How a resident was vetted when they joined: two satisfactory references on their application, and
    a DBS certificate the broker saw."""

    referees: tuple[Referee, Referee]
    level: DbsLevel
    certificate_number: str
    #: When the certificate was issued, in months before the day the demo is loaded.
    issued_months_ago: int = 12
    workforce: Workforce | None = None
    update_service: bool = False
    #: The broker's last check on the update service, in months before the demo's day.
    status_checked_months_ago: int | None = None
    #: Set to make the check stop counting this many days after the demo's day (it overrides
    #: ``issued_months_ago``): the one brokers see on the list of checks to renew.
    ends_in_days: int | None = None


@dataclass(frozen=True)
class Resident:
    """A member of the demo bank and their abilities-first profile, as they would fill it in."""

    name: str
    #: ``None`` for members who are not online: the broker records and confirms for them.
    email: str | None
    postcode: str
    phone: str | None
    contact_by: ContactMethod
    abilities: tuple[str, ...]
    #: "What I can do", in their own words.
    about: str
    learn_or_share: str
    enjoys: str
    #: The weekly grid, e.g. "Mon-Fri am, Sat pm, Thu eve".
    available: str
    languages: tuple[str, ...] = ("en",)
    experience: str = ""
    #: Districts they will go to besides their own; ``None``: not at all (they help from home or by phone).
    travel: tuple[str, ...] | None = ()
    welsh: bool = False
    #: Demo logins get the demo password; other online members have not set one yet.
    login: bool = False
    hide_name: bool = False
    hide_area: bool = False
    show_contact: bool = False
    #: Residents with clearances joined by an application with references, and have a DBS check.
    vetting: Vetting | None = None


#: About forty residents: a mix of the names you meet in a UK town and the villages around it.
RESIDENTS: tuple[Resident, ...] = (
    Resident(
        "Carys Pritchard", "resident@example.org", "HB1 4RT", "07700 900114", BY_EMAIL, login=True,
        abilities=("computer-help", "form-filling", "cooking"),
        about="I do the accounts at a builders' merchant, so online forms and fiddly websites don't put me off. "
              "Happy to sit down with you and work through it together.",
        learn_or_share="I'd like to learn to make proper sourdough. I can share the spreadsheet I use for the "
                       "household budget.",
        enjoys="A chat over a cuppa while we get something sorted.",
        available="Tue eve, Thu eve, Sat am", travel=("HB2",),
    ),
    Resident(
        "Folake Adeyemi", "resident2@example.org", "HB2 3LW", "07700 900127", BY_TEXT, login=True,
        abilities=("cooking", "meal-sharing", "childcare-support"),
        about="Mum of three and a keen cook: jollof, stews and a good Victoria sponge. I'm used to a busy house, "
              "so a couple of extra children after school is fine by me.",
        learn_or_share="I'd love to learn some Welsh so I can help my youngest with her homework.",
        enjoys="Cooking for a crowd, and Sunday afternoons in the park.",
        available="Mon pm, Wed pm, Fri pm, Sun pm", travel=("HB1",), show_contact=True,
    ),
    Resident(
        "Gethin Llewellyn", "gethin.llewellyn@example.org", "HB3 2QT", "01632 960231", BY_EMAIL, welsh=True,
        abilities=("welsh", "music", "coaching"),
        about="Dw i'n siarad Cymraeg bob dydd. I play the organ at chapel, I used to coach the junior rugby, and "
              "I'm always glad to chat in Welsh with anyone learning.",
        learn_or_share="Teach me to use a smartphone properly and I'll teach you a Welsh hymn.",
        enjoys="Singing, rugby on the radio and a friendly argument about either.",
        available="Mon am, Wed am, Sat pm", languages=("cy", "en"), travel=("HB4", "HB1"), show_contact=True,
    ),
    Resident(
        "Eleri Vaughan", "eleri.vaughan@example.org", "HB3 5NF", "07700 900142", BY_EMAIL, welsh=True,
        abilities=("reading", "welsh", "tutoring", "visits"),
        about="Retired primary teacher. I read with children in Welsh or English, and I'm patient with grown-up "
              "learners too.",
        learn_or_share="I can share phonics games that work. I'd like to try watercolours.",
        enjoys="Reading aloud, and walks up to Nant Eirin with a flask.",
        experience="Thirty years teaching at Ysgol Carreg Wen and in Hollinbridge.",
        available="Mon-Thu am", languages=("cy", "en"), travel=("HB4", "HB1"),
        vetting=Vetting(
            (Referee("Gwyn Harries", "01632 960517", "Head teacher when I taught at Ysgol Carreg Wen"),
             Referee("Mair Lloyd", "mair.lloyd@example.org", "Neighbour for 25 years")),
            DbsLevel.ENHANCED_BARRED, "001632960401", issued_months_ago=14, workforce=Workforce.BOTH,
        ),
    ),
    Resident(
        "Dafydd Rhys-Owen", "dafydd.rhysowen@example.org", "HB4 1HS", "07700 900155", BY_PHONE, welsh=True,
        abilities=("diy", "electrical-repair", "bike-repair"),
        about="Electrician for thirty years, now semi-retired. Lamps, kettles, radios, bikes: if it has a screw "
              "in it, I'll have a look.",
        learn_or_share="I can show you how to wire a plug safely. I'd like to learn to bake bread.",
        enjoys="Tinkering in the shed with the radio on.",
        experience="Time-served electrician (City & Guilds).",
        available="Tue am, Tue pm, Thu am, Thu pm", languages=("cy", "en"), travel=("HB3",),
    ),
    Resident(
        "Nia Bowen", "nia.bowen@example.org", "HB1 6DA", "07700 900168", BY_EMAIL,
        abilities=("tutoring", "childcare-support", "arts-crafts"),
        about="Teaching assistant at the primary school in Carreg Wen. I'm good with homework, glitter and very "
              "long stories about dinosaurs.",
        learn_or_share="I can share crafts for rainy days. I want to learn to sew properly.",
        enjoys="Messy crafts and baking with little ones.",
        available="Mon eve, Wed eve, Sat am, Sat pm", languages=("en", "cy"), travel=("HB3",),
        vetting=Vetting(
            (Referee("Sarah Pugh", "sarah.pugh@example.org", "The class teacher I work with"),
             Referee("Kath Shaw", "01632 960528", "Runs the Brownie pack I help with")),
            DbsLevel.ENHANCED_BARRED, "001632960412", issued_months_ago=40, workforce=Workforce.CHILDREN,
            update_service=True, status_checked_months_ago=2,
        ),
    ),
    Resident(
        "Rhodri Mathias", "rhodri.mathias@example.org", "HB4 3PB", None, BY_EMAIL, welsh=True,
        abilities=("gardening", "food-growing", "walking-buddy"),
        about="I farmed above Nant Eirin all my life; now my son runs it and I've time on my hands. I'll dig, "
              "prune and grow veg, and I know every footpath in the valley.",
        learn_or_share="I can share how to grow leeks that win prizes.",
        enjoys="Being outdoors in any weather.",
        available="Mon-Fri am", languages=("cy", "en"), travel=("HB3",),
    ),
    Resident(
        "Margaret Ashworth", None, "HB1 2EY", "01632 960248", BY_BROKER,
        abilities=("sewing", "arts-crafts", "phone-befriending"),
        about="I was a dressmaker on Station Parade for forty years. Hems, zips and buttons are second nature, "
              "and I love a chat on the phone.",
        learn_or_share="I'd like to share knitting with anyone who wants to learn.",
        enjoys="Knitting for the church bazaar and talking about old Hollinbridge.",
        available="Mon-Thu pm", travel=None,
    ),
    Resident(
        "Dave Hebden", "dave.hebden@example.org", "HB2 4JX", "07700 900173", BY_TEXT,
        abilities=("diy", "decorating", "lifts"),
        about="Retired joiner with a van. Shelves, doors, flat-pack and the odd bit of painting, and I can give "
              "you a lift to the tip too.",
        learn_or_share="Happy to show anyone how to hang a door. I'd like to get better with computers.",
        enjoys="A job done properly and a bacon butty after.",
        available="Mon-Fri am", travel=("HB1", "HB3"),
        vetting=Vetting(
            (Referee("Mick Firth", "01632 960539", "Worked together at Sedgecombe Joinery for 15 years"),
             Referee("Sandra Cole", "sandra.cole@example.org", "Neighbour on the Rise for 10 years")),
            DbsLevel.BASIC, "001632960423", issued_months_ago=20,
        ),
    ),
    Resident(
        "Sophie Kettering", "sophie.kettering@example.org", "HB1 3SU", "07700 900186", BY_EMAIL,
        abilities=("bsl", "exercise", "relaxation"),
        about="I sign BSL (level 3) and I'm a qualified yoga teacher. Gentle stretches, chair yoga or a signed "
              "chat, whichever suits.",
        learn_or_share="I'd like to share basic BSL with anyone curious.",
        enjoys="Slow mornings, yoga and the swimming pool.",
        available="Tue eve, Thu eve, Sun am", languages=("en", "bfi"), travel=("HB2",), show_contact=True,
    ),
    Resident(
        "Ray Thornton", "ray.thornton@example.org", "HB2 1BN", "07700 900192", BY_PHONE,
        abilities=("lifts", "shopping", "visits"),
        about="Retired bus driver with a clean licence and a comfortable car. I'll get you to appointments on "
              "time and wait for you after.",
        learn_or_share="I'd like to learn video calls, to see my grandson in Leeds.",
        enjoys="Driving the lanes, a natter, and the racing on Saturdays.",
        available="Mon am, Mon pm, Wed am, Wed pm, Fri am", travel=("HB1", "HB3"),
        vetting=Vetting(
            (Referee("Trevor Mayhew", "01632 960541", "Depot manager at Hollinbridge buses"),
             Referee("Linda Ashby", "linda.ashby@example.org", "Friend from the bowls club")),
            DbsLevel.BASIC, "001632960434", ends_in_days=12,
        ),
    ),
    Resident(
        "Jean Braddock", None, "HB2 5TG", "01632 960253", BY_BROKER,
        abilities=("cooking", "visits", "reading"),
        about="I make a good stew and a better apple pie, and I'll happily read the paper with you or just keep "
              "you company.",
        learn_or_share="I'd like to share my mother's recipes.",
        enjoys="Baking and a good gossip.",
        available="Tue pm, Thu pm, Sat pm", travel=None, hide_area=True,
    ),
    Resident(
        "Callum Pike", "callum.pike@example.org", "HB1 7LQ", "07700 900203", BY_EMAIL,
        abilities=("computer-help", "photography", "bike-repair"),
        about="Studying IT at the college. Phones, tablets, wifi and printers, and I can fix most punctures.",
        learn_or_share="I can share photo editing tips. I'd like to learn to cook more than pasta.",
        enjoys="Photography, cycling and gaming with mates.",
        available="Mon eve, Tue eve, Sat pm, Sun pm", travel=("HB2", "HB3"),
    ),
    Resident(
        "Isla Mackintosh", "isla.mackintosh@example.org", "HB3 4AJ", "07700 900217", BY_EMAIL,
        abilities=("pet-care", "walking-buddy", "house-sitting"),
        about="I work from home and my spaniel Bracken gets me out twice a day. Happy to walk your dog, feed the "
              "cats or water the plants while you're away.",
        learn_or_share="I'd like to learn to grow vegetables.",
        enjoys="Long walks and dogs of all sizes.",
        available="Mon-Sat am", travel=("HB1", "HB4"), hide_name=True,
    ),
    Resident(
        "Hamish Rennie", "hamish.rennie@example.org", "HB2 6WD", "07700 900228", BY_EMAIL,
        abilities=("bookkeeping", "business-advice", "mentoring"),
        about="Retired accountant. I'll help you set up a simple budget, price up your market stall or look over "
              "a business plan.",
        learn_or_share="I'd love to learn the guitar.",
        enjoys="Crosswords, hill walking and a dram at New Year.",
        available="Tue am, Thu am, Thu pm", travel=("HB1",),
    ),
    Resident(
        "Morag Kerr", None, "HB2 2HP", None, BY_BROKER,
        abilities=("arts-crafts", "sewing"),
        about="I knit, crochet and quilt, and I'd be glad to teach anyone who'd like to learn.",
        learn_or_share="I can share crochet for beginners.",
        enjoys="Company while I work on a quilt.",
        available="Mon pm, Wed pm", languages=("en", "gd"), travel=None,
    ),
    Resident(
        "Euan Drummond", "euan.drummond@example.org", "HB1 5GB", "07700 900239", BY_EMAIL,
        abilities=("music", "tutoring"),
        about="I teach guitar and a bit of piano, and I can help with GCSE maths and physics.",
        learn_or_share="I'd like to learn some Welsh songs.",
        enjoys="Open mic nights, and teaching someone their first chords.",
        available="Mon eve, Wed eve, Fri eve", travel=("HB2", "HB3"),
    ),
    Resident(
        "Siobhán Doherty", "siobhan.doherty@example.org", "HB1 8NE", "07700 900241", BY_TEXT,
        abilities=("carer-respite", "visits", "cooking"),
        about="I'm calm, easy company and I love talking to older people. I'll sit with your mum or dad while "
              "you get a few hours out.",
        learn_or_share="I can share Irish soda bread. I'd like to learn first aid.",
        enjoys="Music, tea and a good laugh.",
        available="Tue pm, Wed pm, Sat am", languages=("en", "ga"), travel=("HB2",),
    ),
    Resident(
        "Ciarán Byrne", "ciaran.byrne@example.org", "HB2 7QA", "07700 900252", BY_EMAIL,
        abilities=("coaching", "outings", "lifts"),
        about="I help run the Saturday five-a-side and I've a seven-seater, so I'm happy to drive a group out for "
              "the day.",
        learn_or_share="I'd like to learn photography.",
        enjoys="Football, fishing and days out.",
        available="Sat am, Sat pm, Sun am", travel=("HB1", "HB3"),
    ),
    Resident(
        "Niamh Gallagher", "niamh.gallagher@example.org", "HB3 6LZ", "07700 900263", BY_EMAIL,
        abilities=("writing", "form-filling", "cv-interview"),
        about="I work in HR, so CVs, cover letters and interview practice are my bread and butter. I also like "
              "helping people write down family stories.",
        learn_or_share="I'd like to learn Welsh. I live in Carreg Wen, after all!",
        enjoys="Writing, long lunches and the book club.",
        available="Mon eve, Thu eve", languages=("en", "ga"), travel=("HB1",),
    ),
    Resident(
        "Padraig Quinn", "padraig.quinn@example.org", "HB1 9TW", "07700 900274", BY_PHONE,
        abilities=("gardening", "diy"),
        about="Landscape gardener. Hedges, lawns, fences and patios.",
        learn_or_share="I can show you how to keep a lawn green without chemicals.",
        enjoys="Working outdoors and Irish music.",
        available="Wed eve, Sun am, Sun pm", travel=("HB2", "HB3"), show_contact=True,
    ),
    Resident(
        "Priya Chauhan", "priya.chauhan@example.org", "HB2 8DF", "07700 900285", BY_EMAIL,
        abilities=("tutoring", "english-practice", "cooking"),
        about="Secondary maths teacher. I'll help with homework at any level, and I'm happy to practise English "
              "conversation with anyone.",
        learn_or_share="I can share Gujarati cooking. I'd like to learn to crochet.",
        enjoys="Cooking for friends and walks by the river.",
        available="Tue eve, Wed eve, Sat am", languages=("en", "gu", "hi"), travel=("HB1",),
        vetting=Vetting(
            (Referee("Mark Denholm", "mark.denholm@example.org", "Head of maths at Hollinbridge High"),
             Referee("Anita Shah", "01632 960552", "Friend from the temple committee for 10 years")),
            DbsLevel.ENHANCED_BARRED, "001632960445", issued_months_ago=8, workforce=Workforce.CHILDREN,
        ),
    ),
    Resident(
        "Bilal Rashid", "bilal.rashid@example.org", "HB1 2WS", "07700 900296", BY_EMAIL,
        abilities=("computer-help", "translation", "lifts"),
        about="Software developer by day. I'll set up your phone or laptop, and I can interpret Urdu and Punjabi "
              "at appointments.",
        learn_or_share="I'd like to learn woodwork.",
        enjoys="Cricket, gadgets and my mum's cooking.",
        available="Mon eve, Thu eve, Sun pm", languages=("en", "ur", "pa"), travel=("HB2",),
    ),
    Resident(
        "Harjit Sandhar", "harjit.sandhar@example.org", "HB2 3RY", "07700 900307", BY_EMAIL,
        abilities=("gardening", "food-growing", "cooking"),
        about="My allotment on the Riverside has more courgettes than I know what to do with. I'll help you "
              "start a veg patch.",
        learn_or_share="I can share how to grow chillies on a windowsill.",
        enjoys="Gardening, cooking and feeding people.",
        available="Mon am, Wed am, Fri am", languages=("en", "pa"), travel=("HB1",),
    ),
    Resident(
        "Farhana Begum", "farhana.begum@example.org", "HB1 4UH", "07700 900318", BY_TEXT,
        abilities=("sewing", "arts-crafts", "childcare-support"),
        about="I sew clothes for my family and run the henna stall at the summer fair. I can alter, mend and "
              "teach simple sewing.",
        learn_or_share="I can share henna and embroidery. I would like to learn to drive.",
        enjoys="Sewing, and time with other mums.",
        available="Mon am, Tue am, Thu am", languages=("en", "bn"), travel=("HB2",), hide_name=True,
    ),
    Resident(
        "Rohan Mistry", "rohan.mistry@example.org", "HB2 9PL", "07700 900329", BY_EMAIL,
        abilities=("business-advice", "photography", "mentoring"),
        about="I run a small print shop on Station Parade. Happy to help with a logo, leaflets or the first steps "
              "of starting a business.",
        learn_or_share="I'd like to learn Welsh.",
        enjoys="Photography and Bollywood films.",
        available="Wed eve, Sat pm", languages=("en", "gu"), travel=("HB1",),
    ),
    Resident(
        "Nasreen Akhtar", None, "HB1 6JF", "01632 960264", BY_BROKER,
        abilities=("cooking", "english-practice", "meal-sharing"),
        about="I cook for big family gatherings. I'd be happy to cook for someone, or chat in Urdu or English "
              "over a meal.",
        learn_or_share="I'd like to learn to use a tablet.",
        enjoys="Cooking, family and my garden.",
        available="Mon pm, Wed pm, Fri pm", languages=("en", "ur"), travel=None,
    ),
    Resident(
        "Delroy Campbell", "delroy.campbell@example.org", "HB2 4NX", "07700 900331", BY_PHONE,
        abilities=("diy", "music", "outings"),
        about="Retired mechanic. I'll do odd jobs around the house, and I've a record collection that could "
              "fill a hall: happy to play at your do.",
        learn_or_share="I'd like to learn to use email.",
        enjoys="Reggae, dominoes and a good Sunday lunch.",
        available="Tue pm, Thu pm, Sat pm", travel=("HB1",),
    ),
    Resident(
        "Marcia Lindo", "marcia.lindo@example.org", "HB2 6EU", "07700 900342", BY_EMAIL,
        abilities=("visits", "peer-support", "cooking"),
        about="Retired care worker, so I'm a good listener and a good cook. I help run the Tuesday coffee "
              "morning at the community centre.",
        learn_or_share="I can share Jamaican cooking. I'd like to learn line dancing!",
        enjoys="The church choir and coffee mornings.",
        available="Tue am, Wed pm, Sun pm", travel=("HB1",),
    ),
    Resident(
        "Winston Beckford", None, "HB1 3HQ", "01632 960275", BY_BROKER,
        abilities=("gardening", "walking-buddy"),
        about="I keep a tidy garden and I walk round the Green every morning; glad of the company.",
        learn_or_share="I can share how to grow roses.",
        enjoys="Cricket on the radio and my roses.",
        available="Mon-Sun am",
    ),
    Resident(
        "Beverley Ellis", "beverley.ellis@example.org", "HB1 7RA", "07700 900353", BY_EMAIL,
        abilities=("visits", "carer-respite", "phone-befriending"),
        about="I'm easy company and calm in a crisis. Glad to sit with someone so their family can have a break, "
              "or ring for a chat every week.",
        learn_or_share="I'd like to learn to paint.",
        enjoys="Gardening, the grandchildren and a good detective novel.",
        experience="District nurse in Hollinbridge for 28 years.",
        available="Mon pm, Tue pm, Thu pm, Fri am", travel=("HB2", "HB3"),
        vetting=Vetting(
            (Referee("Dr Helen Marsh", "helen.marsh@example.org", "GP I worked alongside for 12 years"),
             Referee("Joan Pryce", "01632 960563", "Neighbour and friend for 30 years")),
            DbsLevel.ENHANCED_BARRED, "001632960456", issued_months_ago=26, workforce=Workforce.ADULTS,
        ),
    ),
    Resident(
        "Tomasz Nowak", "tomasz.nowak@example.org", "HB2 1XT", "07700 900364", BY_EMAIL,
        abilities=("diy", "decorating", "translation"),
        about="Builder, from Gdańsk, here twelve years. Tiling, plastering, painting, and I can translate "
              "letters from Polish.",
        learn_or_share="I'd like to improve my written English.",
        enjoys="Football and fishing at the reservoir.",
        available="Sat am, Sun am", languages=("en", "pl"), travel=("HB1", "HB3"),
    ),
    Resident(
        "Agnieszka Wiśniewska", "agnieszka.wisniewska@example.org", "HB1 5YB", "07700 900375", BY_TEXT,
        abilities=("translation", "cleaning", "childcare-support"),
        about="I'm a translator (Polish and English) and a mum of two. I can help with letters from school or the "
              "council, and I'm tidy and quick.",
        learn_or_share="I want to learn to swim.",
        enjoys="Cooking pierogi and walks with the pushchair.",
        available="Mon am, Wed am, Fri am", languages=("en", "pl", "ru"), travel=("HB2",),
    ),
    Resident(
        "Krzysztof Zieliński", "krzysztof.zielinski@example.org", "HB2 5AS", "07700 900386", BY_EMAIL,
        abilities=("bike-repair", "electrical-repair"),
        about="Engineer at the paper mill. I fix bikes, lamps, toasters and most things with a plug.",
        learn_or_share="I'd like to get better at chess.",
        enjoys="Cycling the valley.",
        available="Tue eve, Thu eve, Sat am", languages=("en", "pl"), travel=("HB1", "HB3"), hide_area=True,
    ),
    Resident(
        "Magda Kowalczyk", "magda.kowalczyk@example.org", "HB3 3UE", "07700 900397", BY_EMAIL,
        abilities=("cooking", "skills-sharing", "gardening"),
        about="I bake bread and make preserves. I'll show you how, or bring you a loaf.",
        learn_or_share="I'd like to learn Welsh with my children.",
        enjoys="Baking, jam-making and the garden.",
        available="Mon pm, Thu pm", languages=("en", "pl"), travel=("HB4",),
    ),
    Resident(
        "Adaeze Okonkwo", "adaeze.okonkwo@example.org", "HB2 2JG", "07700 900408", BY_EMAIL,
        abilities=("mentoring", "cv-interview", "tutoring"),
        about="Pharmacist, and a mentor with the college's women in science group. Happy to go through a CV or "
              "help with A-level chemistry.",
        learn_or_share="I'd like to learn to knit.",
        enjoys="Gospel music and long phone calls with my sister.",
        available="Wed eve, Sun pm", languages=("en", "fr"), travel=("HB1",),
    ),
    Resident(
        "Kwabena Asante", "kwabena.asante@example.org", "HB1 8TL", "07700 900419", BY_EMAIL,
        abilities=("coaching", "exercise", "outings"),
        about="Personal trainer and youth football coach. Gentle exercise for beginners, or a kickabout.",
        learn_or_share="I'd like to learn to cook healthy meals on a budget.",
        enjoys="Football, music and being outdoors.",
        available="Mon eve, Tue eve, Sat am", travel=("HB2",),
    ),
    Resident(
        "Yaw Mensah", "yaw.mensah@example.org", "HB2 7UP", "07700 900421", BY_EMAIL,
        abilities=("shopping", "lifts", "computer-help"),
        about="Delivery driver, so I know every road around here. Happy to pick up shopping or give a lift on my "
              "days off.",
        learn_or_share="I'd like to learn to fix my own bike.",
        enjoys="Highlife music and cooking for friends.",
        available="Mon pm, Tue pm, Sun am", travel=("HB1", "HB3"),
    ),
    Resident(
        "Chidi Eze", "chidi.eze@example.org", "HB1 9FD", "07700 900432", BY_EMAIL,
        abilities=("music", "tutoring", "computer-help"),
        about="University student home for the year. Piano for beginners, and homework help, maths especially.",
        learn_or_share="I'd like to learn Welsh.",
        enjoys="Playing the piano and chess.",
        available="Tue eve, Thu eve, Sat pm", travel=("HB2", "HB3"),
    ),
    Resident(
        "Leyla Demir", "leyla.demir@example.org", "HB1 2NB", "07700 900443", BY_EMAIL,
        abilities=("cooking", "translation", "relaxation"),
        about="I run a café kitchen and teach a relaxation class at the leisure centre. I can interpret Turkish "
              "at appointments.",
        learn_or_share="I can share a Turkish breakfast for a crowd.",
        enjoys="Cooking, swimming and quiet mornings.",
        available="Mon am, Sun pm", languages=("en", "tr", "ku"), travel=("HB2",),
    ),
    Resident(
        "Hodan Abdi", "hodan.abdi@example.org", "HB2 8WY", "07700 900454", BY_TEXT,
        abilities=("translation", "childcare-support", "community-events"),
        about="I help organise the Eid celebration at the community centre and I can interpret Somali. Happy to "
              "look after children for an hour.",
        learn_or_share="I'd like to learn to use spreadsheets.",
        enjoys="Organising events and time with friends.",
        available="Mon pm, Tue pm, Thu pm", languages=("en", "so", "ar"), travel=("HB1",),
    ),
    Resident(
        "Annie McCluskey", "annie.mccluskey@example.org", "HB3 7DH", "07700 900465", BY_EMAIL,
        abilities=("photography", "writing", "walking-buddy"),
        about="I write the Carreg Wen newsletter and take the photos for the village show. Happy to help you get "
              "your memories down on paper.",
        learn_or_share="I'd like to learn to edit videos.",
        enjoys="Walking, the newsletter and a quiz night.",
        available="Wed am, Fri pm, Sat am", travel=("HB4", "HB1"),
    ),
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


@dataclass(frozen=True)
class Partner:
    """An organisation in the bank: its contact details, what it offers, and what it brings besides hours."""

    name: str
    contact_email: str
    phone: str
    postcode: str
    abilities: tuple[str, ...]
    about: str
    contributions: tuple[tuple[ContributionKind, str], ...]
    charity_number: str | None = None


CHARITY = Partner(
    "Friends of Hollinbridge Green", "friends.of.the.green@example.org", "01632 960310", "HB1 1GR",
    abilities=("food-growing", "community-events", "gardening"),
    about="We look after Hollinbridge Green, its community garden and orchard, and run the summer fair and the "
          "Christmas lights. Time bank members are welcome at every session.",
    contributions=(
        (ContributionKind.ROOM, "The pavilion on the Green: a kitchen and a room for 30, free for time bank "
                                "sessions on weekday afternoons"),
        (ContributionKind.TRAINING, "Food hygiene (level 2) and first aid courses for volunteers, twice a year"),
        (ContributionKind.EQUIPMENT, "Garden tools and wheelbarrows to borrow from the pavilion shed"),
    ),
    charity_number="1298431",
)
COUNCIL = Partner(
    "Hollinbridge Borough Council", "community.team@example.org", "01632 960400", "HB1 1AA",
    abilities=("volunteering-roles", "community-events", "leisure-pass"),
    about="The council's community team designs services with residents: consultation panels, the warm space, "
          "youth clubs, and swims and classes at Hollinbridge Leisure Centre for hours.",
    contributions=(
        (ContributionKind.ROOM, "Meeting room at Sedgecombe Rise community centre, Tuesday and Thursday evenings"),
        (ContributionKind.FUNDS, "£4,000 a year towards the broker's hours and volunteers' travel expenses"),
        (ContributionKind.STAFF_TIME, "A community development officer one day a week"),
    ),
)


@dataclass(frozen=True)
class Applicant:
    """Someone who has applied to join and is not a member yet."""

    name: str
    email: str
    postcode: str
    phone: str | None
    contact_by: ContactMethod
    statement: str
    referees: tuple[Referee, ...] = ()
    welsh: bool = False


#: Signed up online (and can sign in with the demo password); the broker has booked an interview and
#: heard back from one referee.
PENDING_APPLICANT = Applicant(
    "Lowri Jenkins", "applicant@example.org", "HB3 8PN", "07700 900476", BY_EMAIL, welsh=True,
    statement="I've just retired from the library in Carreg Wen. I'd love to run a reading group, help people "
              "get online, and practise Welsh with learners.",
    referees=(
        Referee("Rev. Siân Parry", "01632 960574", "Minister at Capel Bethel; has known me for 20 years"),
        Referee("Huw Roberts", "huw.roberts@example.org", "My manager at Carreg Wen library for 12 years"),
    ),
)
#: Days from the demo's day to the pending applicant's interview.
INTERVIEW_IN_DAYS = 6

#: Enrolled by the broker at the drop-in; two members have vouched for him, one more will do.
VOUCHED_APPLICANT = Applicant(
    "Joe Whitfield", "joe.whitfield@example.org", "HB2 4QD", "07700 900487", BY_EMAIL,
    statement="I've moved to Sedgecombe Rise to be near my sister. I can do odd jobs and I'm a decent cook, "
              "and I'd like to meet people.",
)
VOUCHERS = ("Hamish Rennie", "Marcia Lindo")

DECLINED_APPLICANT = Applicant(
    "Craig Dunmore", "craig.dunmore@example.org", "HB1 6XR", None, BY_EMAIL,
    statement="Looking to help out with gardening and odd jobs.",
)
DECLINE_REASON = (
    "We couldn't arrange an interview: no reply to two letters and a phone message over three months. "
    "Craig is welcome to apply again at any time."
)

#: Notes the broker keeps (broker-only), by resident.
SAFEGUARDING_NOTES = (
    ("Beverley Ellis", "Went through lone working and the home visit checklist before her first befriending "
                       "visit. Happy to be paired with new volunteers for their first visits."),
    ("Ray Thornton", "DBS renewal due soon: Ray has the form and will bring his ID to the Thursday drop-in."),
)

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

#: What residents do with the charity and the council; each gives credits (it receives the help).
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

#: What residents spend credits on with the council as a spend partner (the resident is the receiver).
SPENDING: tuple[tuple[str, str], ...] = (
    ("leisure-pass", "Swim at Hollinbridge Leisure Centre"),
    ("leisure-pass", "Aqua-fit class at Hollinbridge Leisure Centre"),
    ("tickets", "Seat at the winter film night, Carreg Wen hall"),
)

# --- two years of a time bank (issue 14) -----------------------------------------------------------------

#: Months of exchanges, sessions and introductions before the demo's day: a funder's default year and most of
#: the year before it, growing modestly, so the report's comparison with the previous period means something.
HISTORY_MONTHS = 23

#: When each resident joined, in months before the demo's day. About half were there before the bank moved
#: onto timebank (its first members, up to ``OPENED_MONTHS_AGO``); the others joined month by month since,
#: a few each season, so a funder's year has new members and members it kept.
JOINED_MONTHS_AGO: dict[str, int] = {
    "Gethin Llewellyn": 35, "Margaret Ashworth": 35, "Carys Pritchard": 34, "Morag Kerr": 34,
    "Eleri Vaughan": 33, "Winston Beckford": 33, "Dave Hebden": 32, "Nia Bowen": 31, "Folake Adeyemi": 30,
    "Beverley Ellis": 30, "Dafydd Rhys-Owen": 29, "Marcia Lindo": 29, "Ray Thornton": 28, "Rhodri Mathias": 27,
    "Priya Chauhan": 27, "Jean Braddock": 26, "Sophie Kettering": 26, "Hamish Rennie": 25, "Delroy Campbell": 25,
    "Siobhán Doherty": 24,
    # The year before the funder's.
    "Callum Pike": 22, "Isla Mackintosh": 20, "Euan Drummond": 19, "Ciarán Byrne": 18, "Niamh Gallagher": 17,
    "Padraig Quinn": 16, "Bilal Rashid": 15, "Harjit Sandhar": 14, "Nasreen Akhtar": 14, "Tomasz Nowak": 13,
    # The funder's year.
    "Farhana Begum": 11, "Rohan Mistry": 10, "Agnieszka Wiśniewska": 9, "Krzysztof Zieliński": 8,
    "Magda Kowalczyk": 7, "Adaeze Okonkwo": 6, "Kwabena Asante": 5, "Yaw Mensah": 4, "Chidi Eze": 3,
    "Leyla Demir": 2, "Hodan Abdi": 2, "Annie McCluskey": 1,
}
#: The charity and the council joined the bank as partners, in months before the demo's day.
PARTNERS_JOINED_MONTHS_AGO = {"charity": 31, "council": 27}

#: Members who give and have not asked for anything back yet (their credits build up), and members who
#: mostly receive: as in any real time bank, not everyone both gives and receives in a year.
GIVES_ONLY = ("Rhodri Mathias", "Hamish Rennie", "Euan Drummond", "Delroy Campbell", "Padraig Quinn", "Tomasz Nowak",
              "Rohan Mistry", "Kwabena Asante", "Yaw Mensah")
RECEIVES_ONLY = ("Jean Braddock", "Winston Beckford", "Morag Kerr", "Nasreen Akhtar", "Farhana Begum", "Leyla Demir")


DECLINE_NOTES = (
    "That was an hour, not two — could you record it again?",
    "I think this was the week before; let's sort it out on Friday.",
    "Wrong person — it was my neighbour who helped.",
)

REVERSAL_REASONS = (
    "Recorded twice: this was already keyed from the paper sign-in sheet.",
    "Wrong member chosen when keying from the paper sheet; re-recorded for the right person.",
)


# --- co-delivery (issue 4) -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoRole:
    title: str
    description: str
    category: str
    abilities: tuple[str, ...]
    places: int
    #: Session times as (weekday 0 = Monday, start "HH:MM", end "HH:MM").
    weekday: int
    starts: str
    ends: str
    clearance: str | None = None
    normally_paid: bool = False
    service_user_involvement: bool = False
    release_notice_hours: int = 0
    away_overnight: bool = False
    spends: bool = False
    credit_minutes: int | None = None
    #: Sessions every this many weeks; past ones have attendance marked, future ones have sign-ups.
    every_weeks: int = 1
    #: How long the role has run: its sessions go back this many months before the demo's day, in the
    #: months of the year it runs (``season``; empty: all year).
    ran_months: int = 1
    season: tuple[int, ...] = ()
    future_sessions: int = 4
    #: The residents who take part, for a role that needs a clearance (others are picked at random).
    volunteers: tuple[str, ...] = ()
    #: The title and description in Welsh; blank (most roles), Welsh pages show the English.
    title_cy: str = ""
    description_cy: str = ""


@dataclass(frozen=True)
class DemoActivity:
    organisation: str  # "council" or "charity"
    title: str
    summary: str
    form: str
    designed_by: str
    delivered_by: str
    place: str
    roles: tuple[DemoRole, ...]
    partners: tuple[str, ...] = ()
    #: The title and summary in Welsh; blank, Welsh pages show the English.
    title_cy: str = ""
    summary_cy: str = ""


#: The warm space opens in the cold months; the garden group meets from March to October.
WINTER = (11, 12, 1, 2, 3)
GROWING = (3, 4, 5, 6, 7, 8, 9, 10)

ACTIVITIES: tuple[DemoActivity, ...] = (
    DemoActivity(
        "council", "Sedgecombe Rise Warm Space",
        "A warm, friendly room with tea, soup and company on winter afternoons. Residents chose the days, the menu "
        "and the rules, and they run it with the council's community team.",
        "co_delivering", "shared", "shared", "Sedgecombe Rise community centre, Brook Street",
        roles=(
            DemoRole("Warm space host", "Welcome people, make tea, and sit and chat with anyone who'd like company.",
                     "community-events", ("community-events", "befriending"), places=4, weekday=1,
                     starts="13:00", ends="16:00", release_notice_hours=24, ran_months=HISTORY_MONTHS,
                     season=WINTER, title_cy="Croesawydd y man cynnes",
                     description_cy="Croesawu pobl, gwneud paned, ac eistedd a sgwrsio gydag unrhyw un a hoffai "
                                    "gwmni."),
            DemoRole("Soup cook", "Make the day's soup in the centre kitchen (food hygiene level 2 provided).",
                     "cooking", ("cooking",), places=1, weekday=1, starts="11:00", ends="13:00",
                     release_notice_hours=48, ran_months=HISTORY_MONTHS, season=WINTER, title_cy="Cogydd cawl",
                     description_cy="Gwneud cawl y dydd yng nghegin y ganolfan (rhoddir hyfforddiant hylendid bwyd "
                                    "lefel 2)."),
        ),
        partners=("charity",),
        title_cy="Man Cynnes Sedgecombe Rise",
        summary_cy="Ystafell gynnes, gyfeillgar, gyda phaned, cawl a chwmni ar brynhawniau'r gaeaf. Y trigolion a "
                   "ddewisodd y dyddiau, y fwydlen a'r rheolau, ac maen nhw'n ei redeg gyda thîm cymunedol y "
                   "cyngor.",
    ),
    DemoActivity(
        "council", "Parks and Open Spaces Panel",
        "Residents and council officers plan together how Hollinbridge's parks are looked after and spent on. "
        "The panel meets once a month; its recommendations go to the council's cabinet.",
        "co_planning", "shared", "professionals", "Hollinbridge Town Hall, committee room 2",
        roles=(
            DemoRole("Panel member", "Read the papers before each meeting, bring your neighbours' views and help "
                     "decide the recommendations.", "volunteering-roles", ("community-events",), places=12,
                     weekday=3, starts="18:30", ends="20:30", service_user_involvement=True,
                     release_notice_hours=48, every_weeks=4, ran_months=18, future_sessions=2),
        ),
    ),
    DemoActivity(
        "council", "Swims and classes at Hollinbridge Leisure Centre",
        "Spend your time credits on a swim or a class: one hour's credit for one session.",
        "co_delivering", "professionals", "professionals", "Hollinbridge Leisure Centre, Ashby Road",
        roles=(
            DemoRole("Aqua aerobics", "A gentle class in the small pool; all abilities welcome.", "leisure-pass",
                     ("exercise",), places=6, weekday=4, starts="10:00", ends="10:45", spends=True,
                     credit_minutes=60, ran_months=4, future_sessions=3),
        ),
    ),
    DemoActivity(
        "charity", "Hollinbridge Green Community Garden",
        "Growing vegetables and fruit for the pantry on the Green. Members of the garden group decide what to "
        "grow and run the sessions themselves; Friends of Hollinbridge Green provides the tools and the pavilion.",
        "co_managing", "community", "community", "The pavilion, Hollinbridge Green",
        roles=(
            DemoRole("Garden volunteer", "Digging, sowing, weeding and harvesting. No experience needed; gloves "
                     "and tools provided.", "food-growing", ("gardening", "food-growing"), places=8, weekday=5,
                     starts="10:00", ends="12:00", every_weeks=2, ran_months=HISTORY_MONTHS, season=GROWING,
                     title_cy="Gwirfoddolwr yr ardd"),
        ),
        title_cy="Gardd Gymunedol Hollinbridge Green",
        summary_cy="Tyfu llysiau a ffrwythau i'r pantri ar y Grîn. Aelodau grŵp yr ardd sy'n penderfynu beth i'w "
                   "dyfu ac yn rhedeg y sesiynau eu hunain; mae Cyfeillion Hollinbridge Green yn rhoi'r offer a'r "
                   "pafiliwn.",
    ),
    DemoActivity(
        "charity", "Good Neighbours Home Visits",
        "Volunteers visit the same older neighbour each week for a cup of tea and a chat. The neighbours and "
        "their families chose what the visits are for; Friends of Hollinbridge Green trains and supports the "
        "visitors, and the time bank's broker makes the matches.",
        "co_delivering", "shared", "community", "In members' homes around Hollinbridge",
        roles=(
            DemoRole("Home visitor", "Visit your neighbour at home for an hour and a half: tea, a chat, a hand with "
                     "a letter. Needs the home visits clearance on the day of each visit.", "visits",
                     ("visits", "befriending"), places=3, weekday=2, starts="14:00", ends="15:30",
                     clearance="home_visits", release_notice_hours=24, ran_months=6, future_sessions=4,
                     volunteers=("Ray Thornton", "Dave Hebden", "Eleri Vaughan")),
        ),
    ),
)

#: The session of the warm space that is full, so a newcomer waits (the demo's waiting list).
FULL_SESSION_ROLE = "Warm space host"

#: Spend offers by spend partners: (organisation, title, details, category, price in minutes, receives).
SPEND_OFFERS = (
    ("council", "A swim at Hollinbridge Leisure Centre",
     "Any weekday before 4 pm, or Sunday afternoon. Show your member number at reception.", "leisure-pass", 60,
     "time_based_activity"),
    ("charity", "Cookery class at the pavilion",
     "Learn to cook a seasonal meal from the garden, then eat it together. Thursdays, 6 to 8 pm.", "leisure-pass",
     120, "time_based_activity"),
    ("charity", "Guided orchard walk and apple pressing",
     "An autumn morning in the orchard on the Green, with juice to take home.", "leisure-pass", 60,
     "time_based_activity"),
)

#: Offers by residents, drawn from their abilities: (resident, ability, title, details).
OFFERS = (
    ("Carys Pritchard", "computer-help", "Help with online forms and websites",
     "Benefit forms, council tax, booking a GP appointment online: bring your papers and we'll go through it."),
    ("Gethin Llewellyn", "welsh", "Welsh conversation practice",
     "A relaxed chat in Welsh over a cuppa for learners at any level."),
    ("Folake Adeyemi", "cooking", "Batch cooking for a busy week",
     "I'll show you how to cook five meals in an afternoon and freeze them."),
)

#: Requests for one occasion: (who, category, title, details, days ahead, "HH:MM" or "", minutes).
REQUESTS = (
    ("Margaret Ashworth", "lifts", "Lift to Carreg Wen surgery",
     "Appointment at 10:20; I can manage the steps but not the bus.", 5, "09:50", 90),
    ("Farhana Begum", "form-filling", "Help with a school uniform grant form",
     "The form is online and in English; I'd like someone to go through it with me.", 9, "", 60),
    ("charity", "community-events", "Stewards for the Christmas lights switch-on",
     "Hand out leaflets, help with the queue for the grotto, and keep the paths clear.", 16, "17:00", 120),
)

#: Expenses the charity and council paid to volunteers: (organisation, resident, days ago, kind, paid £,
#: receipted £, receipts, miles, rate in pence, flat rate, note).
EXPENSES = (
    ("charity", "Dave Hebden", 20, "mileage", "10.80", "10.80", 1, "24.0", 45, False,
     "Collecting compost from the Riverside allotments (mileage log signed)"),
    ("charity", "Jean Braddock", 13, "travel", "4.60", "4.60", 2, None, None, False, "Bus to the seed swap"),
    ("council", "Priya Chauhan", 27, "meals", "5.00", "0.00", 0, None, None, True,
     "Flat-rate lunch allowance for the panel's site visit"),
    ("council", "Ray Thornton", 6, "care", "24.00", "24.00", 1, None, None, False,
     "Sitter for his mother during the panel meeting"),
    ("council", "Carys Pritchard", 5, "travel", "15.00", "0.00", 0, None, None, True,
     "Flat-rate travel for the digital drop-in"),
)

#: A thank-you the council recorded: (resident, days ago, kind, £, note).
PAYMENTS = (
    ("Priya Chauhan", 27, "voucher", "20.00", "Shopping voucher to thank the panel for the site visit day"),
    # Paid to members who switched benefit-safe checks on (BENEFIT_MEMBERS below): the rules flag them.
    ("Folake Adeyemi", 9, "honorarium", "120.00", "Speaking at the carers' forum"),
    ("Folake Adeyemi", 8, "fee", "60.00", "Reviewing the carers' leaflet for the council"),
    ("Margaret Ashworth", 12, "voucher", "25.00", "Thank-you voucher from the lunch club"),
)

#: A member who questions a confirmed exchange (the broker has not dealt with it yet).
DISPUTE_REASON = (
    "I was only there for an hour, not two: I had to leave early to collect my grandson. Please put it right."
)


# --- signing in (issue 9) ----------------------------------------------------------------------------

#: An API token the first demo resident made for a spreadsheet that reads her exchanges: (name, days).
RESIDENT_TOKEN = ("Allotment spreadsheet", 90)
#: An online member who has never chosen a password asks for help, so the broker has a link to make.
ASKS_FOR_PASSWORD = "Ray Thornton"


# --- benefit-safe checks (issue 12) ------------------------------------------------------------------

#: Members who switched benefit-safe checks on: (resident, benefits, UC work-related group, UC expected
#: hours a week, volunteering hours agreed in the claimant commitment, days since they last told DWP or the
#: council (None: not yet), consent given by the broker for a member who is not online).
BENEFIT_MEMBERS = (
    ("Carys Pritchard", ("uc",), "all_requirements", 35, 16, 150, False),
    ("Folake Adeyemi", ("ca",), None, None, None, None, False),
    ("Margaret Ashworth", ("ns_esa", "pip"), None, None, None, 400, True),
)
#: A member who switched them on and later off again: only the fact and the dates are kept.
BENEFIT_WITHDRAWN = "Dave Hebden"
