"""The Noord-Brabant demo as plain data: regions, points, topics, staff, agencies.

Kept apart from the loader so the texts can be read (and translated) on their own.
Weekdays: 0 is Monday. Times are local (Europe/Amsterdam).
"""

from __future__ import annotations

REGIONS = (
    ("noordoost-brabant", "Noordoost-Brabant"),
    ("midden-brabant", "Midden-Brabant"),
    ("west-brabant", "West-Brabant"),
    ("zuidoost-brabant", "Zuidoost-Brabant"),
    ("helmond-de-peel", "Helmond-De Peel"),
)

WORKDAYS = (0, 1, 2, 3, 4)

# (slug, region, name as staff know it, kind, address, city, weekly hours
# [(weekdays, opens, closes)]); what migrants read is in booking/services/demo_texts/points.json
POINTS = (
    (
        "veghel",
        "noordoost-brabant",
        "BMIP Veghel (PIM Werkt)",
        "physical",
        "Kennedylaan 21",
        "Veghel",
        [(WORKDAYS, "09:00", "17:00"), ((1, 3), "17:00", "21:00"), ((5,), "10:00", "14:00")],
    ),
    (
        "den-bosch",
        "noordoost-brabant",
        "BMIP 's-Hertogenbosch",
        "physical",
        "Wolvenhoek 1",
        "'s-Hertogenbosch",
        [(WORKDAYS, "09:00", "17:00"), ((2,), "17:00", "20:00")],
    ),
    (
        "tilburg",
        "midden-brabant",
        "BMIP Tilburg",
        "physical",
        "Stadhuisplein 130",
        "Tilburg",
        [(WORKDAYS, "10:00", "18:00"), ((3,), "18:00", "20:00")],
    ),
    (
        "breda",
        "west-brabant",
        "BMIP Breda",
        "physical",
        "Claudius Prinsenlaan 10",
        "Breda",
        [(WORKDAYS, "09:00", "17:00"), ((5,), "10:00", "13:00")],
    ),
    (
        "eindhoven",
        "zuidoost-brabant",
        "BMIP Eindhoven",
        "physical",
        "Stationsplein 17",
        "Eindhoven",
        [(WORKDAYS, "09:00", "17:00"), ((0, 3), "17:00", "20:00")],
    ),
    (
        "helmond",
        "helmond-de-peel",
        "BMIP Helmond",
        "physical",
        "Markt 2",
        "Helmond",
        [((0, 2, 4), "09:00", "17:00")],
    ),
    (
        "bus",
        "noordoost-brabant",
        "Mobiel informatiepunt (bus)",
        "mobile",
        "",
        "Noordoost-Brabant",
        [],
    ),
    (
        "telefoon",
        "noordoost-brabant",
        "Telefonisch spreekuur",
        "phone",
        "",
        "",
        [((0, 2), "18:00", "20:00")],
    ),
)

# Mobile visits repeat weekly: (weekday, opens, closes, place, address); the stops in
# every language are in booking/services/demo_texts/stops.json
BUS_VISITS = (
    (1, "10:00", "16:00", "Distributiecentrum De Amert", "De Amert 300, Veghel"),
    (3, "15:00", "20:00", "Woonlocatie Boekel", "Kerkstraat 40, Boekel"),
    (5, "10:00", "14:00", "Vleesverwerker Oss", "Vierwindenstraat 50, Oss"),
)

# (slug, minutes); names, explanations and what to bring are in booking/services/demo_texts/topics.json
TOPICS = (
    ("registration", 45),
    ("housing", 30),
    ("wages", 30),
    ("working-conditions", 30),
    ("working-hours", 30),
    ("report-abuse", 45),
    ("discrimination", 30),
    ("intimidation", 30),
    ("health-insurance", 30),
    ("taxes-benefits", 30),
    ("childcare", 30),
    ("dutch-course", 30),
    ("work-cv", 45),
    ("referral", 30),
)

# (name, languages, [(point, weekdays, starts, ends)])
EVENINGS_VEGHEL = [("veghel", (1, 3), "17:00", "21:00")]
CONSULTANTS = (
    (
        "Agnieszka Nowak",
        ("pl", "nl", "en"),
        [("veghel", WORKDAYS, "09:00", "17:00"), *EVENINGS_VEGHEL],
    ),
    (
        "Marek Kowalski",
        ("pl", "en"),
        [("veghel", (0, 1, 2, 3), "12:00", "21:00"), ("veghel", (5,), "10:00", "14:00")],
    ),
    (
        "Ioana Popescu",
        ("ro", "nl", "en"),
        [("veghel", WORKDAYS, "09:00", "17:00"), *EVENINGS_VEGHEL],
    ),
    (
        "Andrei Ionescu",
        ("ro", "en"),
        [("veghel", (5,), "10:00", "14:00"), ("telefoon", (0, 2), "18:00", "20:00")],
    ),
    ("Sanne de Vries", ("nl", "en"), [("veghel", WORKDAYS, "09:00", "17:00")]),
    (
        "Katarzyna Wiśniewska",
        ("pl", "nl"),
        [("telefoon", (0, 2), "18:00", "20:00"), ("den-bosch", WORKDAYS, "09:00", "17:00")],
    ),
    ("Tomasz Zieliński", ("pl", "lt", "en"), [("bus", (1, 3, 5), "10:00", "20:00")]),
    ("Elena Dumitru", ("ro", "hu", "en"), [("bus", (1, 3, 5), "10:00", "20:00")]),
    (
        "Daan Jansen",
        ("nl", "en", "de"),
        [("den-bosch", WORKDAYS, "09:00", "17:00"), ("den-bosch", (2,), "17:00", "20:00")],
    ),
    ("Petya Georgieva", ("bg", "ru", "en"), [("den-bosch", (0, 1, 2), "09:00", "20:00")]),
    (
        "Olena Kovalenko",
        ("uk", "ru", "pl"),
        [("tilburg", WORKDAYS, "10:00", "18:00"), ("tilburg", (3,), "18:00", "20:00")],
    ),
    ("Jan van den Berg", ("nl", "en"), [("tilburg", WORKDAYS, "10:00", "18:00")]),
    ("Paweł Wójcik", ("pl", "en"), [("tilburg", (0, 2, 3), "10:00", "20:00")]),
    (
        "Mihaela Stan",
        ("ro", "en"),
        [("breda", WORKDAYS, "09:00", "17:00"), ("breda", (5,), "10:00", "13:00")],
    ),
    ("Lotte Bakker", ("nl", "en", "es"), [("breda", WORKDAYS, "09:00", "17:00")]),
    ("Rasa Kazlauskienė", ("lt", "lv", "ru"), [("eindhoven", WORKDAYS, "09:00", "17:00")]),
    ("Zsófia Nagy", ("hu", "sk", "en"), [("eindhoven", (0, 3), "12:00", "20:00")]),
    (
        "Joanna Lewandowska",
        ("pl", "nl"),
        [("eindhoven", WORKDAYS, "09:00", "17:00"), ("eindhoven", (0, 3), "17:00", "20:00")],
    ),
    ("Bogdan Marin", ("ro", "bg", "en"), [("helmond", (0, 2, 4), "09:00", "17:00")]),
    ("Femke Visser", ("nl", "en", "pt"), [("helmond", (0, 2, 4), "09:00", "17:00")]),
)

# (name, languages, modes, weekdays, starts, ends); interpreters serve every point.
INTERPRETERS = (
    ("Dimitar Petrov", ("bg", "nl"), ("on_site", "phone", "video"), WORKDAYS, "09:00", "21:00"),
    (
        "Iryna Shevchenko",
        ("uk", "ru", "nl"),
        ("phone", "video"),
        (0, 1, 2, 3, 4, 5),
        "09:00",
        "21:00",
    ),
    ("Vytautas Jonaitis", ("lt", "nl"), ("phone", "video"), WORKDAYS, "09:00", "18:00"),
    ("Anna Szabó", ("hu", "nl"), ("phone", "video"), WORKDAYS, "09:00", "21:00"),
    ("Cristina Rusu", ("ro", "nl"), ("on_site", "phone"), (1, 3, 5), "09:00", "21:00"),
    ("Piotr Mazur", ("pl", "nl"), ("on_site", "phone"), (0, 1, 2, 3, 4, 5), "09:00", "21:00"),
    ("Līga Bērziņa", ("lv", "nl"), ("phone", "video"), WORKDAYS, "09:00", "17:00"),
    ("Martin Horváth", ("sk", "cs", "nl"), ("phone", "video"), WORKDAYS, "09:00", "17:00"),
    ("Ana Ferreira", ("pt", "es", "nl"), ("phone", "video"), WORKDAYS, "09:00", "17:00"),
    (
        "Sergei Ivanov",
        ("ru", "uk", "bg", "nl"),
        ("phone", "video"),
        (0, 1, 2, 3, 4, 5),
        "12:00",
        "21:00",
    ),
)

# (slug, name, kind, email, address, region or None)
AGENCIES = (
    (
        "meierijstad-brp",
        "Gemeente Meierijstad - Burgerzaken (BRP/RNI)",
        "municipality",
        "burgerzaken@meierijstad.example",
        "Stadhuisplein 1, Veghel",
        "noordoost-brabant",
    ),
    ("ind", "IND", "immigration", "loket@ind.example", "Wolvenhoek 1, 's-Hertogenbosch", None),
    ("uwv", "UWV", "benefits", "werkgevers@uwv.example", "Willem Twee 4, 's-Hertogenbosch", None),
    (
        "ggd-hvb",
        "GGD Hart voor Brabant",
        "health",
        "info@ggdhvb.example",
        "Reitscheweg 55, 's-Hertogenbosch",
        "noordoost-brabant",
    ),
    (
        "cz",
        "Zorgverzekeraar CZ",
        "health_insurance",
        "klantenservice@cz.example",
        "Ringbaan-West 236, Tilburg",
        None,
    ),
    (
        "woonadvies",
        "Huurteam Brabant (woonadvies)",
        "housing",
        "advies@huurteam.example",
        "Markt 5, Uden",
        "noordoost-brabant",
    ),
    ("fnv", "FNV", "union", "brabant@fnv.example", "Hooghuisstraat 20, Eindhoven", None),
    ("fairwork", "FairWork", "ngo", "info@fairwork.example", "Amsterdam (video)", None),
    ("barka", "Barka", "ngo", "nl@barka.example", "Den Haag (video)", None),
    (
        "arbeidsinspectie",
        "Nederlandse Arbeidsinspectie",
        "inspectorate",
        "meldingen@arbeidsinspectie.example",
        "Utrecht",
        None,
    ),
)

# Agencies without an office to go to: they meet only by video.
VIDEO_ONLY = ("fairwork", "barka")

# When agencies take warm handovers: slug -> [(weekdays, opens, closes, places at once)].
# An agency without hours (the labour inspectorate) is booked by arrangement.
AGENCY_HOURS = {
    "meierijstad-brp": [(WORKDAYS, "09:00", "16:30", 2), ((1,), "17:00", "20:00", 1)],
    "ind": [(WORKDAYS, "09:00", "17:00", 3)],
    "uwv": [(WORKDAYS, "09:00", "17:00", 2)],
    "ggd-hvb": [((0, 2, 4), "09:00", "16:00", 1)],
    "cz": [(WORKDAYS, "08:30", "17:30", 2)],
    "woonadvies": [((1, 3), "13:00", "20:00", 1)],
    "fnv": [((0, 3), "10:00", "20:00", 1), ((5,), "10:00", "13:00", 1)],
    "fairwork": [(WORKDAYS, "09:00", "17:00", 2)],
    "barka": [(WORKDAYS, "10:00", "18:00", 1)],
}
# The topics each agency takes; an agency not listed takes any topic.
AGENCY_TOPICS = {
    "meierijstad-brp": ("registration", "referral"),
    "ind": ("registration", "referral"),
    "uwv": ("taxes-benefits", "work-cv", "referral"),
    "ggd-hvb": ("health-insurance", "referral"),
    "cz": ("health-insurance", "referral"),
    "woonadvies": ("housing", "referral"),
    "fnv": ("wages", "working-conditions", "working-hours", "intimidation", "referral"),
    "arbeidsinspectie": ("report-abuse", "working-conditions", "working-hours", "referral"),
}

#: Demo logins (email, name, role, region, consultant): all share DEMO_PASSWORD. Demo only.
DEMO_PASSWORD = "loket-demo-2026"  # noqa: S105 (documented demo login, never in production)
ACCOUNTS = (
    ("admin@loket.example", "Demo admin", "admin", None, None),
    (
        "coordinator@loket.example",
        "Monique (coordinator)",
        "coordinator",
        "noordoost-brabant",
        None,
    ),
    (
        "agnieszka@loket.example",
        "Agnieszka Nowak",
        "consultant",
        "noordoost-brabant",
        "Agnieszka Nowak",
    ),
    ("ioana@loket.example", "Ioana Popescu", "consultant", "noordoost-brabant", "Ioana Popescu"),
    ("mihaela@loket.example", "Mihaela Stan", "consultant", "west-brabant", "Mihaela Stan"),
)
