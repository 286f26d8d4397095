"""Realistic, deterministic fake people and companies of the markets we serve (HU, AT, RO, SK).

Shared by the demo-data command and the benchmark data generator.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

NAMES = {
    "HU": (
        ("Anna", "Eszter", "Katalin", "Zsófia", "Réka", "Dóra", "Bence", "Máté", "Gergő", "László", "Péter",
         "Zoltán", "Ádám", "Levente", "Krisztina", "Tamás"),
        ("Kovács", "Szabó", "Tóth", "Nagy", "Horváth", "Varga", "Kiss", "Molnár", "Németh", "Farkas", "Balogh",
         "Papp", "Takács", "Juhász", "Lakatos", "Mészáros"),
        ("Budapest", "Debrecen", "Szeged", "Pécs", "Győr", "Miskolc"),
        ("Kft.", "Zrt.", "Bt."), "36", ("20", "30", "70"), 7,
    ),
    "AT": (
        ("Lukas", "Tobias", "Jakob", "Elias", "Anna", "Lena", "Sophie", "Hannah", "Florian", "Katharina",
         "Maximilian", "Julia", "Stefan", "Theresa"),
        ("Gruber", "Huber", "Bauer", "Wagner", "Müller", "Pichler", "Steiner", "Moser", "Mayer", "Hofer",
         "Leitner", "Berger", "Fuchs", "Eder"),
        ("Wien", "Graz", "Linz", "Salzburg", "Innsbruck", "Klagenfurt"),
        ("GmbH", "KG", "OG"), "43", ("664", "676", "699"), 7,
    ),
    "RO": (
        ("Andrei", "Ioana", "Maria", "Alexandru", "Elena", "Mihai", "Gabriel", "Ana", "Cristina", "Ștefan",
         "Daniela", "Bogdan"),
        ("Popescu", "Ionescu", "Popa", "Radu", "Dumitru", "Stan", "Stoica", "Gheorghe", "Matei", "Ciobanu",
         "Rusu", "Munteanu"),
        ("Cluj-Napoca", "Timișoara", "Iași", "Brașov", "Oradea", "București"),
        ("SRL", "SA"), "40", ("721", "745", "766"), 6,
    ),
    "SK": (
        ("Ján", "Peter", "Martin", "Lucia", "Zuzana", "Katarína", "Michal", "Tomáš", "Jana", "Mária",
         "Juraj", "Veronika"),
        ("Horváth", "Kováč", "Varga", "Tóth", "Nagy", "Baláž", "Szabó", "Molnár", "Lukáč", "Kollár",
         "Novák", "Hudák"),
        ("Bratislava", "Košice", "Žilina", "Nitra", "Trnava", "Komárno"),
        ("s.r.o.", "a.s."), "421", ("903", "905", "915"), 6,
    ),
}
COUNTRY_WEIGHTS = (("HU", 55), ("AT", 20), ("RO", 15), ("SK", 10))
COMPANY_WORDS = ("Alfa", "Duna", "Tisza", "Kárpát", "Alpen", "Nova", "Pannon", "Delta", "Mátra", "Bükk",
                 "Vértes", "Lajta", "Orion", "Szent György", "Balaton", "Fenyő", "Tölgy", "Vega")
COMPANY_KINDS = ("Informatika", "Logisztika", "Építő", "Kereskedelmi", "Tanácsadó", "Handels", "Bau",
                 "Consulting", "Software", "Agro", "Med", "Solar")


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    email: str
    phone: str
    country: str
    city: str


@dataclass(frozen=True)
class Firm:
    name: str
    city: str
    country: str


def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch in ".-")


def pick_country(rng: random.Random) -> str:
    return rng.choices([c for c, _ in COUNTRY_WEIGHTS], weights=[w for _, w in COUNTRY_WEIGHTS])[0]


def person(rng: random.Random, serial: int, domain: str = "example.com") -> Person:
    country = pick_country(rng)
    firsts, lasts, cities, _forms, calling, prefixes, digits = NAMES[country]
    first, last = rng.choice(firsts), rng.choice(lasts)
    local = f"{ascii_slug(first)}.{ascii_slug(last)}{serial}"
    phone = f"+{calling}{rng.choice(prefixes)}{rng.randrange(10 ** (digits - 1), 10 ** digits)}"
    return Person(first, last, f"{local}@{domain}", phone, country, rng.choice(cities))


def firm(rng: random.Random) -> Firm:
    country = pick_country(rng)
    _f, _l, cities, forms, _c, _p, _d = NAMES[country]
    name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)} {rng.choice(forms)}"
    return Firm(name, rng.choice(cities), country)
