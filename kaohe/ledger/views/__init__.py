"""The ledger's pages: parse, check access (kaohe/access/), call an action or selector, render.

lists: the entries list, the review queue and the Excel download; record: the entry form and its
htmx helpers; entry: one entry's page, its actions and evidence; batch: import from Excel.
"""
