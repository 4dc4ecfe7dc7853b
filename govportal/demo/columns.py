"""The demo column tree: the six top columns of 第六条 and their subcolumns.

Each leaf says which genre of article it holds, how many, and how old its newest article is.
The deliberately stale and empty columns are marked STALE and EMPTY below and listed in
`STALE_COLUMNS` and `EMPTY_COLUMNS`: five stale columns are a 单项否决 of the national
indicators (栏目不更新: 不更新栏目累计达到5个), so the demo district's daily check comes out
不合格 until their units publish (the monitoring work's demo; see govportal/demo/supervision.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from govportal.core.freshness import UpdateFrequency as F
from govportal.demo.units import DEPARTMENTS, TOWNS

DAY = 1.0
WEEK = 7.0
MONTH = 30.0


@dataclass(frozen=True)
class ColumnSpec:
    slug: str
    title: str
    kind: str  # a seeded core.ColumnKind code
    units: tuple[str, ...]  # unit codes (see units.py); the first one signs its articles
    frequency: str
    description: str
    keywords: str
    genre: str | None = None  # article genre (text.TITLES); None: no articles
    articles: int = 0
    # Age (days) of the newest article: fresh columns get one inside their freshness class.
    # Weekend items move back up to six days, so 动态要闻 columns keep their newest within 6 days.
    newest: tuple[float, float] = (1 * DAY, 4 * DAY)
    oldest: float = 730 * DAY
    images: float = 0.0  # share of articles with a picture
    attachments: float = 0.0  # share of articles with an attachment
    reprints: int = 0  # how many of the articles are reprints (第八条(一): source site and URL)
    body: str = ""  # static text of 概况-type columns
    children: tuple[ColumnSpec, ...] = ()
    archived_topic: bool = False  # 第十五条: an old special topic, archived
    yearly_on: tuple[int, int] | None = None  # (month, day): one article a year on that date


C = ColumnSpec  # the tree below reads like a table

# The planted faults (slugs), with the unit that must fix each (see the tree):
# media 区委宣传部, social-assistance 区民政局, personnel 区人社局, culture-tourism 区文旅局,
# education-disclosure 区教育局 (stale); proposals 区政府办公室 (empty, so stale as well).
STALE_COLUMNS = (
    "media",
    "social-assistance",
    "personnel",
    "culture-tourism",
    "education-disclosure",
)
EMPTY_COLUMNS = ("proposals",)


ALL_DEPTS = tuple(DEPARTMENTS)
ALL_TOWNS = tuple(TOWNS)

PROFILE_OVERVIEW = """
<p>渭滨区是宝鸡市的中心城区之一，位于关中平原西端、秦岭北麓，渭河自西向东穿城而过。全区辖若干镇和街道办事处，是全市政治、经济、文化活动的重要区域。</p>
<p>近年来，渭滨区坚持工业强区、创新驱动，装备制造、钛及钛合金新材料等产业集聚发展，现代服务业和都市农业协调推进，城乡面貌持续改善。</p>
<p>（本站为演示网站，以上介绍为演示文字。）</p>
"""
PROFILE_HISTORY = """
<p>渭滨因地处渭河之滨而得名。境内历史文化遗存丰富，是周秦文化的重要发祥地之一。</p>
<p>新中国成立后，区域行政建制几经调整，逐步形成今天的行政区划格局。</p>
<p>（本站为演示网站，以上介绍为演示文字。）</p>
"""
PROFILE_DIVISIONS = """
<p>全区设石鼓镇、神农镇、马营镇、八鱼镇、高家镇五个镇，金陵、经二路、清姜、姜谭、桥南五个街道办事处。</p>
<p>各镇街下设社区和行政村，具体名录以民政部门公布为准。（演示数据）</p>
"""
PROFILE_GEOGRAPHY = """
<p>全区地势南高北低，南部为秦岭山地，中部为渭河河谷阶地，属暖温带大陆性季风气候，四季分明。</p>
<p>境内河流均属黄河流域渭河水系，主要有渭河及其支流清姜河等。（演示数据）</p>
"""
PROFILE_LEADERS = """
<h2>区政府领导分工</h2>
<ul>
<li>区长：主持区政府全面工作。</li>
<li>常务副区长：负责区政府常务工作，分管发展改革、财政、审计、统计等方面工作。</li>
<li>副区长：分管教育、卫生健康、民政、人力资源和社会保障等方面工作。</li>
<li>副区长：分管住房和城乡建设、城市管理、生态环境、交通等方面工作。</li>
</ul>
<p>（演示网站，不列姓名。）</p>
"""
MAILBOX_BODY = """
<p>区长信箱是群众向区政府反映问题、提出意见建议的渠道，由区数字化信息服务中心受理、转派和督办。</p>
<p>第十三条：对网民留言，力争当日有效回复，最晚答复时间不超过5个工作日。</p>
<p><a href="/mailbox/write/">我要写信</a> · <a href="/mailbox/query/">查询留言办理情况</a> · <a href="/mailbox/">已公开的来信与答复</a> · <a href="/mailbox/statistics/">来信统计</a></p>
"""
INTERVIEWS_BODY = """
<p>区政府各部门负责同志做客在线访谈，解读政策、回答网民提问。<a href="/interviews/">进入在线访谈（直播与文字实录）</a></p>
"""
SURVEYS_BODY = """
<p>就政策文件草案和民生事项公开征求意见、开展调查，结束后一个月内公布采纳情况。<a href="/surveys/">参与征集调查、查看结果反馈</a></p>
"""
FAQ_BODY = """
<p>常见问题来自群众来信的答复和部门提供的政策问答，定期复核更新。<a href="/knowledge/ask/">智能问答（7×24小时）</a> · <a href="/knowledge/">浏览知识库</a></p>
"""
REQUESTS_BODY = """
<p>公民、法人和其他组织可以向区政府及其部门申请获取政府信息（《中华人民共和国政府信息公开条例》第二十七条）。</p>
<p><a href="/disclosure/requests/">在线提交政府信息公开申请</a> · <a href="/disclosure/requests/lookup/">查询申请办理进度</a></p>
"""
ANNUAL_REPORTS_BODY = """
<p>区政府和各部门的政府信息公开工作年度报告。<a href="/reports/">查看全部年度报告（网页、Word、PDF）</a></p>
"""
NEW_MEDIA_BODY = """
<p>渭滨区人民政府政务微博、政务微信公众号由区数字化信息服务中心负责审核发布，及时发布权威信息、回应社会关切。</p>
<ul><li>政务微博：渭滨区人民政府（演示）</li><li>政务微信：渭滨区人民政府（演示）</li></ul>
"""
DISCLOSURE_BODY = """
<p>本平台按照《中华人民共和国政府信息公开条例》集中发布渭滨区政府信息，包括公开指南、公开制度、法定主动公开内容和公开年报。</p>
"""


TREE: tuple[ColumnSpec, ...] = (
    C("news", "新闻", "news", ("szzx",), F.DAILY, "全区综合性、重大新闻和各部门、各镇街工作动态。", "新闻,要闻,动态",
      children=(
        C("district-news", "渭滨要闻", "news", ("szzx", "rmt"), F.DAILY, "全区重要会议、重要活动、重大决策。", "渭滨要闻,重要会议,重大决策",
          genre="district", articles=110, newest=(0.2 * DAY, 2 * DAY), images=0.3),
        C("department-news", "部门动态", "news", ALL_DEPTS, F.WEEKLY, "区政府各部门工作动态。", "部门动态,工作动态",
          genre="department", articles=90, images=0.15),
        C("town-news", "镇街动态", "news", ALL_TOWNS, F.WEEKLY, "各镇、街道办事处工作动态。", "镇街动态,基层动态",
          genre="town", articles=80, images=0.15),
        C("photo-news", "图片新闻", "news", ("szzx", "rmt"), F.WEEKLY, "以图片为主的新闻报道。", "图片新闻",
          genre="photo", articles=30, newest=(2 * DAY, 6 * DAY), images=1.0),
        C("notices", "通知公告", "notice", ("zfb",), F.WEEKLY, "区政府及其办公室发布的通知、公告、公示。", "通知,公告,公示",
          genre="notice", articles=50, newest=(1 * DAY, 10 * DAY), attachments=0.35),
        # STALE: a 动态要闻 column whose newest item is two months old.
        C("media", "媒体聚焦", "news", ("xcb",), F.WEEKLY, "中央、省、市媒体对渭滨区的报道。", "媒体聚焦,媒体看渭滨",
          genre="media", articles=12, newest=(60 * DAY, 62 * DAY), reprints=12),
        C("upper", "上级信息", "news", ("szzx",), F.WEEKLY, "转载国务院和省、市政府门户网站发布的信息。", "上级信息,转载",
          genre="upper", articles=15, newest=(2 * DAY, 6 * DAY), reprints=15),
      )),
    C("affairs", "政务", "static", ("szzx",), F.AS_NEEDED, "政府信息公开、政策文件与解读、人事、规划、财政等政务信息。", "政务公开,政府信息公开",
      children=(
        C("disclosure", "政府信息公开", "static", ("szzx",), F.AS_NEEDED, "政府信息公开平台。", "政府信息公开", body=DISCLOSURE_BODY,
          children=(
            C("guide", "公开指南", "static", ("zfb",), F.YEARLY, "政府信息公开指南。", "公开指南",
              genre="disclosure_guide", articles=2, yearly_on=(1, 10), attachments=0.5),
            C("rules", "公开制度", "static", ("zfb",), F.AS_NEEDED, "政府信息公开工作制度。", "公开制度",
              genre="disclosure_rule", articles=4, newest=(40 * DAY, 200 * DAY)),
            C("proactive", "法定主动公开内容", "static", ("zfb", *ALL_DEPTS[:6]), F.MONTHLY, "机构职能、权责清单、行政执法等法定主动公开内容。", "主动公开,机构职能,权责清单",
              genre="proactive", articles=14, newest=(3 * DAY, 25 * DAY), attachments=0.3),
            C("annual-reports", "公开年报", "static", ("zfb",), F.YEARLY, "政府信息公开工作年度报告。", "公开年报,年度报告",
              genre="disclosure_report", articles=2, yearly_on=(1, 20), attachments=1.0, body=ANNUAL_REPORTS_BODY),
            C("requests", "依申请公开", "static", ("zfb",), F.AS_NEEDED, "依申请公开的办理流程和申请表。", "依申请公开",
              genre="disclosure_request", articles=2, newest=(50 * DAY, 300 * DAY), attachments=1.0, body=REQUESTS_BODY),
          )),
        C("policies", "政策文件", "policy", ("zfb",), F.MONTHLY, "区政府、区政府办公室和部门发布的政策文件。", "政策文件,规范性文件",
          children=(
            C("gov-documents", "区政府文件", "policy", ("zfb",), F.MONTHLY, "渭滨区人民政府文件。", "区政府文件,渭政发",
              genre="policy_gov", articles=15, newest=(5 * DAY, 40 * DAY), attachments=0.4),
            C("office-documents", "区政府办公室文件", "policy", ("zfb",), F.MONTHLY, "渭滨区人民政府办公室文件。", "区政府办公室文件,渭政办发",
              genre="policy_office", articles=15, newest=(5 * DAY, 40 * DAY), attachments=0.4),
            C("department-documents", "部门文件", "policy", ALL_DEPTS, F.MONTHLY, "区政府各部门发布的政策文件。", "部门文件",
              genre="policy_dept", articles=15, newest=(5 * DAY, 60 * DAY), attachments=0.3),
          )),
        C("interpretations", "政策解读", "policy", ("zfb", *ALL_DEPTS), F.MONTHLY, "政策文件的文字、图解解读。", "政策解读,图解",
          genre="interpretation", articles=16, newest=(5 * DAY, 40 * DAY), images=0.3),
        # STALE: a 人事 column (1-year class) whose newest item is fourteen months old.
        C("personnel", "人事信息", "plan", ("rsj",), F.QUARTERLY, "人事任免、公开招聘等信息。", "人事信息,招聘,任免",
          genre="personnel", articles=8, newest=(420 * DAY, 430 * DAY)),
        C("plans", "规划计划", "plan", ("fgj",), F.YEARLY, "国民经济和社会发展规划、年度计划和工作要点。", "规划计划,工作要点",
          genre="plan", articles=6, newest=(30 * DAY, 150 * DAY), attachments=0.5),
        C("finance", "财政资金", "plan", ("czj",), F.YEARLY, "政府预决算、部门预决算和政府债务信息。", "财政资金,预算,决算",
          genre="finance", articles=8, newest=(30 * DAY, 150 * DAY), attachments=0.6),
        C("key-areas", "重点领域信息公开", "static", ("szzx",), F.AS_NEEDED, "教育、医疗卫生、生态环境、安全生产、社会救助等重点领域信息。", "重点领域",
          children=(
            # STALE: a 通知公告 column whose newest item is about seven months old.
            C("education-disclosure", "教育领域", "notice", ("jyj",), F.MONTHLY, "教育领域信息公开。", "教育,招生",
              genre="area", articles=7, newest=(205 * DAY, 212 * DAY)),
            C("health-disclosure", "医疗卫生", "notice", ("wjj",), F.MONTHLY, "医疗卫生领域信息公开。", "医疗卫生",
              genre="area", articles=7, newest=(5 * DAY, 50 * DAY)),
            C("environment", "生态环境", "notice", ("slj", "nyj"), F.MONTHLY, "生态环境领域信息公开。", "生态环境,河湖长制",
              genre="area", articles=7, newest=(5 * DAY, 50 * DAY)),
            C("work-safety", "安全生产", "notice", ("yjj",), F.MONTHLY, "安全生产领域信息公开。", "安全生产,应急管理",
              genre="area", articles=7, newest=(5 * DAY, 50 * DAY)),
            # STALE: a 通知公告 column whose newest item is eight months old.
            C("social-assistance", "社会救助", "notice", ("mzj",), F.MONTHLY, "社会救助领域信息公开。", "社会救助,低保,临时救助",
              genre="area", articles=5, newest=(243 * DAY, 246 * DAY)),
          )),
        # EMPTY: a column with no content at all (栏目有、内容无).
        C("proposals", "建议提案办理", "plan", ("zfb",), F.YEARLY, "人大代表建议和政协委员提案办理结果。", "建议提案"),
        C("statistics", "统计信息", "plan", ("tjj",), F.MONTHLY, "主要经济指标和统计月报。", "统计信息,经济指标",
          genre="statistics", articles=14, newest=(5 * DAY, 25 * DAY), attachments=0.5),
        C("meetings", "政府会议", "notice", ("zfb",), F.MONTHLY, "区政府常务会议和专题会议。", "常务会议",
          genre="meeting_gov", articles=12, newest=(3 * DAY, 30 * DAY)),
      )),
    C("services", "服务", "service", ("xzsp",), F.AS_NEEDED, "办事指南和教育、医疗、社保、就业、住房等便民服务。", "服务,办事指南",
      children=(
        C("guides", "办事指南", "service", ("xzsp",), F.MONTHLY, "政务服务事项办事指南。", "办事指南,政务服务",
          genre="guide", articles=12, newest=(5 * DAY, 40 * DAY), attachments=0.5),
        C("convenience", "便民服务", "service", ("xzsp", "cgj"), F.MONTHLY, "便民服务信息。", "便民服务",
          genre="convenience", articles=8, newest=(5 * DAY, 40 * DAY)),
        C("education", "教育", "service", ("jyj",), F.MONTHLY, "入学、资助等教育服务。", "教育,入学",
          genre="education", articles=8, newest=(5 * DAY, 40 * DAY)),
        C("medical", "医疗卫生", "service", ("wjj", "jkzx"), F.MONTHLY, "医疗卫生服务。", "医疗,健康",
          genre="medical", articles=8, newest=(5 * DAY, 40 * DAY)),
        C("social-security", "社会保障", "service", ("rsj", "ybj"), F.MONTHLY, "养老、医疗保险等社会保障服务。", "社保,养老保险,医保",
          genre="social", articles=8, newest=(5 * DAY, 40 * DAY), attachments=0.3),
        C("employment", "就业创业", "service", ("rsj",), F.MONTHLY, "招聘会、创业扶持等就业服务。", "就业,创业",
          genre="employment", articles=8, newest=(5 * DAY, 40 * DAY), attachments=0.3),
        C("housing", "住房保障", "service", ("zjj",), F.QUARTERLY, "公租房、老旧小区改造等住房服务。", "住房保障,公租房",
          genre="housing", articles=6, newest=(5 * DAY, 60 * DAY)),
        C("enterprise", "企业服务", "service", ("scjgj", "swj", "kgj"), F.MONTHLY, "惠企政策和企业办事服务。", "企业服务,惠企政策",
          genre="enterprise", articles=8, newest=(5 * DAY, 40 * DAY), attachments=0.3),
      )),
    C("interaction", "互动", "interaction", ("szzx",), F.AS_NEEDED, "区长信箱、在线访谈、征集调查等政民互动。", "互动,区长信箱",
      children=(
        C("mailbox", "区长信箱", "interaction", ("szzx",), F.DAILY, "受理群众意见、建议、咨询、投诉。", "区长信箱,留言",
          genre="mailbox", articles=10, newest=(1 * DAY, 7 * DAY), body=MAILBOX_BODY),
        C("interviews", "在线访谈", "interaction", ("szzx",), F.QUARTERLY, "部门负责同志在线访谈。", "在线访谈",
          genre="interview", articles=8, newest=(10 * DAY, 60 * DAY), images=0.5, body=INTERVIEWS_BODY),
        C("surveys", "征集调查", "interaction", ("szzx", "zfb"), F.QUARTERLY, "意见征集和满意度调查及结果反馈。", "征集调查,意见征集",
          genre="survey", articles=8, newest=(10 * DAY, 60 * DAY), body=SURVEYS_BODY),
        C("faq", "常见问题", "interaction", ("szzx", "xzsp"), F.MONTHLY, "群众常见问题解答。", "常见问题,知识库",
          genre="faq", articles=12, newest=(5 * DAY, 30 * DAY), body=FAQ_BODY),
        C("new-media", "政务新媒体", "interaction", ("szzx",), F.AS_NEEDED, "政务微博、政务微信。", "政务微博,政务微信",
          body=NEW_MEDIA_BODY),
      )),
    C("profile", "区情", "static", ("szzx",), F.AS_NEEDED, "渭滨概况、历史沿革、行政区划等区情信息。", "区情,渭滨概况",
      children=(
        C("overview", "渭滨概况", "static", ("szzx",), F.YEARLY, "全区基本情况。", "渭滨概况", body=PROFILE_OVERVIEW),
        C("history", "历史沿革", "static", ("dag",), F.AS_NEEDED, "渭滨区历史沿革。", "历史沿革", body=PROFILE_HISTORY),
        C("divisions", "行政区划", "static", ("mzj",), F.YEARLY, "镇、街道办事处设置。", "行政区划,镇街", body=PROFILE_DIVISIONS),
        C("geography", "自然地理", "static", ("szzx",), F.AS_NEEDED, "地理位置、地形地貌、气候水文。", "自然地理", body=PROFILE_GEOGRAPHY),
        C("leaders", "领导之窗", "static", ("zfb",), F.AS_NEEDED, "区政府领导分工。", "领导之窗,领导分工", body=PROFILE_LEADERS),
        C("economy", "经济发展", "news", ("fgj", "tjj"), F.WEEKLY, "经济运行和产业发展动态。", "经济发展,产业",
          genre="economy", articles=12, newest=(1 * DAY, 5 * DAY), images=0.3),
        # STALE: a 动态要闻 column whose newest item is about four weeks old.
        C("culture-tourism", "文化旅游", "news", ("wlj",), F.WEEKLY, "文化活动和旅游资源。", "文化旅游,乡村旅游",
          genre="culture", articles=12, newest=(26 * DAY, 29 * DAY), images=0.5),
      )),
    C("specials", "专栏", "special", ("zfb",), F.AS_NEEDED, "专题宣传与专栏。", "专栏,专题",
      children=(
        C("business-environment", "优化营商环境", "special", ("zfb", "xzsp"), F.MONTHLY, "优化营商环境专题。", "营商环境",
          genre="special_business", articles=10, newest=(3 * DAY, 20 * DAY), images=0.3),
        C("rural-revitalization", "乡村振兴", "special", ("nyj", *ALL_TOWNS[:5]), F.MONTHLY, "乡村振兴专题。", "乡村振兴",
          genre="special_rural", articles=10, newest=(3 * DAY, 20 * DAY), images=0.3),
        C("work-safety-month", "安全生产月", "special", ("yjj",), F.AS_NEEDED, "“安全生产月”专题。", "安全生产月",
          genre="special_safety", articles=8, newest=(10 * DAY, 90 * DAY)),
        # ARCHIVED: an old topic, kept online and marked 已归档 (第十五条).
        C("civilized-city", "创建全国文明城市", "special", ("zfb",), F.AS_NEEDED, "创建全国文明城市专题（已结束）。", "文明城市",
          genre="special_civilization", articles=10, newest=(420 * DAY, 440 * DAY), oldest=700 * DAY,
          images=0.3, archived_topic=True),
      )),
)  # fmt: skip


def walk(specs: tuple[ColumnSpec, ...] = TREE) -> list[ColumnSpec]:
    out: list[ColumnSpec] = []
    for spec in specs:
        out.append(spec)
        out.extend(walk(spec.children))
    return out
