"""A bare Django app of the product's versions, the yardstick of bench/web.py: a hello view, a
200-row Chinese table page (also behind a login) and a one-time-token POST (conditional update, then insert)."""
