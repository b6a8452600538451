"""A small labelled set of original stories: two clusters that share names but are different
stories, one cluster whose outlets spell names differently, and unrelated singletons."""

# (key, cluster, headline, summary, body, tags, days ago)
STORIES = [
    # Cluster "ferry": a ferry strike in the port of Velmora, told by three outlets.
    (
        "ferry-1",
        "ferry",
        "Velmora ferry crews strike over night-shift rotas",
        "Crews on the Velmora island ferries walked out at dawn, stranding commuters on both shores.",
        "Ferry crews in Velmora stopped work at dawn on Monday in a dispute over night-shift rotas. "
        "Harbour master Ilse Brandvold said no sailings would leave the north pier until talks resume. "
        "The seafarers' union says the new rotas leave crews with less than eight hours between shifts.",
        ["Velmora", "ferries", "strike"],
        1,
    ),
    (
        "ferry-2",
        "ferry",
        "Commuters stranded as Velmora ferry walkout enters second day",
        "No sailings from the north pier as the seafarers' union and the port authority trade blame.",
        "Queues of commuters built up on the Velmora quay for a second day as the ferry strike went on. "
        "The seafarers' union blamed the port authority for imposing night-shift rotas without talks. "
        "Ilse Brandvold, the harbour master, said a replacement water-taxi would run at weekends.",
        ["Velmora", "strike", "commuting"],
        2,
    ),
    (
        "ferry-3",
        "ferry",
        "Talks to end Velmora ferry strike collapse after four hours",
        "The union rejected a revised rota offer; sailings remain cancelled.",
        "Negotiators for the Velmora ferry crews walked out of talks after four hours, saying the revised "
        "night-shift rota was 'the same timetable in a new font'. The port authority said it was "
        "disappointed. Harbour master Brandvold said north pier sailings stay cancelled.",
        ["Velmora", "ferries", "union"],
        3,
    ),
    # Cluster "bridge": Velmora again, the same harbour master, a different story.
    (
        "bridge-1",
        "bridge",
        "Velmora approves toll bridge to the outer islands",
        "The regional council voted for a cable-stayed toll bridge costing 410 million crowns.",
        "Velmora's regional council approved a cable-stayed toll bridge to the outer islands on Thursday. "
        "The bridge, costing 410 million crowns, would open in 2031. Harbour master Ilse Brandvold warned "
        "that construction barges would narrow the shipping lane for three summers.",
        ["Velmora", "infrastructure", "bridge"],
        30,
    ),
    (
        "bridge-2",
        "bridge",
        "Outer islanders split over Velmora toll bridge plan",
        "Fishing families fear the 410-million-crown bridge will bring traffic; shop owners welcome it.",
        "On the outer islands, opinion on the toll bridge approved by the Velmora council is divided. "
        "Fishing families fear cable-stayed spans will bring traffic and second homes. Shop owners say the "
        "410 million crown bridge ends decades of isolation.",
        ["outer islands", "bridge", "tolls"],
        31,
    ),
    (
        "bridge-3",
        "bridge",
        "Engineers question wind loads on Velmora cable-stayed bridge",
        "An independent review asks for wind-tunnel tests before the toll bridge contract is signed.",
        "An independent engineering review of the Velmora toll bridge asks for wind-tunnel tests of the "
        "cable-stayed design before the council signs the 410 million crown contract. The outer islands "
        "route faces winter gales above 120 km/h.",
        ["bridge", "engineering"],
        33,
    ),
    # Cluster "rashidi": outlets spell the minister's name differently.
    (
        "rashidi-1",
        "rashidi",
        "Minister Tariq al-Rashidi resigns over grain silo tender",
        "Tariq al-Rashidi quit after auditors questioned how the Port Qasim silo contract was awarded.",
        "Agriculture minister Tariq al-Rashidi resigned on Sunday after auditors questioned the award of a "
        "grain silo tender at Port Qasim. Al-Rashidi denied wrongdoing and said he wanted to spare the "
        "government a distraction.",
        ["al-Rashidi", "resignation", "grain"],
        5,
    ),
    (
        "rashidi-2",
        "rashidi",
        "El-Rashidy quits as auditors probe silo contract",
        "Tareq El-Rashidy stepped down as agriculture minister amid an audit of the Port Kasim grain tender.",
        "Tareq El-Rashidy stepped down as agriculture minister, days after the national audit office "
        "opened a review of the Port Kasim grain silo tender. Rashidy said he had acted within the rules.",
        ["Rashidy", "audit"],
        5,
    ),
    (
        "rashidi-3",
        "rashidi",
        "Who will replace Rashidi at the agriculture ministry?",
        "After Tariq Rashidi's resignation over the silo tender, three names lead the race.",
        "With Tariq Rashidi gone over the grain silo tender at Port Qasim, the prime minister must choose a "
        "new agriculture minister before the harvest budget. The audit office review continues.",
        ["agriculture", "cabinet"],
        4,
    ),
    # Singletons.
    (
        "single-1",
        None,
        "Orchestra adds a late-night concert series in the old tram depot",
        "Hour-long programmes of chamber music start at 22:30 every Friday.",
        "The city orchestra will play hour-long chamber programmes in the converted tram depot every Friday "
        "at 22:30, with tickets priced like a cinema seat.",
        ["music"],
        6,
    ),
    (
        "single-2",
        None,
        "Beekeepers report the best heather honey harvest in a decade",
        "A warm, wet spring and a dry August filled the hives on the moors.",
        "Beekeepers on the moors say a warm, wet spring followed by a dry August produced the best heather "
        "honey harvest in ten years, though prices at the farm gate are flat.",
        ["farming", "bees"],
        8,
    ),
    (
        "single-3",
        None,
        "Chess prodigy, 12, draws with the national champion",
        "The schoolgirl held the champion in a 71-move endgame.",
        "A twelve-year-old schoolgirl held the national chess champion to a draw in a 71-move rook endgame "
        "at the spring open, the youngest player to do so.",
        ["chess"],
        9,
    ),
    (
        "single-4",
        None,
        "Velmora library extends Sunday opening hours",
        "The central library will open from noon to six on Sundays from next month.",
        "Velmora's central library will open on Sundays from noon to six, after a petition signed by "
        "students during exam season.",
        ["libraries", "Velmora"],
        12,
    ),
]


def clusters():
    out = {}
    for key, cluster, *_ in STORIES:
        if cluster:
            out.setdefault(cluster, []).append(key)
    return out
