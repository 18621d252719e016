"""The bounds of every number the product takes in (docs/bundle.md, "Limits").

One place for the bundle reader (`kaohe compute`, `kaohe import`), the web forms, the batch
workbook and the actions, so that each refuses the same numbers. They are far beyond any real
year (the 2016 scheme's largest count is a handful of person-times) and well inside what every
database column holds.
"""

from __future__ import annotations

from fractions import Fraction

MAX_COUNT = 999  # units of one entry: 次, 人次, 篇, 项 …
MAX_ACTUAL = 9999  # items actually submitted in a half-year (shortfall rules)
MAX_ADJUSTMENT = Fraction(100)  # |amount| of one party-group adjustment, in points
MIN_YEAR, MAX_YEAR = 2000, 2100  # an assessment year
MAX_RANK = 9999  # last year's rank
