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

# (slug, region, name, kind, address, city, weekly hours [(weekdays, opens, closes)], description)
POINTS = (
    (
        "veghel",
        "noordoost-brabant",
        "BMIP Veghel (PIM Werkt)",
        "physical",
        "Kennedylaan 21",
        "Veghel",
        [(WORKDAYS, "09:00", "17:00"), ((1, 3), "17:00", "21:00"), ((5,), "10:00", "14:00")],
        {
            "nl": "Informatiepunt in Veghel. Ook op dinsdag- en donderdagavond en zaterdag open.",
            "en": "Information point in Veghel. Also open on Tuesday and Thursday evenings and on Saturday.",
            "pl": "Punkt informacyjny w Veghel. Otwarty także we wtorki i czwartki wieczorem oraz w soboty.",
            "ro": "Punct de informare în Veghel. Deschis și marți și joi seara, precum și sâmbăta.",
            "bg": "Информационен пункт във Фехел. Отворен и във вторник и четвъртък вечер, и в събота.",
            "uk": "Інформаційний пункт у Фегелі. Також працює у вівторок і четвер увечері та в суботу.",
        },
    ),
    (
        "den-bosch",
        "noordoost-brabant",
        "BMIP 's-Hertogenbosch",
        "physical",
        "Wolvenhoek 1",
        "'s-Hertogenbosch",
        [(WORKDAYS, "09:00", "17:00"), ((2,), "17:00", "20:00")],
        {
            "nl": "Informatiepunt in het centrum van 's-Hertogenbosch, woensdagavond open.",
            "en": "Information point in the centre of 's-Hertogenbosch, open on Wednesday evening.",
        },
    ),
    (
        "tilburg",
        "midden-brabant",
        "BMIP Tilburg",
        "physical",
        "Stadhuisplein 130",
        "Tilburg",
        [(WORKDAYS, "10:00", "18:00"), ((3,), "18:00", "20:00")],
        {"nl": "Informatiepunt in Tilburg.", "en": "Information point in Tilburg."},
    ),
    (
        "breda",
        "west-brabant",
        "BMIP Breda",
        "physical",
        "Claudius Prinsenlaan 10",
        "Breda",
        [(WORKDAYS, "09:00", "17:00"), ((5,), "10:00", "13:00")],
        {"nl": "Informatiepunt in Breda.", "en": "Information point in Breda."},
    ),
    (
        "eindhoven",
        "zuidoost-brabant",
        "BMIP Eindhoven",
        "physical",
        "Stationsplein 17",
        "Eindhoven",
        [(WORKDAYS, "09:00", "17:00"), ((0, 3), "17:00", "20:00")],
        {
            "nl": "Informatiepunt bij station Eindhoven.",
            "en": "Information point at Eindhoven station.",
        },
    ),
    (
        "helmond",
        "helmond-de-peel",
        "BMIP Helmond",
        "physical",
        "Markt 2",
        "Helmond",
        [((0, 2, 4), "09:00", "17:00")],
        {"nl": "Informatiepunt in Helmond.", "en": "Information point in Helmond."},
    ),
    (
        "bus",
        "noordoost-brabant",
        "Mobiel informatiepunt (bus)",
        "mobile",
        "",
        "Noordoost-Brabant",
        [],
        {
            "nl": "Onze bus staat bij werkgevers en woonlocaties. Kijk waar hij staat.",
            "en": "Our bus stops at employers and housing sites. See where it is.",
            "pl": "Nasz autobus staje przy pracodawcach i miejscach zakwaterowania. Sprawdź, gdzie jest.",
            "ro": "Autobuzul nostru oprește la angajatori și la locuințe. Vezi unde se află.",
            "bg": "Нашият автобус спира при работодатели и общежития. Вижте къде е.",
            "uk": "Наш автобус зупиняється біля роботодавців і житла. Перевірте, де він.",
        },
    ),
    (
        "telefoon",
        "noordoost-brabant",
        "Telefonisch spreekuur",
        "phone",
        "",
        "",
        [((0, 2), "18:00", "20:00")],
        {
            "nl": "Wij bellen u op het gekozen tijdstip.",
            "en": "We call you at the time you choose.",
            "pl": "Zadzwonimy do Ciebie o wybranej godzinie.",
            "ro": "Vă sunăm noi la ora aleasă.",
            "bg": "Ние ще ви се обадим в избрания час.",
            "uk": "Ми зателефонуємо вам у вибраний час.",
        },
    ),
)

# Mobile visits repeat weekly: (weekday, opens, closes, place, address)
BUS_VISITS = (
    (1, "10:00", "16:00", "Distributiecentrum De Amert", "De Amert 300, Veghel"),
    (3, "15:00", "20:00", "Woonlocatie Boekel", "Kerkstraat 40, Boekel"),
    (5, "10:00", "14:00", "Vleesverwerker Oss", "Vierwindenstraat 50, Oss"),
)

# (slug, minutes, names by language, one-line explanations by language)
TOPICS = (
    (
        "registration",
        45,
        {
            "nl": "Inschrijven bij de gemeente (BRP/RNI, BSN)",
            "en": "Registering with the municipality (BRP/RNI, BSN)",
            "pl": "Meldunek w gminie (BRP/RNI, BSN)",
            "ro": "Înregistrarea la primărie (BRP/RNI, BSN)",
            "bg": "Регистрация в общината (BRP/RNI, BSN)",
            "uk": "Реєстрація в муніципалітеті (BRP/RNI, BSN)",
        },
        {
            "nl": "Een adres laten registreren en een BSN krijgen.",
            "en": "Getting your address registered and a citizen service number.",
            "pl": "Zameldowanie adresu i numer BSN.",
            "ro": "Înregistrarea adresei și obținerea numărului BSN.",
            "bg": "Регистриране на адрес и получаване на номер BSN.",
            "uk": "Реєстрація адреси та отримання номера BSN.",
        },
    ),
    (
        "housing",
        30,
        {
            "nl": "Wonen",
            "en": "Housing",
            "pl": "Mieszkanie",
            "ro": "Locuință",
            "bg": "Жилище",
            "uk": "Житло",
        },
        {
            "nl": "Huur, uw kamer, problemen met de huisvester.",
            "en": "Rent, your room, problems with the landlord.",
            "pl": "Czynsz, pokój, problemy z wynajmującym.",
            "ro": "Chirie, camera ta, probleme cu proprietarul.",
            "bg": "Наем, стаята ви, проблеми с хазяина.",
            "uk": "Оренда, ваша кімната, проблеми з орендодавцем.",
        },
    ),
    (
        "wages",
        30,
        {
            "nl": "Loon",
            "en": "Wages",
            "pl": "Wynagrodzenie",
            "ro": "Salariu",
            "bg": "Заплата",
            "uk": "Зарплата",
        },
        {
            "nl": "Uw loonstrook, te weinig of te laat betaald.",
            "en": "Your payslip, paid too little or too late.",
            "pl": "Pasek wypłaty, za mało lub za późno wypłacone pieniądze.",
            "ro": "Fluturașul de salariu, plătit prea puțin sau prea târziu.",
            "bg": "Фиш за заплата, платено твърде малко или твърде късно.",
            "uk": "Розрахунковий лист, заплатили замало або запізно.",
        },
    ),
    (
        "working-conditions",
        30,
        {
            "nl": "Arbeidsomstandigheden",
            "en": "Working conditions",
            "pl": "Warunki pracy",
            "ro": "Condiții de muncă",
            "bg": "Условия на труд",
            "uk": "Умови праці",
        },
        {
            "nl": "Veiligheid, uw contract, ziek worden.",
            "en": "Safety, your contract, falling ill.",
            "pl": "Bezpieczeństwo, umowa, choroba.",
            "ro": "Siguranță, contractul tău, boală.",
            "bg": "Безопасност, договорът ви, болест.",
            "uk": "Безпека, ваш договір, хвороба.",
        },
    ),
    (
        "working-hours",
        30,
        {
            "nl": "Werktijden",
            "en": "Working hours",
            "pl": "Czas pracy",
            "ro": "Program de lucru",
            "bg": "Работно време",
            "uk": "Робочий час",
        },
        {
            "nl": "Te lange diensten, rusttijden, overuren.",
            "en": "Shifts that are too long, rest times, overtime.",
            "pl": "Zbyt długie zmiany, odpoczynek, nadgodziny.",
            "ro": "Ture prea lungi, pauze, ore suplimentare.",
            "bg": "Твърде дълги смени, почивки, извънреден труд.",
            "uk": "Задовгі зміни, відпочинок, понаднормова робота.",
        },
    ),
    (
        "report-abuse",
        45,
        {
            "nl": "Misstand melden",
            "en": "Reporting abuse",
            "pl": "Zgłoszenie nadużycia",
            "ro": "Raportarea unui abuz",
            "bg": "Сигнал за злоупотреба",
            "uk": "Повідомлення про зловживання",
        },
        {
            "nl": "Vertrouwelijk iets melden wat niet klopt.",
            "en": "Confidentially report something that is wrong.",
            "pl": "Poufnie zgłoś coś, co jest nie w porządku.",
            "ro": "Raportează confidențial ceva ce nu este în regulă.",
            "bg": "Поверително съобщете за нещо нередно.",
            "uk": "Конфіденційно повідомте про те, що не так.",
        },
    ),
    (
        "discrimination",
        30,
        {
            "nl": "Discriminatie",
            "en": "Discrimination",
            "pl": "Dyskryminacja",
            "ro": "Discriminare",
            "bg": "Дискриминация",
            "uk": "Дискримінація",
        },
        {
            "nl": "U wordt anders behandeld door wie u bent.",
            "en": "You are treated differently because of who you are.",
            "pl": "Jesteś traktowany inaczej z powodu tego, kim jesteś.",
            "ro": "Ești tratat diferit din cauza a ceea ce ești.",
            "bg": "Отнасят се с вас различно заради това кой сте.",
            "uk": "До вас ставляться інакше через те, хто ви є.",
        },
    ),
    (
        "intimidation",
        30,
        {
            "nl": "Intimidatie",
            "en": "Intimidation",
            "pl": "Zastraszanie",
            "ro": "Intimidare",
            "bg": "Сплашване",
            "uk": "Залякування",
        },
        {
            "nl": "Bedreigd of onder druk gezet op werk of thuis.",
            "en": "Threatened or pressured at work or at home.",
            "pl": "Groźby lub presja w pracy albo w domu.",
            "ro": "Amenințat sau pus sub presiune la muncă sau acasă.",
            "bg": "Заплахи или натиск на работа или вкъщи.",
            "uk": "Погрози або тиск на роботі чи вдома.",
        },
    ),
    (
        "health-insurance",
        30,
        {
            "nl": "Zorgverzekering",
            "en": "Health insurance",
            "pl": "Ubezpieczenie zdrowotne",
            "ro": "Asigurare de sănătate",
            "bg": "Здравна осигуровка",
            "uk": "Медичне страхування",
        },
        {
            "nl": "Verzekerd zijn, de huisarts, zorgtoeslag.",
            "en": "Being insured, the family doctor, healthcare allowance.",
            "pl": "Ubezpieczenie, lekarz rodzinny, dodatek na opiekę zdrowotną.",
            "ro": "Asigurarea, medicul de familie, alocația pentru îngrijire.",
            "bg": "Осигуровка, личен лекар, помощ за здравни разходи.",
            "uk": "Страховка, сімейний лікар, допомога на медичні витрати.",
        },
    ),
    (
        "taxes-benefits",
        30,
        {
            "nl": "Belasting en toeslagen",
            "en": "Taxes and benefits",
            "pl": "Podatki i dodatki",
            "ro": "Taxe și alocații",
            "bg": "Данъци и помощи",
            "uk": "Податки та допомоги",
        },
        {
            "nl": "Belastingaangifte, geld terugkrijgen, toeslagen.",
            "en": "Tax returns, getting money back, allowances.",
            "pl": "Zeznanie podatkowe, zwrot pieniędzy, dodatki.",
            "ro": "Declarația de impozit, returnări, alocații.",
            "bg": "Данъчна декларация, възстановяване на пари, помощи.",
            "uk": "Податкова декларація, повернення коштів, допомоги.",
        },
    ),
    (
        "childcare",
        30,
        {
            "nl": "Kinderopvang en school",
            "en": "Childcare and school",
            "pl": "Opieka nad dziećmi i szkoła",
            "ro": "Îngrijirea copiilor și școala",
            "bg": "Грижа за деца и училище",
            "uk": "Догляд за дітьми та школа",
        },
        {
            "nl": "Opvang, school en kinderbijslag.",
            "en": "Childcare, school and child benefit.",
            "pl": "Opieka, szkoła i zasiłek na dzieci.",
            "ro": "Creșă, școală și alocația pentru copii.",
            "bg": "Детска грижа, училище и детски надбавки.",
            "uk": "Догляд, школа та допомога на дітей.",
        },
    ),
    (
        "dutch-course",
        30,
        {
            "nl": "Nederlandse taalcursus",
            "en": "Dutch language course",
            "pl": "Kurs języka niderlandzkiego",
            "ro": "Curs de limba neerlandeză",
            "bg": "Курс по нидерландски език",
            "uk": "Курс нідерландської мови",
        },
        {
            "nl": "Een cursus vinden die past bij uw werktijden.",
            "en": "Finding a course that fits your working hours.",
            "pl": "Znalezienie kursu pasującego do godzin pracy.",
            "ro": "Găsirea unui curs potrivit cu programul de lucru.",
            "bg": "Намиране на курс според работното ви време.",
            "uk": "Пошук курсу, що підходить до робочого часу.",
        },
    ),
    (
        "work-cv",
        45,
        {
            "nl": "Werk zoeken en cv",
            "en": "Finding work and your CV",
            "pl": "Szukanie pracy i CV",
            "ro": "Căutarea unui loc de muncă și CV",
            "bg": "Търсене на работа и CV",
            "uk": "Пошук роботи та резюме",
        },
        {
            "nl": "Ander werk vinden, een cv maken.",
            "en": "Finding other work, writing a CV.",
            "pl": "Znalezienie innej pracy, napisanie CV.",
            "ro": "Găsirea altui loc de muncă, scrierea unui CV.",
            "bg": "Намиране на друга работа, писане на CV.",
            "uk": "Пошук іншої роботи, складання резюме.",
        },
    ),
    (
        "referral",
        30,
        {
            "nl": "Doorverwijzing naar een andere organisatie",
            "en": "Referral to another organisation",
            "pl": "Skierowanie do innej organizacji",
            "ro": "Îndrumare către altă organizație",
            "bg": "Насочване към друга организация",
            "uk": "Направлення до іншої організації",
        },
        {
            "nl": "Wij regelen een afspraak bij de juiste instantie, met tolk.",
            "en": "We arrange an appointment with the right agency, with an interpreter.",
            "pl": "Umówimy wizytę w odpowiedniej instytucji, z tłumaczem.",
            "ro": "Programăm o întâlnire la instituția potrivită, cu interpret.",
            "bg": "Уговаряме среща в правилната институция, с преводач.",
            "uk": "Ми домовимося про зустріч у потрібній установі, з перекладачем.",
        },
    ),
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
