"""Related stories: the "Related posts" list under every article.

How it works (details in tfidf.py):
- Each published article becomes a sparse TF-IDF vector of its heaviest 64 terms, read from
  headline, the first 200 body words, summary (x0.25) and tags (x0.5) (analysis.Weights). Words are
  folded so outlets' spellings meet (Erdoğan/Erdogan, Zelenskyy/Zelensky, al-Rashidi/El-Rashidy);
  capitalised names also give a consonant key (Mohammed/Muhammad).
- Similarity is the cosine of two vectors times a gentle closeness-in-time factor (0.7..1.0 over
  about three weeks). Never the article itself, a draft or an exact copy (same folded words).
- Lists (8 per article, editors' pins first) are stored in RelatedEntry; pages and the API read
  them with one query (services.related_for).
- Writers take turns on one lock row and a rebuild replays what was journaled while it
  computed (locking.py); related_lists_changed names the lists that changed (signals.py).
- A list shorter than SHOWN is topped up from the story's section on the page (services.more_from).
- Freshness: newsroom signals queue tasks (tasks.py) that index articles against the inverted
  index stored in the database (Term postings, capped per term) and update the lists they enter;
  articles updated together are all indexed first, then all listed, so they find each other.
  Unpublishing or deleting removes an article everywhere and refills those lists. A bulk load
  (seed, `import-articles`) is announced once: up to BROADSHEET_RELATED_BULK_LIMIT (2000)
  articles get one batched update task, more get one full rebuild.
- `broadsheet related rebuild` recomputes everything (run it after restoring a database or
  changing the engine's settings); `broadsheet related show ID` prints one list. A large
  rebuild reads and analyses articles in BROADSHEET_RELATED_REBUILD_PROCESSES (2) processes,
  computes every list in memory, then writes them in one short transaction (COPY on
  PostgreSQL; bulk.py).
"""
