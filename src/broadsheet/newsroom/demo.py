"""Synthetic demo content: original invented stories, deterministic for a given seed.

Every word here is generated from small vocabularies written for Broadsheet; no real articles.
"""

import datetime
import io
import multiprocessing
import random
import re
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.utils.text import slugify
from PIL import Image, ImageDraw

from .text import render_markdown

SECTIONS = [
    ("World", "Reporting from every continent."),
    ("Politics", "Parliaments, campaigns and the people who run them."),
    ("Business", "Companies, markets and the economy."),
    ("Technology", "Software, hardware and the networks between them."),
    ("Science", "Discoveries, research and the people behind them."),
    ("Health", "Medicine, care and public health."),
    ("Sport", "Results, transfers and the stories behind the scores."),
    ("Culture", "Books, film, music, art and ideas."),
]

_OUTLET_FIRST = [
    "Harbor",
    "Northgate",
    "Meridian",
    "Lantern",
    "Granite",
    "Riverside",
    "Copper",
    "Summit",
    "Juniper",
    "Beacon",
    "Tidewater",
    "Prairie",
    "Cobalt",
    "Highland",
    "Saltmarsh",
    "Ironbridge",
    "Willow",
    "Eastfield",
    "Larkspur",
    "Basalt",
]
_OUTLET_SECOND = [
    "Ledger",
    "Post",
    "Wire",
    "Courier",
    "Herald",
    "Dispatch",
    "Chronicle",
    "Gazette",
    "Observer",
    "Bulletin",
]
COUNTRIES = [
    "Norland",
    "Estavia",
    "Quessa",
    "Marudia",
    "Tirol Vale",
    "Oskaria",
    "Belmora",
    "Kestria",
    "Valdoria",
    "Sundrel",
    "Carpathe",
    "Ilyria",
]
CITIES = [
    "Port Amsel",
    "Veldhaven",
    "Qarim",
    "São Tavio",
    "Lodrecht",
    "Nyberg",
    "Calvora",
    "Drummond Falls",
    "Ostrava Nova",
    "Kelmarsh",
    "Aurelio",
    "Penhallow",
    "Zürvik",
    "Marrowgate",
    "Tessaloun",
    "Brindle Bay",
]
_GIVEN = [
    "Amara",
    "Tomas",
    "Ines",
    "Yusuf",
    "Lena",
    "Dmitri",
    "Sofia",
    "Kwame",
    "Mei",
    "Rafael",
    "Ingrid",
    "Omar",
    "Priya",
    "Jonah",
    "Elif",
    "Mateo",
    "Hana",
    "Ruben",
    "Zara",
    "Ansel",
    "Noor",
    "Felix",
    "Keiko",
    "Bruno",
]
_FAMILY = [
    "Okafor",
    "Lindqvist",
    "Haddad",
    "Moreau",
    "Castellanos",
    "Novak",
    "Achterberg",
    "Tanaka",
    "Osei",
    "Kowalczyk",
    "Ferreira",
    "Baptiste",
    "Eriksen",
    "Rahimi",
    "Delacroix",
    "Mbeki",
    "Varga",
    "Holm",
    "Quintero",
    "Sato",
    "Brennan",
    "Adeyemi",
    "Petrov",
    "Lachance",
]
ORGS = [
    "Halden Motors",
    "Crestline Energy",
    "Brightwater Foods",
    "Solvane Pharma",
    "Northwind Airways",
    "Kettering Mining",
    "Arclight Systems",
    "Pelham Bank",
    "Greyfield Telecom",
    "Oriel Shipping",
    "Valeport Steel",
    "Lumen Robotics",
]
CLUBS = [
    "Port Amsel Rovers",
    "Veldhaven United",
    "Calvora Athletic",
    "Nyberg City",
    "Kelmarsh Wanderers",
    "Brindle Bay Harriers",
    "Aurelio FC",
    "Lodrecht Lions",
]

TOPICS = {
    "World": [
        "border talks",
        "flood relief",
        "refugee crossings",
        "a ceasefire",
        "drought response",
        "a port blockade",
    ],
    "Politics": [
        "an election reform bill",
        "a coalition crisis",
        "a budget vote",
        "a corruption inquiry",
        "a referendum",
        "a cabinet reshuffle",
    ],
    "Business": [
        "quarterly earnings",
        "a merger",
        "a factory closure",
        "interest rates",
        "a product recall",
        "a labour dispute",
    ],
    "Technology": [
        "a data breach",
        "a chip shortage",
        "a satellite launch",
        "an app ban",
        "an outage",
        "a new battery plant",
    ],
    "Science": [
        "a fossil discovery",
        "a telescope survey",
        "coral bleaching",
        "a vaccine trial",
        "a glacier study",
        "a comet flyby",
    ],
    "Health": [
        "a measles outbreak",
        "hospital waiting lists",
        "a nurses' strike",
        "a new cancer screening",
        "air pollution",
        "a drug shortage",
    ],
    "Sport": [
        "a cup final",
        "a transfer saga",
        "a doping ban",
        "a marathon record",
        "a stadium vote",
        "a coaching change",
    ],
    "Culture": [
        "a museum reopening",
        "a literary prize",
        "a film festival",
        "a disputed statue",
        "an orchestra tour",
        "a gallery theft",
    ],
}
TAG_WORDS = [
    "elections",
    "climate",
    "energy",
    "trade",
    "transport",
    "housing",
    "courts",
    "education",
    "football",
    "research",
    "startups",
    "banking",
    "diplomacy",
    "weather",
    "labour",
    "privacy",
    "space",
    "music",
    "film",
    "books",
    "agriculture",
    "migration",
    "healthcare",
    "cycling",
    "tennis",
    "oceans",
]

HEADLINES = [
    "{place} braces for {topic} as {person} steps in",
    "{org} and {topic}: what we know so far",
    "{person} warns of {topic} in {place}",
    "Inside {place}'s week of {topic}",
    "{topic_cap} leaves {place} divided",
    "How {topic} reshaped {place} in {number} days",
    "{person} defends handling of {topic}",
    "{org} under pressure after {topic}",
    "Questions mount over {topic} in {country}",
    "{number} things to know about {topic} in {place}",
]
OPENINGS = [
    "Officials in {place} confirmed on {weekday} that {topic} had moved to the top of the agenda, with {person} promising a full statement within {number} hours.",
    "The first signs of {topic} appeared in {place} early on {weekday}, and by the afternoon {person} had called an emergency meeting.",
    "{person} spent most of {weekday} in {place}, where {topic} has dominated conversation for a fortnight.",
    "For residents of {place}, {topic} is no longer an abstract debate: {number} households say they have already felt its effects.",
]
MIDDLES = [
    "According to figures shared with reporters, about {number} people in {country} are directly affected, and local groups expect that number to rise.",
    '{person2}, who has followed the issue for years, said the response so far had been "slower than anyone hoped, but not hopeless".',
    "{org} said in a short written statement that it was reviewing its options and would cooperate with any inquiry.",
    "Critics point out that a similar plan was shelved {number} months ago after a dispute over who would pay for it.",
    "The numbers tell only part of the story. Shop owners along the main road in {place} describe quieter streets and longer evenings.",
    "A spokesperson for the regional government in {country} declined to comment on the timetable, citing continuing talks.",
    "Analysts at a university in {place2} estimate the cost at {number} million, a figure the ministry disputes.",
    "Supporters of the measure argue that waiting any longer would only make {topic} harder to manage.",
]
CLOSINGS = [
    "A further update is expected on {weekday}, when {person} is due to meet representatives from {place2}.",
    "For now, many in {place} say they will believe the promises when they see them.",
    "The debate is likely to return to parliament in {country} before the end of the month.",
    '{person2} said the coming weeks would show whether the plan was "a turning point or a footnote".',
]
SUBHEADS = ["What happens next", "The background", "Reaction", "The numbers", "Why it matters"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def outlet_names(count=40):
    names = [
        f"The {a} {b}" if i % 3 == 0 else f"{a} {b}"
        for i, (a, b) in enumerate((a, b) for b in _OUTLET_SECOND for a in _OUTLET_FIRST)
    ]
    return names[:count]


def person_name(rng):
    return f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"


@dataclass
class DemoStory:
    headline: str
    summary: str
    body: str
    section: str
    tags: list = field(default_factory=list)
    republished: bool = False
    image_index: int | None = None
    caption: str = ""
    credit: str = ""
    # The body as safe HTML when every block is plain text (see plain_body_html), else None.
    body_html: str | None = None


# Text in which no Markdown or HTML syntax can occur: it starts with a letter and holds only
# letters, digits, spaces and ordinary punctuation (no * _ ` [ ] < > & \\ ! # ~ |); checked
# together with "no underscore, no double or trailing space" in _is_plain.
_PLAIN_TEXT = re.compile(r"[^\W\d_][\w ,.;:'\"?()-]*")


def _is_plain(text):
    return (
        _PLAIN_TEXT.fullmatch(text) is not None
        and "_" not in text
        and "  " not in text
        and not text.endswith(" ")
    )


def plain_body_html(paragraphs):
    """What render_markdown gives for these blocks, without parsing, when all are plain text.

    Seeding renders a hundred thousand bodies; parsing each costs far more than writing it.
    A paragraph of plain text becomes <p>text</p>, "## text" becomes <h2>text</h2>, nothing
    needs escaping and the sanitiser keeps both as they are. Anything else returns None and the
    caller renders with Markdown as usual (bench/bench_seed.py checks both agree).
    """
    out = []
    for block in paragraphs:
        tag, text = ("h2", block[3:]) if block.startswith("## ") else ("p", block)
        if not _is_plain(text):
            return None
        out.append(f"<{tag}>{text}</{tag}>\n")
    return "".join(out)


def make_story(rng, index):
    section = SECTIONS[index % len(SECTIONS)][0]
    topic = rng.choice(TOPICS[section])
    person = person_name(rng)
    values = {
        "place": rng.choice(CITIES),
        "place2": rng.choice(CITIES),
        "country": rng.choice(COUNTRIES),
        "person": person,
        "person2": person_name(rng),
        "org": rng.choice(CLUBS if section == "Sport" else ORGS),
        "topic": topic,
        "topic_cap": topic[0].upper() + topic[1:],
        "number": rng.randint(3, 900),
        "weekday": rng.choice(WEEKDAYS),
    }
    headline = rng.choice(HEADLINES).format(**values)
    headline = headline[0].upper() + headline[1:]
    # Distinct sentences: the summary never repeats the opening, no paragraph appears twice.
    summary_template, opening_template = rng.sample(OPENINGS, k=2)
    summary = summary_template.format(**values)
    paragraphs = [opening_template.format(**values)]
    before_subhead = rng.randint(2, 4)
    middles = rng.sample(MIDDLES, k=before_subhead + 2)
    for chosen in middles[:before_subhead]:
        paragraphs.append(chosen.format(**values))
    paragraphs.append(f"## {rng.choice(SUBHEADS)}")
    for chosen in middles[before_subhead:]:
        paragraphs.append(chosen.format(**values))
    paragraphs.append(rng.choice(CLOSINGS).format(**values))
    tags = sorted(set(rng.sample(TAG_WORDS, k=rng.randint(1, 3))))
    has_image = rng.random() < 0.6
    return DemoStory(
        headline=headline,
        summary=summary,
        body="\n\n".join(paragraphs),
        section=section,
        tags=tags,
        republished=rng.random() < 1 / 3,
        image_index=rng.randrange(24) if has_image else None,
        caption=f"A street scene in {values['place']}." if has_image else "",
        credit=person_name(rng) if has_image else "",
        body_html=plain_body_html(paragraphs),
    )


@dataclass
class SeededArticle:
    """One demo story as the rows `broadsheet seed` writes for it."""

    values: dict  # {attname: value} for Article; the slug is the headline's until made unique
    tag_ids: list
    author_ids: list
    source_homepage: str = ""

    def take_unique_slug(self, used_slugs):
        """Keep the headline's slug, or the first of slug-2, slug-3... that no story has yet.

        Stories take their slugs in order of their number, so that a seed always gives each
        story the same one, however its stories were made.
        """
        slug = base = self.values["slug"]
        n = 1
        while slug in used_slugs:
            n += 1
            slug = f"{base}-{n}"
        used_slugs.add(slug)
        self.values["slug"] = slug
        if self.source_homepage:
            self.values["source_url"] = f"{self.source_homepage}stories/{slug}"


@dataclass
class ArticleMaker:
    """Demo stories for one seed as article rows: story i is the same whenever it is made.

    It holds plain values only (ids, names, one time), so another process can make stories
    with a copy of it: see made_in_batches.
    """

    seed: int
    now: datetime.datetime
    section_ids: dict  # section name -> id
    sources: list  # (id, homepage)
    tag_ids: dict  # tag word -> id
    author_ids: list
    pictures: list  # storage names
    statuses: tuple  # (published, draft, review)

    def make(self, i):
        story_rng = random.Random(f"{self.seed}-{i}")
        story = make_story(story_rng, i)
        # Spread stories over the past, newest first; a few are drafts or scheduled.
        publish_at = self.now - datetime.timedelta(minutes=37 * i + story_rng.randint(0, 30))
        published, draft, review = self.statuses
        status = draft if i % 97 == 5 else review if i % 89 == 7 else published
        slug = slugify(story.headline)[:150].strip("-")
        source_id, homepage = (
            self.sources[story_rng.randrange(len(self.sources))] if story.republished else (None, "")
        )
        body_html = story.body_html if story.body_html is not None else render_markdown(story.body)
        values = {
            "headline": story.headline,
            "slug": slug,
            "summary": story.summary,
            "body": body_html,  # the stored body is in the HTML body format (docs/body-format.md)
            "body_html": body_html,
            "status": status,
            "publish_at": publish_at,
            "created_at": publish_at,
            "updated_at": publish_at,
            "section_id": self.section_ids[story.section],
            "source_id": source_id,
            "source_url": f"{homepage}stories/{slug}" if source_id else "",
            "image": self.pictures[story.image_index] if story.image_index is not None else "",
            "image_caption": story.caption,
            "image_credit": story.credit,
            "image_alt": story.caption,
            "external_id": f"seed-{self.seed}-{i}",
        }
        authors = story_rng.sample(self.author_ids, k=1 if story_rng.random() < 0.85 else 2)
        return SeededArticle(
            values=values,
            tag_ids=[self.tag_ids[t] for t in story.tags],
            author_ids=list(dict.fromkeys(authors)),  # two demo authors may share one name, one row
            source_homepage=homepage,
        )

    def make_range(self, start, stop):
        return [self.make(i) for i in range(start, stop)]


def made_in_batches(maker, ranges, *, processes=0):
    """maker.make_range(start, stop) for each range, in order.

    With `processes`, the batches are made by that many other processes, a few ahead of the
    caller, so making stories and writing them run on two cores. The processes are started
    fresh ("spawn"): they need no database and no Django settings, and a copy of a process
    holding database connections would be unsafe.
    """
    if not processes:
        for start, stop in ranges:
            yield maker.make_range(start, stop)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        pending = deque()
        for start, stop in ranges:
            pending.append(pool.submit(maker.make_range, start, stop))
            if len(pending) > processes + 1:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def draw_picture(index, size=(1200, 675)):
    """A generated picture (bands and circles in a palette picked by index), as JPEG bytes."""
    rng = random.Random(f"picture-{index}")
    base = [rng.randint(40, 200) for _ in range(3)]
    image = Image.new("RGB", size, tuple(base))
    draw = ImageDraw.Draw(image)
    width, height = size
    for band in range(8):
        shade = tuple(max(0, min(255, c + rng.randint(-60, 60))) for c in base)
        top = band * height // 8
        draw.rectangle([0, top, width, top + height // 8], fill=shade)
    for _ in range(6):
        r = rng.randint(40, 220)
        x, y = rng.randint(0, width), rng.randint(0, height)
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
