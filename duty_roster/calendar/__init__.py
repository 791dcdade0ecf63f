"""Calendar feeds (iCalendar, RFC 5545 / RFC 7986): a person's shifts, who is on duty at a location, a whole centre.

Layers, so the feed logic is testable without a database:
- `history`: pure. Folds the published versions of a period into one state per event: its latest content, a
  SEQUENCE that counts the versions in which the content changed, and whether it was cancelled (and when).
- `ics`: pure. Renders plain `FeedEvent`s into deterministic iCalendar bytes (same data -> same bytes).
- `feeds`: reads the published versions from the database into plain data and builds a feed. Never writes rosters.
- `tokens`: the secret feed URLs. `web`: the /feeds/<token>.ics blueprint with ETag / 304.
"""
