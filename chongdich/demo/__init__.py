"""Demo data: `chongdich demo --province 26 --cases 2000 --seed 1 [--start 2021-05-01] [--days N]
[--if-empty]` builds a synthetic outbreak in one province and the demo accounts.

- population.py  households, workplaces (industrial parks, small firms, school classes), markets
- outbreak.py    the seeded transmission process, detection, treatment histories
- tracing.py     clusters named after places; contacts found by each investigation (F1, F2)
- identities.py  Vietnamese names, mobile numbers, CCCD, addresses for the people who appear
- bulk.py        COPY (PostgreSQL) / executemany (SQLite) of column arrays
- services.py    demo_build, demo_accounts_ensure

The period starts at --start (default 1 May 2021) and lasts --days: by default 8 weeks for 2,000
cases, one week more per doubling (a million cases: 17 weeks). Dates stay in that period; the
application's "today" is the real date, so the demo's last cases are still under treatment.
"""
