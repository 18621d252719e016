"""factory_boy factories for the web tests."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from kaohe.accounts.models import Role
from kaohe.engine import builtin_scheme
from kaohe.org.models import Department, Person
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
