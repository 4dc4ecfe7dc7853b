"""Text and links of HTML, with offsets into the source."""

from govportal.lib.htmltext import html_text, looks_like_html, plain_text_links


def source_of(source: str, text: str, offsets, needle: str) -> str:
    i = text.index(needle)
    start, end = offsets.span(i, i + len(needle))
    return source[start:end]


def test_text_spans_map_back_into_the_source_across_inline_tags():
    source = "<p>请按<b>装</b>软件</p>"
    result = html_text(source)
    assert "按装" in result.text
    assert source_of(source, result.text, result.offsets, "按装") == "按<b>装"


def test_an_entity_maps_back_to_the_whole_entity():
    source = "<p>&#25353;装 &amp; 其他</p>"
    result = html_text(source)
    assert "按装 & 其他" in result.text
    assert source_of(source, result.text, result.offsets, "按") == "&#25353;"


def test_block_elements_keep_paragraphs_apart():
    result = html_text("<p>按</p><p>装</p><div>甲<br>乙</div>")
    assert "按装" not in result.text
    assert "甲\n乙" in result.text


def test_scripts_and_styles_are_not_text_but_comments_and_alt_text_are():
    source = '<script>var a="机密";</script><style>p{}</style><!-- 内部资料 --><img src="/a.png" alt="示意图">'
    result = html_text(source)
    assert "机密" not in result.text
    assert "内部资料" in result.text
    assert source_of(source, result.text, result.offsets, "示意图") == "示意图"


def test_links_carry_their_value_span_and_decoded_url():
    source = '<a href="https://example.test/?a=1&amp;b=2">x</a><img src=/media/a.png>'
    links = html_text(source).links
    assert [link.url for link in links] == ["https://example.test/?a=1&b=2", "/media/a.png"]
    assert source[links[0].start : links[0].end] == "https://example.test/?a=1&amp;b=2"


def test_wagtail_rich_text_references_become_internal_targets():
    source = '<a linktype="page" id="12">页</a><embed embedtype="image" id="5" format="left"/>'
    assert [link.url for link in html_text(source).links] == ["page:12", "image:5"]


def test_broken_markup_does_not_stop_the_extraction():
    for source in [
        "<![foo bar]>文字",
        "<![ x",
        "<a href='x",
        "<p>未闭合",
        "</div></div>文字<",
        "&#xD800;&#99999999;",
    ]:
        html_text(source)  # no exception


def test_deeply_nested_elements_are_read_without_recursion():
    result = html_text("<div>" * 10_000 + "机密" + "</div>" * 10_000)
    assert "机密" in result.text


def test_plain_text_is_not_taken_for_html():
    assert not looks_like_html("a < b 且 c > d")
    assert looks_like_html("<p>段落</p>")
    assert looks_like_html("文字<BR>换行")


def test_web_addresses_in_plain_text_are_links():
    text = "详见 https://www.gov.cn/a?b=1。或访问 WWW.Example.test/x，谢谢"
    assert [link.url for link in plain_text_links(text)] == [
        "https://www.gov.cn/a?b=1",
        "WWW.Example.test/x",
    ]
