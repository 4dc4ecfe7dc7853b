"""The column responsibility table in the admin: who sees it, export, and the XLSX round trip."""

import csv
import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from govportal.content.services import page_archive
from govportal.core.admin_views import PENDING_IMPORT_KEY
from govportal.core.models import ColumnPage, column_content_models
from govportal.core.responsibility import HEADERS, responsibility_rows
from govportal.core.wagtail_hooks import responsibility_menu_item
from govportal.testing import Portal, UnitFactory, add_article, add_column

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 6, 16, 10, 0, tzinfo=dt.UTC)
INDEX = reverse("core_responsibility:index")
IMPORT = reverse("core_responsibility:import")


def export(client: Any, file_format: str, query: str = "") -> Any:
    return client.get(reverse("core_responsibility:export", args=[file_format]) + query)


def upload(client: Any, data: bytes, name: str = "栏目责任明细表.xlsx") -> Any:
    file = io.BytesIO(data)
    file.name = name
    return client.post(IMPORT, {"file": file})


def workbook_bytes(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def units_of(column: ColumnPage) -> set[str]:
    return set(
        ColumnPage.objects.get(pk=column.pk).responsible_units.values_list("name", flat=True)
    )


def menu_shown(user: Any, rf: Any) -> bool:
    request = rf.get("/admin/")
    request.user = user
    return bool(responsibility_menu_item().is_shown(request))


def test_the_operator_and_system_admin_see_the_menu_item_and_other_admins_do_not(
    portal: Portal, rf: Any
) -> None:
    assert menu_shown(portal.operator, rf)
    assert menu_shown(portal.system_admin, rf)
    assert menu_shown(portal.editor_b, rf)
    assert not menu_shown(portal.auditor, rf)
    assert not menu_shown(portal.security_admin, rf)


@time_machine.travel(NOW, tick=False)
def test_the_table_lists_every_column_with_unit_frequency_dates_and_status(
    portal: Portal, client: Any
) -> None:
    add_article(portal.notices, "关于秋季学期开学的通知", pub_date=NOW - dt.timedelta(days=3))
    client.force_login(portal.operator)
    html = client.get(INDEX).content.decode()
    assert "政务 &gt; 通知公告" in html
    assert "区教育局" in html
    assert "2025-06-13" in html  # last update of 通知公告 and, rolled up, of 政务
    assert "2025-06-20" in html  # weekly: due a week later
    assert "空白栏目" in html  # 新闻 has no article
    assert html.count("2025-06-13") == 2


@time_machine.travel(NOW, tick=False)
def test_a_units_editor_sees_only_the_rows_of_their_unit(portal: Portal, client: Any) -> None:
    client.force_login(portal.editor_b)
    response = client.get(INDEX)
    assert response.status_code == 200
    rows = [r.column_id for r in response.context["rows"]]
    assert rows == [portal.notices.pk]
    assert "从 Excel 导入" not in response.content.decode()
    # Asking for another unit's rows does not widen the view.
    response = client.get(INDEX, {"unit": portal.unit_a.pk})
    assert [r.column_id for r in response.context["rows"]] == [portal.notices.pk]


def refused(response: Any) -> bool:
    # Wagtail's admin answers PermissionDenied by sending the user to the dashboard.
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_users_without_a_unit_or_a_managing_role_are_refused(portal: Portal, client: Any) -> None:
    client.force_login(portal.auditor)
    assert refused(client.get(INDEX))
    assert refused(export(client, "xlsx"))


def test_the_operator_filters_the_table_by_unit(portal: Portal, client: Any) -> None:
    client.force_login(portal.operator)
    response = client.get(INDEX, {"unit": portal.unit_a.pk})
    assert [r.column_id for r in response.context["rows"]] == [portal.news.pk, portal.affairs.pk]


def test_only_the_operator_or_system_admin_may_import(portal: Portal, client: Any) -> None:
    client.force_login(portal.reviewer_a)
    assert refused(client.get(IMPORT))
    client.force_login(portal.system_admin)
    assert client.get(IMPORT).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_the_csv_export_opens_in_excel_as_utf8_and_follows_the_filter(
    portal: Portal, client: Any
) -> None:
    client.force_login(portal.operator)
    response = export(client, "csv", f"?unit={portal.unit_b.pk}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    records = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert records[0] == list(HEADERS)
    assert records[1][:6] == [
        str(portal.notices.pk),
        "政务 > 通知公告",
        "通知公告",
        "通知公告",
        "区教育局",
        "每周",
    ]
    assert len(records) == 2


def test_an_unknown_export_format_is_not_found(portal: Portal, client: Any) -> None:
    client.force_login(portal.operator)
    assert export(client, "pdf").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_table_round_trips_through_excel(portal: Portal, client: Any) -> None:
    UnitFactory.create(name="高家镇人民政府")
    client.force_login(portal.operator)
    response = export(client, "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    ids = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    # Edit in the spreadsheet: two units for 新闻, a new frequency for 通知公告.
    sheet.cell(row=ids[portal.news.pk], column=5).value = "区政府办公室、高家镇人民政府"
    sheet.cell(row=ids[portal.notices.pk], column=6).value = "每月"

    response = upload(client, workbook_bytes(workbook))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "2 个栏目将被修改，1 个栏目没有变化" in html
    assert "区政府办公室、高家镇人民政府" in html
    assert "<del>每周</del> → <ins>每月</ins>" in html
    assert units_of(portal.news) == {"区政府办公室"}  # nothing changes before confirming

    response = client.post(preview.wsgi_request.path)
    assert response.status_code == 302
    assert units_of(portal.news) == {"区政府办公室", "高家镇人民政府"}
    notices = ColumnPage.objects.get(pk=portal.notices.pk)
    assert notices.update_frequency == "monthly"
    assert notices.live and not notices.has_unpublished_changes
    assert notices.get_latest_revision().user == portal.operator
    assert PENDING_IMPORT_KEY not in client.session

    # Exported again, the table shows what was imported.
    again = load_workbook(io.BytesIO(export(client, "xlsx").content)).worksheets[0]
    values = {row[0]: row for row in again.iter_rows(min_row=2, values_only=True)}
    assert values[portal.news.pk][4] == "区政府办公室、高家镇人民政府"
    assert values[portal.notices.pk][5] == "每月"


def test_an_import_keeps_an_unpublished_draft_unpublished(portal: Portal, client: Any) -> None:
    draft = ColumnPage.objects.get(pk=portal.news.pk).get_latest_revision_as_object()
    draft.description = "尚未审核的新描述"
    draft.save_revision(user=portal.editor_a)
    client.force_login(portal.operator)
    sheet = load_workbook(io.BytesIO(export(client, "xlsx").content))
    rows = {row[0].value: row for row in sheet.worksheets[0].iter_rows(min_row=2)}
    rows[portal.news.pk][4].value = "区教育局"
    preview = client.get(upload(client, workbook_bytes(sheet))["Location"])
    client.post(preview.wsgi_request.path)

    news = ColumnPage.objects.get(pk=portal.news.pk)
    assert set(news.responsible_units.values_list("name", flat=True)) == {"区教育局"}
    assert news.description == "新闻栏目"
    assert news.has_unpublished_changes
    latest = news.get_latest_revision_as_object()
    assert latest.description == "尚未审核的新描述"
    assert [u.name for u in latest.responsible_units.all()] == ["区教育局"]


def test_a_table_with_errors_is_not_imported_at_all(portal: Portal, client: Any) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(HEADERS))
    sheet.append([portal.news.pk, "", "新闻", "", "区教育局", "每日"])
    sheet.append([portal.notices.pk, "", "通知公告", "", "区财政局", "每周"])
    client.force_login(portal.operator)
    response = upload(client, workbook_bytes(workbook))
    assert response.status_code == 200
    html = response.content.decode()
    assert "未导入任何内容" in html
    assert "第 3 行：责任单位“区财政局”不存在" in html
    assert units_of(portal.news) == {"区政府办公室"}
    assert PENDING_IMPORT_KEY not in client.session


def test_a_file_that_is_not_xlsx_is_refused_with_a_chinese_message(
    portal: Portal, client: Any
) -> None:
    client.force_login(portal.operator)
    response = upload(client, "栏目ID,责任单位,更新频率\n".encode(), name="表.csv")
    assert "只能导入 .xlsx 格式的文件。" in response.content.decode()
    response = upload(client, b"not a workbook at all", name="renamed.xlsx")
    assert "文件不是 XLSX 格式的 Excel 表格" in response.content.decode()


def test_the_preview_belongs_to_the_user_who_uploaded_it(portal: Portal, client: Any) -> None:
    client.force_login(portal.operator)
    sheet = load_workbook(io.BytesIO(export(client, "xlsx").content))
    location = upload(client, workbook_bytes(sheet))["Location"]
    forged = location.rstrip("/").rsplit("/", 1)[0] + "/forged-token/"
    response = client.post(forged)
    assert response.status_code == 302
    assert response["Location"] == IMPORT


def test_a_unit_deleted_between_preview_and_confirm_stops_the_import(
    portal: Portal, client: Any
) -> None:
    town = UnitFactory.create(name="高家镇人民政府")
    client.force_login(portal.operator)
    sheet = load_workbook(io.BytesIO(export(client, "xlsx").content))
    rows = {row[0].value: row for row in sheet.worksheets[0].iter_rows(min_row=2)}
    rows[portal.news.pk][4].value = "高家镇人民政府"
    rows[portal.notices.pk][5].value = "每日"
    location = upload(client, workbook_bytes(sheet))["Location"]
    town.delete()
    response = client.post(location)
    assert response.status_code == 200
    assert "不能导入" in response.content.decode()
    assert ColumnPage.objects.get(pk=portal.notices.pk).update_frequency == "weekly"


@time_machine.travel(NOW, tick=False)
def test_building_the_table_takes_the_same_queries_for_ten_or_forty_columns(
    portal: Portal,
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            responsibility_rows(today=NOW.date())
        return len(captured)

    for i in range(8):
        add_article(add_column(portal.news, f"子栏目{i}"), f"文章{i}")
    few = queries()
    for i in range(30):
        add_article(add_column(portal.affairs, f"政务子栏目{i}"), f"政务文章{i}")
    # Constant in the number of columns: a few for the columns, one per content type.
    assert queries() == few <= 3 + len(column_content_models())


@time_machine.travel(NOW, tick=False)
def test_an_archived_column_shows_as_archived_and_does_not_freshen_its_parent(
    portal: Portal,
) -> None:
    add_article(portal.notices, "旧通知", pub_date=NOW - dt.timedelta(days=1))
    page_archive(page=portal.notices, user=portal.operator, reason="改版")
    rows = {r.column_id: r for r in responsibility_rows(today=NOW.date())}
    assert rows[portal.notices.pk].status.label == "已归档"
    assert rows[portal.affairs.pk].last_update is None
