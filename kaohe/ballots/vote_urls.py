"""The voter's short address, /v/ (the code follows in the fragment: /v/#CODE)."""

from __future__ import annotations

from django.urls import path

from kaohe.ballots import vote_views

app_name = "vote"
urlpatterns = [
    path("", vote_views.vote, name="start"),
    path("thanks/", vote_views.thanks, name="thanks"),
]
