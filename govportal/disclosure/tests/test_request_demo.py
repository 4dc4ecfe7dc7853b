"""The demo's disclosure requests, loaded on the test portal: every state, counts that add up."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.utils import timezone

from govportal.demo.builder import DemoWorld
from govportal.demo.disclosure_requests import DEMO_QUERY_CODE, load
from govportal.disclosure.models import DisclosureRequest
from govportal.disclosure.request_deadlines import DeadlineStatus, deadline_info
from govportal.disclosure.request_services import request_find
from govportal.disclosure.request_stats import (
    APPLICANT_COLUMNS,
    CARRIED_IN,
    CARRIED_OUT,
    OUTCOME_ROWS,
    RECEIVED,
    annual_request_counts,
)
from govportal.lib.idnumbers import is_resident_id
from govportal.lib.workdays import WorkdayCalendar
from govportal.testing import Portal

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 6, 15, 10))
CODES = ["zfb", "jyj", "wjj", "rsj", "xzsp", "sgz"]


def test_demo_requests_cover_every_state_and_add_up(portal: Portal) -> None:
    world = DemoWorld(
        now=NOW,
        scale=0.2,
        log=lambda line: None,
        units=dict.fromkeys(CODES, portal.unit_a),
        users={
            **{f"{code}_editor": portal.editor_a for code in CODES},
            **{f"{code}_reviewer": portal.reviewer_a for code in CODES},
            "operator": portal.operator,
        },
        columns={},
        home=portal.home,
        rnd=random.Random(7),
    )
    load(world)
    requests = list(DisclosureRequest.objects.prefetch_related("events"))
    assert 14 <= len(requests) <= 20
    states = Counter(r.state for r in requests)
    assert set(states) == {
        "registered", "awaiting_correction", "consulting", "extended", "answered", "archived",
    }  # fmt: skip
    calendar = WorkdayCalendar()
    statuses = {deadline_info(r, today=NOW.date(), calendar=calendar).status for r in requests}
    assert {DeadlineStatus.OVERDUE, DeadlineStatus.DUE_SOON, DeadlineStatus.ON_TIME} <= statuses
    assert len({r.reply_type for r in requests if r.reply_type}) >= 5
    from govportal.disclosure.request_crypto import decrypt_id_number

    for request in requests:
        if request.id_type == "resident_id":
            number = decrypt_id_number(request.id_number_encrypted)
            assert not is_resident_id(number, today=NOW.date())  # never a valid real ID
    table = annual_request_counts(2026)
    assert sum(table[CARRIED_IN].values()) == 2
    outcomes = [key for key, _, _ in OUTCOME_ROWS]
    for column, _ in APPLICANT_COLUMNS:
        intake = table[RECEIVED][column] + table[CARRIED_IN][column]
        handled = sum(table[row][column] for row in outcomes) + table[CARRIED_OUT][column]
        assert intake == handled
    any_request = requests[0]
    found = request_find(tracking_number=any_request.tracking_number, query_code=DEMO_QUERY_CODE)
    assert found == any_request
