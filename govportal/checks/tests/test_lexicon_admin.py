"""The lexicon in the database: import, export, scopes, and the engine seeing every change."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook
from wagtail.models import Site

from govportal.checks import services
from govportal.checks.engine import CheckContext, check
from govportal.checks.lexicon_io import parse_text
from govportal.checks.models import LexiconEntry
from govportal.testing import Portal

pytestmark = pytest.mark.django_db


def words_found(text: str, site: Site | None = None) -> list[str]:
    ctx = CheckContext(site_id=site.pk if site else None, checkers=frozenset({"flagged_words"}))
    return [f.match for f in check(text, context=ctx)]


def test_the_starter_lexicon_is_in_the_database_after_migrating():
    assert LexiconEntry.objects.filter(word="按装", suggestion="安装", site__isnull=True).exists()
    assert LexiconEntry.objects.filter(category="sensitive").count() >= 3


def test_loading_the_starter_lexicon_twice_changes_nothing():
    before = LexiconEntry.objects.count()
    result = services.load_starter_lexicon()
    assert (result.created, result.updated) == (0, 0)
    assert LexiconEntry.objects.count() == before


def test_the_engine_sees_an_added_edited_and_deleted_entry_at_once():
    assert words_found("新词测试甲出现") == []
    entry = LexiconEntry.objects.create(word="新词测试甲", category="sensitive")
    assert words_found("新词测试甲出现") == ["新词测试甲"]
    entry.active = False
    entry.save()
    assert words_found("新词测试甲出现") == []
    entry.active = True
    entry.save()
    entry.delete()
    assert words_found("新词测试甲出现") == []


def test_a_site_entry_applies_to_that_site_only_and_can_switch_off_a_platform_entry(portal: Portal):
    other = Site.objects.create(hostname="town.test", root_page=portal.home)
    LexiconEntry.objects.create(word="镇级测试词", category="sensitive", site=other)
    LexiconEntry.objects.create(
        word="按装", category="typo", suggestion="安装", site=other, active=False
    )
    assert words_found("镇级测试词，按装", site=portal.site) == ["按装"]
    assert words_found("镇级测试词，按装", site=other) == ["镇级测试词"]


def test_an_entry_is_validated_before_it_is_saved():
    entry = LexiconEntry(word="開會", category="typo", suggestion="开会")
    with pytest.raises(ValidationError) as caught:
        entry.full_clean()
    assert "suggestion" in caught.value.message_dict
    duplicate = LexiconEntry(word="按 装", category="typo", suggestion="安装")
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert "重复" in caught.value.message_dict["word"][0]


def test_an_import_with_a_bad_row_leaves_the_lexicon_unchanged():
    before = sorted(LexiconEntry.objects.values_list("word", "category", "suggestion"))
    data = "新词测试乙\t敏感词\n按装\t错别字\t\t安装好\n坏行\t不存在的类别\n".encode()
    with pytest.raises(services.LexiconImportError) as caught:
        services.lexicon_import(rows=services.parse_lexicon_file(data, "words.txt"))
    assert [e.row for e in caught.value.errors] == [3]
    assert sorted(LexiconEntry.objects.values_list("word", "category", "suggestion")) == before


def test_an_import_naming_an_unknown_site_is_rejected_whole():
    rows, _ = parse_text("新词测试丙\t敏感词\n新词测试丁\t敏感词\t\t\t\tnowhere.test\n")
    with pytest.raises(services.LexiconImportError) as caught:
        services.lexicon_import(rows=rows)
    assert [e.row for e in caught.value.errors] == [2]
    assert not LexiconEntry.objects.filter(word="新词测试丙").exists()


def test_an_import_adds_new_words_and_updates_existing_ones(portal: Portal):
    rows, _ = parse_text("按装\t错别字\t阻断\t安装\n新词测试戊\t敏感词\n")
    result = services.lexicon_import(rows=rows, user=portal.operator)
    assert (result.created, result.updated) == (1, 1)
    assert LexiconEntry.objects.get(word="按装", site__isnull=True).severity == "block"
    assert LexiconEntry.objects.get(word="新词测试戊").added_by == portal.operator


def test_the_export_reads_back_as_the_same_lexicon():
    for file_format, name in (("txt", "x.txt"), ("xlsx", "x.xlsx")):
        data = services.lexicon_export(file_format=file_format)
        rows = services.parse_lexicon_file(data, name)
        assert len(rows) == LexiconEntry.objects.count()
        result = services.lexicon_import(rows=rows)
        assert (result.created, result.updated) == (0, 0)


def test_the_context_for_a_site_allows_the_units_and_the_sites_own_numbers(portal: Portal):
    portal.unit_a.phone = "0917-3212345"
    portal.unit_a.email = "office-a@gov.test"
    portal.unit_a.save()
    context = services.context_for_site(portal.site)
    text = "电话0917-3212345，0917-3210000，0917-3219999，邮箱 office-a@gov.test"
    findings = [f.match for f in check(text, context=context) if f.category == "personal_data"]
    assert findings == ["0917-3219999"]


def test_internal_links_resolve_against_the_page_tree(portal: Portal):
    from govportal.testing import add_article

    live = add_article(portal.news, "已发布")
    draft = add_article(portal.news, "草稿", live=False)
    context = services.context_for_site(portal.site)
    html = (
        f'<a href="{live.url}">a</a><a href="{draft.url_path[len(portal.home.url_path) - 1 :]}">b</a>'
        f'<a linktype="page" id="{draft.pk}">c</a><a href="/no-such-page/">d</a>'
        '<a href="http://localhost/news/">e</a><a linktype="document" id="999999">f</a>'
    )
    findings = [(f.rule, f.match) for f in check(html, context=context) if f.category == "link"]
    assert findings == [
        ("link.internal_not_live", draft.url_path[len(portal.home.url_path) - 1 :]),
        ("link.internal_not_live", str(draft.pk)),
        ("link.internal_missing", "/no-such-page/"),
        ("link.internal_missing", "999999"),
    ]


# -- admin screens ------------------------------------------------------------------------------
@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "lexadmin", "lex@example.test", "pw-lexadmin-123"
    )
    client.force_login(user)
    client.user = user
    return client


def test_the_lexicon_listing_offers_import_and_export(admin_client):
    response = admin_client.get(reverse("checks_lexicon:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "错敏词词库" in content
    assert reverse("checks_lexicon:import") in content
    assert reverse("checks_lexicon:export_xlsx") in content


def test_an_entry_added_in_the_admin_records_who_added_it(admin_client):
    response = admin_client.post(
        reverse("checks_lexicon:add"),
        {
            "word": "后台测试词",
            "category": "sensitive",
            "severity": "",
            "suggestion": "",
            "exceptions": "",
            "site": "",
            "active": "on",
            "note": "",
        },
    )
    assert response.status_code == 302
    entry = LexiconEntry.objects.get(word="后台测试词")
    assert entry.added_by == admin_client.user
    assert entry.severity == "block"


def test_importing_a_file_with_bad_rows_in_the_admin_shows_the_rows_and_changes_nothing(
    admin_client,
):
    before = LexiconEntry.objects.count()
    upload = io.BytesIO("好词测试\t敏感词\n\t错别字\n坏词\t无此类别\n".encode())
    upload.name = "words.txt"
    response = admin_client.post(
        reverse("checks_lexicon:import"), {"file": upload, "update_existing": "on"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "第 2 行" in content and "第 3 行" in content
    assert LexiconEntry.objects.count() == before


def test_importing_an_xlsx_in_the_admin_adds_the_words(admin_client):
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(["词语", "类别", "级别", "建议写法"])
    sheet.append(["表格测试词", "敏感词", "", ""])
    sheet.append(["错子", "错别字", "警告", "错字"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "words.xlsx"
    response = admin_client.post(
        reverse("checks_lexicon:import"), {"file": buffer, "update_existing": "on"}
    )
    assert response.status_code == 302
    assert set(
        LexiconEntry.objects.filter(added_by=admin_client.user).values_list("word", flat=True)
    ) == {
        "表格测试词",
        "错子",
    }


def test_the_export_downloads_as_xlsx_and_as_text(admin_client):
    response = admin_client.get(reverse("checks_lexicon:export_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    response = admin_client.get(reverse("checks_lexicon:export_txt"))
    assert response.content.decode().startswith("词语\t类别")


def test_an_editor_without_lexicon_permissions_cannot_import(client, portal: Portal):
    client.force_login(portal.editor_a)
    response = client.get(reverse("checks_lexicon:import"))
    assert response.status_code in (302, 403)
