"""Every permission decision, in one package: one module per app, beside it in the layers.

`roles` holds the basics (who holds which role); `org`, `years`, `ledger`, `ballots`, `results`
and `audit` decide for their app, importing only that app and those below it. Views, actions and
templates call the same predicate. Records a user may not see raise Http404, so that their
existence does not leak; actions a user may not take raise PermissionDenied.

This module imports nothing on purpose: importing every app here would place `kaohe.access` above
them all, and no app could use it (the layers contract in pyproject.toml).
"""
