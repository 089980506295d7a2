"""Pure detection rules: facts and a view of the baseline in, decisions and alerts out; no database, no I/O.

`merge` (one article, one stance per key), `positions` (reinforce / shift / new / hold / stale),
`casualties` (event identity and revisions), `alerts` (the Alert the outbox stores). See docs/detection.md.
"""
