"""URLs of the ledger app."""

from __future__ import annotations

from django.urls import path

from kaohe.ledger.views import batch, entry, lists, persons, record, votes

app_name = "ledger"
urlpatterns = [
    path("<int:year>/entries/", lists.entries, name="entries"),
    path("<int:year>/entries/new/", record.entry_new, name="entry_new"),
    path("<int:year>/entries/fields/", record.entry_fields, name="entry_fields"),
    path("<int:year>/entries/preview/", record.entry_preview, name="entry_preview"),
    path("entries/<int:pk>/", entry.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/edit/", record.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/submit/", entry.entry_submit, name="entry_submit"),
    path("entries/<int:pk>/confirm/", entry.entry_confirm, name="entry_confirm"),
    path("entries/<int:pk>/return/", entry.entry_return, name="entry_return"),
    path("entries/<int:pk>/decide/", entry.entry_decide, name="entry_decide"),
    path("entries/<int:pk>/void/", entry.entry_void, name="entry_void"),
    path("entries/<int:pk>/object/", entry.objection_raise, name="objection_raise"),
    path("objections/<int:pk>/", entry.objection_detail, name="objection_detail"),
    path("objections/<int:pk>/resolve/", entry.objection_resolve, name="objection_resolve"),
    path("<int:year>/review/", lists.review, name="review"),
    path("<int:year>/review/bulk/", lists.review_bulk, name="review_bulk"),
    path("<int:year>/batch/", batch.batch, name="batch"),
    path("<int:year>/batch/template.xlsx", batch.batch_template, name="batch_template"),
    path("<int:year>/ledger.xlsx", lists.ledger_xlsx, name="ledger_xlsx"),
    path("<int:year>/persons/", persons.persons, name="persons"),
    path("<int:year>/persons.xlsx", persons.persons_xlsx, name="persons_xlsx"),
    path("evidence/<uuid:pk>/", entry.evidence, name="evidence"),
    # the assessment office's members and its secret ballots on range amounts (§七, §八.2)
    path("<int:year>/office-members/", votes.office_members, name="office_members"),
    path(
        "office-members/<int:pk>/remove/",
        votes.office_member_remove,
        name="office_member_remove",
    ),
    path("<int:year>/range-votes/", votes.range_votes, name="range_votes"),
    path("<int:year>/range-votes/open/", votes.range_vote_open, name="range_vote_open"),
    path("range-votes/<int:pk>/", votes.range_vote, name="range_vote"),
    path("range-votes/<int:pk>/close/", votes.range_vote_close, name="range_vote_close"),
    path("range-votes/mine/", votes.range_vote_mine, name="range_vote_mine"),
    path("range-vote/", votes.range_vote_ballot, name="range_vote_ballot"),
]
