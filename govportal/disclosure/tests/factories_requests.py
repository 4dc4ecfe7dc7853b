"""Building disclosure requests for the tests (through the services, as the clerks would)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from govportal.core.models import Unit
from govportal.disclosure.models import DisclosureRequest
from govportal.disclosure.request_services import ApplicantData, request_register

# A resident-ID-shaped number with a wrong check character: never a real person's.
FAKE_ID = "610302199001011230"


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def applicant(**values: Any) -> ApplicantData:
    fields: dict[str, Any] = {
        "applicant_kind": "natural_person",
        "applicant_name": "测试申请人",
        "id_type": "resident_id",
        "contact_phone": "0917-3212345",
        "description": "2025年本区老旧小区改造项目的立项批复文件",
        "delivery_form": "electronic",
        "delivery_channel": "email",
        "contact_email": "applicant@example.org",
    }
    fields.update(values)
    return ApplicantData(id_number=fields.pop("id_number", FAKE_ID), **fields)


def register(
    unit: Unit, *, received_on: dt.date, by: Any = None, **values: Any
) -> tuple[DisclosureRequest, str]:
    channel = "online" if by is None else "in_person"
    return request_register(
        applicant=applicant(**values),
        unit=unit,
        intake_channel=channel,
        received_on=received_on,
        by=by,
        now=at(received_on),
    )
