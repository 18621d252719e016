"""factory_boy factories for the web tests."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from kaohe.accounts.models import Role
from kaohe.ballots.models import Ballot, Round, RoundStatus
from kaohe.core.inputs import touch
from kaohe.engine import builtin_scheme
from kaohe.ledger.models import Entry
from kaohe.org.models import Department, Person
from kaohe.results.models import Adjustment, Veto
from kaohe.years.models import Year, YearDepartment

PASSWORD = "test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook signature
        if create:
            obj.save()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}处")
    type = "service"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"职工{n}")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = "assessment_office"
    office = ""
    department = None


def make_year(year: int = 2016, departments: list[Department] | None = None) -> Year:
    """A year on the built-in scheme assessing the given departments."""
    scheme = builtin_scheme("cz-jxw-2016")
    y = Year.objects.create(year=year, scheme_id=scheme.id, scheme_document=dict(scheme.document))
    for d in departments or []:
        YearDepartment.objects.create(year=y, department=d, type=d.type)
    return y


# --- entries, ballots, adjustments, vetoes: a year's data, built directly (no workflow) -----

_entry_refs = iter(range(1, 10**9))


def add_entry(
    year: Year,
    department: Department,
    rule_id: str,
    *,
    status: str = "confirmed",
    office: str | None = None,
    **fields: object,
) -> Entry:
    """An entry of the year's scheme in the given status (item, category, office from the rule)."""
    rule = year.scheme.rules[rule_id]
    values: dict[str, object] = {"period": "year", "count": 1}
    if rule.kind == "shortfall":
        values = {"period": "H1", "count": None, "actual": 0}
    values.update(fields)
    values.setdefault("ref", f"T-{next(_entry_refs):06d}")
    touch(year.year)  # written behind the actions' back: the stored result must know
    return Entry.objects.create(
        year=year,
        department=department,
        rule_id=rule_id,
        item=rule.item,
        category=rule.category,
        office=office or rule.offices[0],
        status=status,
        **values,
    )


def add_round(year: Year, kind: str, period: str, ballots: list[dict[str, str]]) -> Round:
    """A closed evaluation round with these ballots (department code → grade)."""
    found = Round.objects.create(year=year, kind=kind, period=period, status=RoundStatus.CLOSED)
    Ballot.objects.bulk_create(Ballot(round=found, grades=grades) for grades in ballots)
    touch(year.year)
    return found


def add_adjustment(year: Year, department: Department, amount: str, reason: str) -> Adjustment:
    """A party-group adjustment."""
    touch(year.year)
    return Adjustment.objects.create(
        year=year, department=department, amount=Decimal(amount), reason=reason, meeting="党组会"
    )


def add_veto(year: Year, department: Department, reason: str = "criticised") -> Veto:
    """A one-vote veto."""
    touch(year.year)
    return Veto.objects.create(year=year, department=department, reason=reason, note="通报批评")


def make_departments(n: int, prefix: str = "Q") -> list[Department]:
    """n departments, alternately serving the public and comprehensive, in one query."""
    return Department.objects.bulk_create(
        Department(
            code=f"{prefix}{i:03d}",
            name=f"第{i}处",
            type="service" if i % 2 else "general",
        )
        for i in range(n)
    )
