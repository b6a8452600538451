"""Writes the wire's labelled sets (our own generated text), deterministic per seed:

    bench/data/wire_citations.jsonl  passages with the outlets they cite as reporting
    bench/data/wire_aliases.jsonl    groups of names of one outlet, look-alike outlets beside them
    bench/data/wire_people.jsonl     passages with the people they name (and capitalised look-alikes
                                     that are not people), and groups of spellings of one person

Each row has "split": "dev" or "holdout". The holdout uses outlets, people and events the dev
part never uses, and some phrasings only it has, so its figures say how the finder does on
wording it was not written against.

    .venv/bin/python bench/wire_labels.py
"""

import json
import random
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# (name, aliases it is also cited as)
OUTLETS_DEV = [
    ("Haaretz", []),
    ("The New York Times", ["NYT"]),
    ("Asharq Al-Awsat", []),
    ("The Times", []),
    ("Reuters", []),
    ("The Guardian", []),
    ("Le Monde", []),
    ("Al Jazeera", []),
    ("Sozcu", []),
    ("Sozcu Sport", []),
    ("The Washington Post", []),
    ("Kommersant", []),
    ("The Jerusalem Post", []),
    ("Hurriyet", []),
    ("Der Spiegel", []),
    ("Associated Press", ["AP"]),
    ("Agence France-Presse", ["AFP"]),
    ("Financial Times", ["FT"]),
    ("The Harbourton Herald", []),
    ("Valley Courier", []),
]
OUTLETS_HOLDOUT = [
    ("Yedioth Ahronoth", []),
    ("The Wall Street Journal", ["WSJ"]),
    ("Al-Monitor", []),
    ("The Post", []),
    ("Bloomberg", []),
    ("The Independent", []),
    ("El Pais", []),
    ("Anadolu Agency", []),
    ("Cumhuriyet", []),
    ("Cumhuriyet Hafta", []),
    ("The Sunday Times", []),
    ("Meduza", []),
    ("The Times of Israel", []),
    ("Sabah", []),
    ("Die Zeit", []),
    ("Kyiv Independent", []),
    ("Tasnim", []),
    ("Axios", []),
    ("The Coastline Tribune", []),
    ("Northgate Gazette", []),
]
PEOPLE_DEV = [
    "the foreign minister",
    "a senior official",
    "the mayor",
    "a police spokesman",
    "the prime minister's aide",
    "two diplomats",
    "the central bank governor",
    "a ministry source",
]
PEOPLE_HOLDOUT = [
    "the defence minister",
    "an army officer",
    "the opposition leader",
    "a court official",
    "the health minister",
    "three aid workers",
]
EVENTS_DEV = [
    "the talks had stalled",
    "the ceasefire was holding",
    "the budget would be cut by a tenth",
    "the border crossing had reopened",
    "the harbour project was delayed",
    "prices rose for a third month",
    "the election would go ahead in spring",
    "the convoy had reached the city",
]
EVENTS_HOLDOUT = [
    "the dam inspection had been cancelled",
    "the new cabinet would be sworn in on Friday",
    "the airport strike was over",
    "the grain deal had been extended",
    "the reactor was shut down",
    "the envoy had left the capital",
]
CITIES = ["London", "Istanbul", "Paris", "Dubai", "New York", "Tel Aviv", "Doha"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

POSITIVE_DEV = [
    "{O} reported that {E}.",
    "According to {O}, {E}.",
    "{P} told {O} that {E}.",
    "Speaking to {O}, {P} said {E}.",
    "The {C}-based {O} said in a report that {E}.",
    "{O} wrote on {D} that {E}.",
    "In an interview with {O}, {P} said {E}.",
    "{E}, {O} reported.",
    "{E}, according to a report in {O}.",
    "{O}'s investigation found that {E}.",
    "Citing officials, {O} reported that {E}.",
    "{O} revealed on {D} that {E}.",
]
POSITIVE_HOLDOUT = [
    "{O} reported on {D} that {E}.",
    "{E}, {P} told {O}.",
    "According to a report by {O}, {E}.",
    "{O} has learned that {E}.",
    "The {C}-based daily {O} said {E}.",
    "{E}, as first reported by {O}.",
    "Talking to {O}, {P} confirmed that {E}.",
    "{O} said in an editorial that {E}.",
    # Phrasings the finder was not written for: they measure what recall misses.
    "{P} said in comments to {O} that {E}.",
    "In a story published on {D}, {O} said {E}.",
    "{O} quoted {P} as saying {E}.",
]
NEGATIVE = [
    "A {B} journalist was injured while covering the protest.",
    "{P} works for {O} as an editor.",
    "{O} is owned by a family trust.",
    "{P} criticised {O} for its coverage.",
    "The {B} building was evacuated on {D}.",
    "According to {P}, {E}.",
    "{P} told reporters that {E}.",
    "Readers of {O} were asked to renew their subscriptions.",
    "{O} denied the claims in a statement.",
    "Crowds gathered in Times Square on {D}.",
    "The {B} Foundation reported record donations.",
    "{P} said {E}.",
]
# Names the finder must not read as the outlet beside them (they contain an outlet's name).
TRICKY = [
    ("The Financial Times reported that {E}.", ["Financial Times"]),
    ("The New York Times Magazine reported that {E}.", []),
    ("Sozcu Sport wrote that {E}.", ["Sozcu Sport"]),
    ("The Sunday Times reported that {E}.", ["The Sunday Times"]),
    ("Times of India reported that {E}.", []),
]


def passages(rng, outlets, people, events, positives, split, count_pos, count_neg):
    names = [n for n, _ in outlets] + [a for _, aliases in outlets for a in aliases]
    canonical = {n: n for n, _ in outlets} | {a: n for n, aliases in outlets for a in aliases}
    rows = []
    for _ in range(count_pos):
        template = rng.choice(positives)
        outlet = rng.choice(names)
        text = template.format(
            O=outlet, P=rng.choice(people), E=rng.choice(events), C=rng.choice(CITIES), D=rng.choice(DAYS)
        )
        cited = [canonical[outlet]]
        if rng.random() < 0.3:  # a second sentence that cites nothing, or a second outlet
            extra = rng.choice(NEGATIVE)
            other = rng.choice(names)
            text += " " + extra.format(
                O=other,
                B=other.removeprefix("The "),
                P=rng.choice(people).capitalize(),
                E=rng.choice(events),
                D=rng.choice(DAYS),
            )
        rows.append({"split": split, "text": text[0].upper() + text[1:], "cited": sorted(set(cited))})
    for _ in range(count_neg):
        template = rng.choice(NEGATIVE)
        outlet = rng.choice(names)
        text = template.format(
            O=outlet,
            B=outlet.removeprefix("The "),
            P=rng.choice(people),
            E=rng.choice(events),
            D=rng.choice(DAYS),
        )
        rows.append({"split": split, "text": text[0].upper() + text[1:], "cited": []})
    return rows


def citation_rows(seed=15):
    rng = random.Random(seed)
    rows = passages(rng, OUTLETS_DEV, PEOPLE_DEV, EVENTS_DEV, POSITIVE_DEV, "dev", 240, 120)
    rows += passages(
        rng, OUTLETS_HOLDOUT, PEOPLE_HOLDOUT, EVENTS_HOLDOUT, POSITIVE_HOLDOUT, "holdout", 220, 110
    )
    for template, cited in TRICKY:
        for event in EVENTS_HOLDOUT[:4]:
            rows.append({"split": "holdout", "text": template.format(E=event), "cited": cited})
    return rows


def outlets_for_labels():
    """Every outlet name the citation set knows (with aliases), as the finder's table."""
    table = []
    for name, aliases in OUTLETS_DEV + OUTLETS_HOLDOUT:
        table.append({"name": name, "aliases": aliases})
    for name in ("The Sunday Times", "Financial Times"):
        if not any(t["name"] == name for t in table):
            table.append({"name": name, "aliases": []})
    return table


PLACES = [
    "Harbourton",
    "Millbrook",
    "Eastmoor",
    "Kingsford",
    "Westfield",
    "Ashby",
    "Redcliff",
    "Stonebridge",
    "Marlow",
    "Fairhaven",
    "Northgate",
    "Lakeside",
    "Brightwater",
    "Oakham",
    "Riverton",
    "Glenmore",
    "Hollowell",
    "Sandown",
    "Cresthill",
    "Blackwood",
    "Ferncastle",
    "Dunmore",
    "Highpoint",
    "Elmstead",
    "Carrow",
    "Thornbury",
    "Wrexley",
    "Pinehurst",
    "Coldharbour",
    "Marchfield",
]
PAPERS = [
    "Times",
    "Post",
    "Herald",
    "Tribune",
    "Chronicle",
    "Gazette",
    "Courier",
    "Observer",
    "Journal",
    "Daily News",
    "Star",
    "Mirror",
    "Express",
    "Independent",
    "Telegraph",
    "Record",
]
ENDINGS = [".com", ".co.uk", ".news", ".org"]


def alias_rows(seed=15):
    """Groups of names of one outlet; look-alikes are groups of their own (a different outlet)."""
    rng = random.Random(seed)
    groups, used = [], set()
    while len([g for g in groups if "look_alike_of" not in g]) < 110:
        place, paper = rng.choice(PLACES), rng.choice(PAPERS)
        full = f"The {place} {paper}"
        if full in used:
            continue
        used.add(full)
        words = [place, *paper.split()]
        names = [full, f"{place} {paper}", full.upper() if rng.random() < 0.3 else full.lower()]
        domain = "".join(w.lower() for w in words) + rng.choice(ENDINGS)
        names.append(domain)
        if len(words) >= 3 or rng.random() < 0.5:
            names.append("".join(w[0] for w in words).upper())  # an acronym ("THT" is not used: no "The")
        if rng.random() < 0.4:
            names.append(f"https://www.{domain}/")
        family = len([g for g in groups if "look_alike_of" not in g])
        split = "holdout" if family % 3 == 2 else "dev"
        groups.append({"names": list(dict.fromkeys(names)), "split": split})
        # A look-alike: a different outlet whose name shares most of this one's.
        kind = rng.random()
        if kind < 0.3:
            other = f"The {place} Sunday {paper}"
        elif kind < 0.5:
            other = f"{place} {paper} Sport"
        elif kind < 0.7:
            other = f"The {paper}"
        elif kind < 0.85:
            other = f"The {rng.choice([p for p in PLACES if p[0] == place[0] and p != place] or ['Greater ' + place])} {paper}"
        else:
            other = f"The {place} {rng.choice([p for p in PAPERS if p != paper])}"
        if other not in used:
            used.add(other)
            groups.append(
                {
                    "names": [other, other.removeprefix("The ")] if other.startswith("The ") else [other],
                    "look_alike_of": full,
                    "split": split,
                }
            )
    return groups


# --- people: names found by the machine (wire/discovery.py) --------------------------------------

# Given names and family names by tradition, as newspapers in English write them. The holdout
# uses the second half of each list, so its people are never the dev part's.
GIVEN = {
    "turkish": ["Leyla", "Mehmet", "Ayşe", "Emre", "Zeynep", "Burak", "Elif", "Oğuz", "Selin", "Kemal", "Deniz", "Hakan"],
    "arabic": ["Nadia", "Omar", "Khalid", "Layla", "Yusuf", "Rania", "Tariq", "Huda", "Samir", "Amira", "Faisal", "Mona"],
    "persian": ["Esmail", "Parisa", "Reza", "Shirin", "Hamid", "Nasrin", "Dariush", "Mahnaz", "Kaveh", "Leila", "Babak", "Azadeh"],
    "english": ["Sarah", "Thomas", "Helen", "David", "Grace", "Martin", "Claire", "Peter", "Alice", "Robert", "Megan", "Simon"],
    "russian": ["Dmitri", "Olga", "Sergei", "Irina", "Yevgeny", "Tatiana", "Nikolai", "Anna", "Pavel", "Svetlana", "Igor", "Vera"],
}
FAMILY = {
    "turkish": ["Arslan", "Yılmaz", "Demir", "Kaya", "Şahin", "Çelik", "Öztürk", "Aydın", "Doğan", "Kurt", "Polat", "Erdem"],
    "arabic": ["Haddad", "al-Rashid", "Nasser", "el-Masri", "Khoury", "Saleh", "al-Amin", "Mansour", "Hamdan", "Qassem", "Barakat", "al-Tamimi"],
    "persian": ["Rahimi", "Karimi", "Tehrani", "Moradi", "Jafari", "Hosseini", "Ahmadi", "Sadeghi", "Qaani", "Rezaei", "Shirazi", "Farahani"],
    "english": ["Connolly", "Whitaker", "Brandt", "Fairley", "Holloway", "Pennington", "Marsh", "Aldridge", "Crane", "Dunmore", "Everett", "Lowe"],
    "russian": ["Volkov", "Ivanova", "Petrov", "Sokolova", "Morozov", "Lebedeva", "Kuznetsov", "Orlova", "Zaitsev", "Belova", "Sorokin", "Fedorova"],
}
# The same person as other outlets spell them (transliteration, diacritics, al-/el-, Cyrillic).
SPELLINGS = {
    "Ayşe": ["Ayse"], "Oğuz": ["Oguz"], "Yılmaz": ["Yilmaz"], "Şahin": ["Sahin"], "Çelik": ["Celik"],
    "Öztürk": ["Ozturk", "Oeztuerk"], "Aydın": ["Aydin"], "Doğan": ["Dogan"], "Esmail": ["Ismail", "İsmail"],
    "Qaani": ["Kaani", "Ghaani"], "Qassem": ["Qasem", "Kassem"], "al-Rashid": ["el-Rashid", "Al Rashid"],
    "el-Masri": ["al-Masri"], "al-Amin": ["el-Amin"], "al-Tamimi": ["el-Tamimi", "Al-Tamimi"],
    "Hosseini": ["Husseini", "Hoseini"], "Yevgeny": ["Evgeny", "Evgeni", "Евгений"], "Sergei": ["Sergey", "Сергей"],
    "Dmitri": ["Dmitry", "Dmitriy", "Дмитрий"], "Volkov": ["Волков"], "Petrov": ["Петров"], "Morozov": ["Морозов"],
    "Nikolai": ["Nikolay", "Николай"], "Tatiana": ["Tatyana", "Татьяна"], "Rezaei": ["Rezaee", "Rezai"],
    "Mohammed": ["Muhammad", "Mohamed"], "Yusuf": ["Youssef", "Yousef"], "Tariq": ["Tarek", "Tarik"],
    "Khalid": ["Khaled"], "Faisal": ["Faysal"], "Samir": ["Sameer"], "Jafari": ["Jaafari"], "Reza": ["Riza"],
}
TITLES = ["President", "Foreign Minister", "Prime Minister", "Defence Minister", "Mayor", "Gen.", "Dr.",
          "Senator", "Governor", "Sheikh", "Ambassador", "Finance Minister", "Judge", "Colonel"]
ROLES = ["the foreign minister", "a spokesman for the council", "the port's director", "a senior cleric",
         "the opposition leader", "an economist at the bank", "the city's mayor", "a lawyer for the family",
         "the head of the union", "the coach", "a historian", "the chief negotiator"]
# Capitalised words beside the same cues that are not people (and must never be suggested).
NOT_PEOPLE = {
    "dev": ["The United Nations", "The Foreign Ministry", "Harbour Council", "The Red Crescent", "Saudi Arabia",
            "The White House", "Valley Courier", "The Kingsford Herald", "South Harbour Police", "The Central Bank",
            "Eastmoor University", "The Supreme Court", "The Security Council", "Millbrook Town Hall"],
    "holdout": ["The World Bank", "The Interior Ministry", "Redcliff District Council", "The Port Authority",
                "North Korea", "The Kremlin Press Office", "Ashby Gazette", "The Marlow Tribune",
                "Westfield General Hospital", "The National Assembly", "Fairhaven Football Club", "The Coast Guard",
                "The European Commission", "Stonebridge Rail Union"],
}
EVENTS = ["the ferry talks", "the harbour budget", "the bridge repairs", "the grain convoy", "the dam inspection",
          "the border crossing", "the election count", "the storm damage", "the rail strike", "the reactor checks"]
DAYS = ["on Monday", "on Tuesday", "late on Wednesday", "on Thursday", "on Friday", "at the weekend", "in March", "last October"]


def _spell(rng, name):
    """Another outlet's spelling of `name` (each word may have one), or the name itself."""
    words = []
    for word in name.split():
        words.append(rng.choice(SPELLINGS[word]) if word in SPELLINGS and rng.random() < 0.7 else word)
    return " ".join(words)


def _people_pool(split):
    half = slice(0, 6) if split == "dev" else slice(6, 12)
    return [(g, f) for t in GIVEN for g in GIVEN[t][half] for f in FAMILY[t][half]]


PEOPLE_TEMPLATES = {
    # Each: (text with {p} for the person and {x} for a look-alike that is not one, whether the
    # person has a cue beside them). Sentences without a cue are labelled too: the recall is honest.
    "dev": [
        ("{title} {p} said {day} that {event} would go ahead.", True),
        ("{p}, {role}, told reporters that {event} had stalled.", True),
        ("“We will not wait,” {p} said {day}.", True),
        ("According to {p}, {event} cost more than planned.", True),
        ("{x} said {day} that {event} was delayed, and {title} {p} warned of more.", True),
        ("{p} told the Valley Courier that {event} was over.", True),
        ("Crowds gathered outside the home of {p} {day}.", False),
        ("A portrait of {p} hung in the hall where {event} was discussed.", False),
        ("{x} confirmed {day} that {event} had begun.", None),
        ("In {month}, {x} said {event} had been postponed.", None),
        ("“It is over,” said {p}, who led {event}.", True),
        ("{family} Brothers said {day} that {event} would cost them dearly.", None),
        ("Port Said told ships to wait while {event} went on.", None),
        ("{p} and {p2} said {day} that {event} was settled.", True),
    ],
    "holdout": [
        ("Speaking {day}, {title} {p} insisted that {event} was safe.", True),
        ("{event_cap} was praised by {p}, {role}.", True),
        ("“Nothing has changed,” added {p}, {role}.", True),
        ("Asked about {event}, {p} replied that it was too early to say.", True),
        ("{x} announced {day} that {event} would resume, and {p} said so too.", True),
        ("Officials quoted {p} as saying {event} would end soon.", True),
        ("The funeral of {p} drew thousands {day}.", False),
        ("Letters from {p} were read aloud during {event}.", False),
        ("{x} warned {day} that {event} could fail.", None),
        ("On {weekday} Morning {x} said {event} would be reviewed.", None),
        ("“We are ready,” says {p}, whose office oversees {event}.", True),
        ("{family} Logistics told customers {day} that {event} had slowed deliveries.", None),
        ("Kingsford Rovers said {day} that {event} would not affect the match.", None),
        ("{title} {p} met {p2} {day} to discuss {event}.", True),
    ],
}


def people_rows(seed=21):
    """Passages naming people (with or without a cue) and look-alikes that are not people, and
    groups of spellings of one person beside look-alike names of others."""
    rng = random.Random(seed)
    rows = []
    for split in ("dev", "holdout"):
        pool = _people_pool(split)
        rng.shuffle(pool)
        templates = PEOPLE_TEMPLATES[split]
        for n in range(150):
            given, family = pool[n % len(pool)]
            person = _spell(rng, f"{given} {family}") if rng.random() < 0.3 else f"{given} {family}"
            second = " ".join(pool[(n * 7 + 3) % len(pool)])
            template, cue = templates[n % len(templates)]
            event = rng.choice(EVENTS)
            text = template.format(
                p=person,
                p2=second,
                family=family.split("-")[-1].capitalize(),
                x=rng.choice(NOT_PEOPLE[split]),
                title=rng.choice(TITLES),
                role=rng.choice(ROLES),
                day=rng.choice(DAYS),
                event=event,
                event_cap=event[0].upper() + event[1:],
                month=rng.choice(["March", "June", "October", "December"]),
                weekday=rng.choice(["Monday", "Friday", "Sunday"]),
            )
            text = text[0].upper() + text[1:]
            people = [name for name in (person, second) if "{p}" in template and (name == person or "{p2}" in template)]
            rows.append({"text": text, "people": people, "cued": bool(cue), "split": split})
    # Spellings: the same person as several outlets write them; look-alikes are other people.
    groups = []
    for split in ("dev", "holdout"):
        pool = [(g, f) for g, f in _people_pool(split) if g in SPELLINGS or f in SPELLINGS]
        rng.shuffle(pool)
        chosen = pool[:40]
        taken = {f"{g} {f}" for g, f in chosen}
        for given, family in chosen:
            name = f"{given} {family}"
            spellings = list(dict.fromkeys([name, *(_spell(rng, name) for _ in range(4))]))
            groups.append({"spellings": spellings, "split": split})
            # A look-alike: someone else of the same family (never one of the people above).
            others = [g for t in GIVEN for g in GIVEN[t] if f"{g} {family}" not in taken]
            other = f"{rng.choice(others)} {family}"
            taken.add(other)
            groups.append({"spellings": [other], "look_alike_of": name, "split": split})
    return rows, groups


def main():
    DATA.mkdir(exist_ok=True)
    with open(DATA / "wire_citations.jsonl", "w") as out:
        out.write(json.dumps({"outlets": outlets_for_labels()}) + "\n")
        for row in citation_rows():
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(DATA / "wire_aliases.jsonl", "w") as out:
        for row in alias_rows():
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    passages, spellings = people_rows()
    with open(DATA / "wire_people.jsonl", "w") as out:
        for row in passages:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        for row in spellings:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {DATA / 'wire_citations.jsonl'}, {DATA / 'wire_aliases.jsonl'} and {DATA / 'wire_people.jsonl'}")


if __name__ == "__main__":
    main()
