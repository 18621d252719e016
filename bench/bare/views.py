"""Hello, a 200-row Chinese table (also behind a login), and a one-time token used up and
recorded in one transaction."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

ROWS = [
    {
        "rank": i + 1,
        "code": f"D{i:04d}",
        "name": f"第{i + 1}处（科技创新与产业发展）",
        "score": f"{95 - i * 0.1:.2f}",
    }
    for i in range(200)
]

SETUP = [
    "CREATE TABLE IF NOT EXISTS bare_token (code text PRIMARY KEY, used boolean NOT NULL)",
    "CREATE TABLE IF NOT EXISTS bare_ballot (id bigserial PRIMARY KEY, code text NOT NULL, grades jsonb NOT NULL)",
]


def hello(request: HttpRequest) -> HttpResponse:
    """The least a Django page costs."""
    return HttpResponse("你好")


def table(request: HttpRequest) -> HttpResponse:
    """200 rows through the template engine."""
    return render(request, "table.html", {"rows": ROWS})


@login_required
def table_logged_in(request: HttpRequest) -> HttpResponse:
    """The same table behind a login: the session and the user read from the database, what
    any Django page that needs a login pays before its own work."""
    return render(request, "table.html", {"rows": ROWS})


@csrf_exempt
def token(request: HttpRequest) -> HttpResponse:
    """Use up the posted token if it is unused and store the ballot, in one transaction."""
    code = request.POST.get("code", "")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE bare_token SET used = true WHERE code = %s AND NOT used", [code])
        if cursor.rowcount != 1:
            return HttpResponse("已使用", status=409)
        cursor.execute(
            "INSERT INTO bare_ballot (code, grades) VALUES (%s, %s)", [code, '{"D0000": "good"}']
        )
    return HttpResponse(status=302, headers={"Location": "/thanks/"})
