"""Writes the wire's labelled sets (our own generated text), deterministic per seed:

    bench/data/wire_citations.jsonl  passages with the outlets they cite as reporting
    bench/data/wire_aliases.jsonl    groups of names of one outlet, look-alike outlets beside them

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


def main():
    DATA.mkdir(exist_ok=True)
    with open(DATA / "wire_citations.jsonl", "w") as out:
        out.write(json.dumps({"outlets": outlets_for_labels()}) + "\n")
        for row in citation_rows():
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(DATA / "wire_aliases.jsonl", "w") as out:
        for row in alias_rows():
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {DATA / 'wire_citations.jsonl'} and {DATA / 'wire_aliases.jsonl'}")


if __name__ == "__main__":
    main()
