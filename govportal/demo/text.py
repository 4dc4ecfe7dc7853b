"""Demo article text: titles and bodies from templates × place, department and topic words.

All text here is written for this project in the ordinary register of a district portal
(关于……的通知, ……召开……会议, ……开展……活动). People appear only as titles (区政府主要负责同志,
李主任), never by name.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

TOPICS = [
    "安全生产", "优化营商环境", "乡村振兴", "城市更新", "生态环境保护", "防汛减灾",
    "森林防火", "垃圾分类", "文明城市创建", "民生实事", "招商引资", "重点项目建设",
    "耕地保护", "河湖长制", "食品安全", "消防安全", "燃气安全", "冬季供暖保障",
    "老旧小区改造", "就业帮扶", "养老服务", "义务教育优质均衡", "基层治理", "政务公开",
    "数字政府建设", "法治政府建设", "秸秆禁烧", "网络安全", "反电信网络诈骗", "双拥共建",
    "健康渭滨建设", "农村人居环境整治", "稳增长促消费", "安全隐患排查整治", "校园安全",
]  # fmt: skip

# (activity, the awareness it raises)
ACTIVITIES = [
    ("“安全生产月”集中宣传", "安全"),
    ("学雷锋志愿服务", "奉献"),
    ("全民国家安全教育日宣传", "国家安全"),
    ("消防安全进社区", "消防安全"),
    ("反电信网络诈骗宣传", "防骗"),
    ("文明交通劝导", "文明出行"),
    ("爱国卫生运动", "健康卫生"),
    ("“八五”普法宣传", "法治"),
    ("防灾减灾宣传", "防灾避险"),
    ("健康义诊进乡村", "健康"),
    ("敬老助老志愿服务", "尊老敬老"),
    ("惠民政策宣讲", "政策知晓"),
    ("人居环境集中整治", "环境卫生"),
    ("重阳节走访慰问", "尊老敬老"),
    ("食品安全宣传周", "食品安全"),
    ("禁毒宣传", "禁毒防毒"),
    ("垃圾分类进小区", "垃圾分类"),
    ("全民健身", "健康"),
    ("全民阅读分享", "读书"),
    ("防范非法集资宣传", "防范风险"),
    ("燃气安全入户检查", "用气安全"),
    ("“我为群众办实事”", "为民服务"),
]

MEETINGS = [
    "工作推进会", "专题会议", "动员部署会", "工作调度会", "现场观摩会", "工作座谈会",
    "联席会议", "工作总结会",
]  # fmt: skip

TRAININGS = [
    "政务公开业务培训", "网络安全培训", "应急救援演练", "业务能力提升培训", "安全生产培训",
    "信息报送培训", "保密知识培训", "统计业务培训",
]  # fmt: skip

PLANS = [
    "渭滨区优化营商环境三年行动方案",
    "渭滨区老旧小区改造实施方案",
    "渭滨区农村人居环境整治提升方案",
    "渭滨区促进消费若干措施",
    "渭滨区养老服务体系建设规划",
    "渭滨区突发事件总体应急预案",
    "渭滨区城市更新行动计划",
    "渭滨区防汛应急预案",
    "渭滨区数字政府建设实施方案",
    "渭滨区促进民营经济高质量发展若干措施",
    "渭滨区义务教育优质均衡发展实施方案",
    "渭滨区稳就业若干措施",
    "渭滨区政务公开工作要点",
    "渭滨区耕地保护专项整治方案",
    "渭滨区生活垃圾分类工作实施方案",
    "渭滨区安全生产治本攻坚行动方案",
    "渭滨区医疗卫生服务体系建设方案",
    "渭滨区文化旅游产业发展规划",
]

# (notice subject, the months it is published in; None: any month)
NOTICE_TOPICS: list[tuple[str, tuple[int, ...] | None]] = [
    ("做好{year}年度安全生产工作", (1, 2, 3)),
    ("开展{year}年度政府网站和政务新媒体自查", None),
    ("做好汛期安全防范工作", (5, 6, 7)),
    ("开展冬春火灾防控工作", (11, 12, 1)),
    ("做好{year}年春节期间有关工作", (1, 2)),
    ("开展城镇燃气安全专项检查", None),
    ("调整区政务服务中心窗口服务时间", (5, 9)),
    ("开展农村自建房安全隐患排查", None),
    ("做好秋冬季秸秆禁烧工作", (9, 10, 11)),
    ("开展第{n}个全国“安全生产月”活动", (5, 6)),
    ("组织开展防灾减灾宣传周活动", (5,)),
    ("做好{year}年度统计数据报送工作", None),
    ("开展政务服务事项梳理工作", None),
    ("加强校园周边环境综合治理", (2, 3, 8, 9)),
    ("做好高温天气防暑降温工作", (6, 7, 8)),
    ("开展食品安全专项抽检", None),
    ("做好{year_next_1}年度城乡居民医保参保缴费工作", (9, 10, 11, 12)),
    ("开展营商环境满意度调查", None),
]

PROJECTS = [
    "老旧小区改造项目", "高标准农田建设项目", "城市道路提升改造项目", "农村供水保障项目",
    "市政管网改造项目", "中央预算内投资项目", "以工代赈项目", "农村公路养护项目",
]  # fmt: skip


# The holiday a notice published in this month announces (放假安排 comes a few weeks ahead).
HOLIDAY_BY_MONTH = {
    12: "元旦",
    1: "春节",
    3: "清明节",
    4: "劳动节",
    5: "端午节",
    9: "中秋节、国庆节",
}

TOWN_TOPICS = [
    "乡村振兴", "人居环境整治", "基层治理", "安全隐患排查整治", "森林防火", "防汛减灾",
    "秸秆禁烧", "垃圾分类", "文明城市创建", "河湖长制", "耕地保护", "就业帮扶", "养老服务",
    "燃气安全", "消防安全", "民生实事",
]  # fmt: skip

SERVICE_ITEMS = [
    "个体工商户设立登记", "食品经营许可", "城乡居民养老保险参保登记", "最低生活保障申请",
    "残疾人两项补贴申领", "义务教育阶段入学登记", "公共场所卫生许可", "建筑工程施工许可",
    "临时救助申请", "高龄老人补贴申领", "医疗费用零星报销", "失业保险金申领",
    "创业担保贷款申请", "公共租赁住房申请", "退役军人优待证申领", "户外广告设置许可",
    "药品零售企业许可", "灵活就业人员社保登记",
]  # fmt: skip

CONVENIENCE = [
    "全区便民服务中心地址及服务时间", "城区公交线路优化调整", "冬季供暖报修电话",
    "区内免费公共厕所分布", "夜间便民药店名单", "社区卫生服务中心服务时间",
    "城区停车场收费标准", "自来水停水检修安排", "医保定点医药机构名单",
    "全区养老服务站点名录",
]  # fmt: skip

QUESTIONS = [
    "新生儿医保怎么办理", "社保卡丢失后如何补办", "个体工商户如何办理营业执照",
    "居住证到期了怎么续签", "城乡居民养老保险缴费档次有哪些", "如何申请临时救助",
    "高龄补贴申领需要哪些材料", "公租房申请需要满足什么条件", "义务教育阶段转学怎么办理",
    "失业保险金的领取条件是什么", "不动产登记需要预约吗", "灵活就业人员如何缴纳社保",
]  # fmt: skip

MAIL_SUBJECTS = [
    "小区路灯不亮", "背街小巷路面破损", "老旧小区加装电梯", "学校周边交通拥堵",
    "农贸市场环境卫生", "公交站台设置", "小区噪音扰民", "农村道路养护",
    "社区养老服务", "夜市油烟污染",
]  # fmt: skip

PERSONNEL_POSTS = ["社区工作者", "公益性岗位人员", "专职网格员", "乡村医生", "中小学教师", "专职消防队员"]  # fmt: skip

AUTHORS = ["李编辑", "王记者", "赵通讯员", "陈编辑", "刘记者", "张通讯员", "杨编辑", "黄记者"]  # fmt: skip

# Reprints (第八条(一)) come from the provincial and municipal portals: (site, its organ, URL).
REPRINT_SITES = [
    (
        "陕西省人民政府",
        "省政府",
        "http://www.shaanxi.gov.cn/xw/sxyw/{y}{m:02d}/t{y}{m:02d}{d:02d}_{n}.html",
    ),
    ("宝鸡市人民政府", "市政府", "http://www.baoji.gov.cn/site/1/html/126/131/{n}.htm"),
]


@dataclass
class Words:
    """The words one article is written from; title and body share them."""

    date: dt.datetime
    unit: str
    town: str
    topic: str
    town_topic: str
    activity: str
    awareness: str
    meeting: str
    training: str
    plan: str
    notice: str
    project: str
    holiday: str
    item: str
    convenience: str
    question: str
    mail: str
    post: str
    n: int
    extra: dict[str, str] = field(default_factory=dict)

    def fmt(self, template: str) -> str:
        return template.format(
            year=self.date.year,
            year_prev=self.date.year - 1,
            year_next=self.date.year + 2,
            quarter="一二三四"[(self.date.month - 1) // 3],
            stat_year=(self.date.replace(day=1) - dt.timedelta(days=1)).year,
            stat_month=(self.date.replace(day=1) - dt.timedelta(days=1)).month,
            month=self.date.month,
            day=self.date.day,
            unit=self.unit,
            unit_short=self.unit.removeprefix("区").removesuffix("人民政府"),
            town=self.town.removesuffix("人民政府").removesuffix("办事处"),
            topic=self.topic,
            town_topic=self.town_topic,
            activity=self.activity,
            awareness=self.awareness,
            meeting=self.meeting,
            training=self.training,
            plan=self.plan,
            notice=self.notice.format(
                year=self.date.year, year_next_1=self.date.year + 1, n=self.date.year - 2001
            ),
            project=self.project,
            holiday=self.holiday,
            item=self.item,
            convenience=self.convenience,
            question=self.question,
            mail=self.mail,
            post=self.post,
            n=self.n,
            **self.extra,
        )


def title_pick(rnd: random.Random, genre: str, words: Words) -> str:
    """A title of this genre; templates that need a holiday are skipped in other months."""
    templates = [t for t in TITLES[genre] if words.holiday or "{holiday}" not in t]
    return words.fmt(rnd.choice(templates))


def words_pick(rnd: random.Random, *, date: dt.datetime, unit: str, town: str) -> Words:
    activity, awareness = rnd.choice(ACTIVITIES)
    return Words(
        date=date,
        unit=unit,
        town=town,
        topic=rnd.choice(TOPICS),
        town_topic=rnd.choice(TOWN_TOPICS),
        activity=activity,
        awareness=awareness,
        meeting=rnd.choice(MEETINGS),
        training=rnd.choice(TRAININGS),
        plan=rnd.choice(PLANS),
        notice=rnd.choice(
            [t for t, months in NOTICE_TOPICS if months is None or date.month in months]
        ),
        project=rnd.choice(PROJECTS),
        holiday=HOLIDAY_BY_MONTH.get(date.month, ""),
        item=rnd.choice(SERVICE_ITEMS),
        convenience=rnd.choice(CONVENIENCE),
        question=rnd.choice(QUESTIONS),
        mail=rnd.choice(MAIL_SUBJECTS),
        post=rnd.choice(PERSONNEL_POSTS),
        n=rnd.randint(2, 30),
    )


# --- Titles per genre ---------------------------------------------------------------------------

TITLES: dict[str, list[str]] = {
    "district": [
        "区政府召开{topic}{meeting}",
        "全区{topic}{meeting}召开",
        "区政府主要负责同志调研{topic}工作",
        "区政府常务会议研究部署{topic}等工作",
        "我区扎实推进{topic}工作",
        "我区{topic}工作取得阶段性成效",
        "区政府负责同志督导检查{topic}工作",
        "我区召开{month}月份重点工作调度会",
        "全区{topic}暨{activity}启动仪式举行",
        "我区以“{topic}”为抓手推动高质量发展",
    ],
    "department": [
        "{unit}开展{activity}活动",
        "{unit}召开{topic}{meeting}",
        "{unit}举办{training}",
        "{unit}扎实推进{topic}工作",
        "{unit}多措并举做好{topic}工作",
        "{unit}组织开展{topic}专项检查",
        "{unit}召开{year}年度党风廉政建设工作会议",
        "{unit}开展“我为群众办实事”主题党日活动",
    ],
    "town": [
        "{town}开展{activity}活动",
        "{town}扎实推进{town_topic}工作",
        "{town}召开{town_topic}{meeting}",
        "{town}多举措做好{town_topic}工作",
        "{town}：“小网格”撬动基层治理“大能量”",
        "{town}开展{town_topic}集中攻坚行动",
        "{town}举办{training}",
        "{town}以{town_topic}为抓手提升群众获得感",
    ],
    "photo": [
        "图片新闻｜{town}{activity}现场",
        "图片新闻｜{unit}开展{activity}",
        "图片新闻｜渭河沿岸生态景观带初具规模",
        "图片新闻｜{town}田间地头忙生产",
        "图片新闻｜{town}{town_topic}工作现场掠影",
    ],
    "notice": [
        "关于{notice}的通知",
        "关于{holiday}放假安排的通知",
        "关于{notice}的通知",
        "关于{topic}有关事项的公告",
        "{unit}关于{notice}的通知",
        "关于{year}年度{project}的公示",
    ],
    "media": [
        "{site}：渭滨区{topic}工作走在前列",
        "{site}关注渭滨：{town}{activity}",
        "{site}报道渭滨区{topic}经验做法",
    ],
    "upper": [
        "{organ}常务会议研究部署{topic}等工作",
        "{organ}召开{topic}{meeting}",
        "{organ}部署{topic}重点工作",
    ],
    "policy_gov": ["渭滨区人民政府关于印发《{plan}》的通知", "渭滨区人民政府关于{notice}的通知"],
    "policy_office": [
        "渭滨区人民政府办公室关于印发《{plan}》的通知",
        "渭滨区人民政府办公室关于{notice}的通知",
    ],
    "policy_dept": ["{unit}关于印发《{topic}工作实施细则》的通知", "{unit}关于{notice}的通知"],
    "interpretation": [
        "《{plan}》政策解读",
        "图解：《{plan}》",
        "一图读懂《{plan}》",
        "{unit}负责同志解读《{plan}》",
    ],
    "personnel": [
        "{unit}{year}年公开招聘{post}公告",
        "渭滨区人民政府关于工作人员任免的通知",
        "{unit}{year}年公开招聘{post}拟聘用人员公示",
        "{unit}{year}年公开招聘{post}资格复审公告",
    ],
    "plan": [
        "渭滨区{year}年国民经济和社会发展计划",
        "{unit}{year}年工作要点",
        "{unit}{year}年工作总结",
        "《{plan}》（{year}—{year_next}年）",
    ],
    "finance": [
        "渭滨区{year}年部门预算公开说明",
        "渭滨区{year_prev}年度区级决算公开",
        "{unit}{year}年部门预算",
        "渭滨区{year}年政府债务限额及余额情况",
    ],
    "statistics": [
        "渭滨区{stat_year}年{stat_month}月主要经济指标",
        "渭滨区{stat_year}年{stat_month}月统计月报",
    ],
    "meeting_gov": ["区政府第{n}次常务会议召开", "区政府召开专题会议研究{topic}工作"],
    "area": [
        "{unit}关于{topic}工作情况的通报",
        "{unit}{year}年{topic}工作方案",
        "关于{year}年第{quarter}季度{topic}检查情况的通报",
    ],
    "disclosure_rule": [
        "{unit}政府信息公开工作制度",
        "渭滨区政府信息公开保密审查制度",
        "渭滨区政府信息主动公开工作规范",
    ],
    "disclosure_guide": ["渭滨区人民政府信息公开指南（{year}年版）"],
    "disclosure_report": ["渭滨区人民政府{year_prev}年政府信息公开工作年度报告"],
    "disclosure_request": ["渭滨区政府信息依申请公开办理流程", "政府信息公开申请表（样表）"],
    "proactive": [
        "{unit}机构职能",
        "{unit}{year}年行政执法统计年报",
        "{unit}权责清单",
        "渭滨区{year}年重大行政决策事项目录",
    ],
    "guide": ["{item}办事指南"],
    "convenience": ["{convenience}"],
    "education": [
        "渭滨区{year}年秋季义务教育阶段招生入学公告",
        "区教育局关于{holiday}假期学生安全的提示",
        "区教育局关于开展{activity}活动的通知",
        "渭滨区{year}年学前教育资助政策问答",
    ],
    "medical": [
        "区卫生健康局关于开展{activity}的公告",
        "区疾病预防控制中心发布{month}月健康提示",
        "渭滨区家庭医生签约服务指南",
        "渭滨区{year}年免费健康体检安排",
    ],
    "social": [
        "渭滨区{year}年度城乡居民基本养老保险缴费通知",
        "关于开展{year}年社保待遇领取资格认证的通知",
        "渭滨区{year}年城乡居民医保参保指南",
        "区人力资源和社会保障局关于{notice}的通知",
    ],
    "employment": [
        "渭滨区{year}年“春风行动”专场招聘会公告",
        "创业担保贷款申请指南",
        "渭滨区{year}年{month}月岗位信息汇总",
        "高校毕业生就业见习补贴政策问答",
    ],
    "housing": [
        "公共租赁住房申请指南",
        "渭滨区{year}年老旧小区改造项目公示",
        "{year}年第{quarter}批公租房配租结果公示",
    ],
    "enterprise": [
        "渭滨区惠企政策汇编（{year}年版）",
        "小微企业减税降费政策问答",
        "{unit}关于组织申报{year}年{topic}扶持资金的通知",
    ],
    "mailbox": ["关于{mail}问题的答复", "关于反映{mail}问题的回复"],
    "interview": ["{unit}负责同志做客在线访谈谈{topic}", "在线访谈：聚焦{topic}"],
    "survey": [
        "关于征集《{plan}》意见建议的公告",
        "渭滨区{topic}群众满意度调查",
        "《{plan}》意见征集结果反馈",
    ],
    "faq": ["{question}？"],
    "economy": [
        "我区{year}年{month}月经济运行总体平稳",
        "我区{year}年第{quarter}季度重点项目集中开工",
        "{town}特色产业带动群众增收",
    ],
    "culture": [
        "渭滨区{year}年{holiday}文化活动精彩纷呈",
        "渭滨区“我们的节日”系列文化活动精彩纷呈",
        "{town}乡村旅游持续升温",
        "渭滨区推出{n}条精品旅游线路",
    ],
    "special_business": [
        "我区出台{n}条措施持续优化营商环境",
        "“局长走流程”活动在{unit}开展",
        "{unit}推行“一件事一次办”",
        "营商环境专题：{unit}服务企业再提速",
    ],
    "special_rural": [
        "{town}发展特色种植助力乡村振兴",
        "{town}推进{town_topic}见实效",
        "乡村振兴专题：{town}人居环境换新颜",
        "{town}村集体经济再上新台阶",
    ],
    "special_safety": [
        "“安全生产月”：{unit}开展{activity}",
        "{town}组织开展安全生产应急演练",
        "安全生产月专题：{unit}排查整治安全隐患",
    ],
    "special_civilization": [
        "创建全国文明城市：{town}开展{activity}",
        "文明城市创建专题：{unit}在行动",
        "{town}持续巩固文明创建成果",
    ],
}


# --- Bodies -------------------------------------------------------------------------------------

NEWS_OPENINGS = [
    "{month}月{day}日，{subject}召开{topic}{meeting}，总结前一阶段工作，安排部署下一步重点任务。",
    "近日，{subject}深入一线调研{topic}工作，实地查看工作进展，听取有关情况汇报。",
    "为进一步推动{topic}工作落细落实，{month}月{day}日，{subject}组织开展{activity}活动。",
    "{month}月{day}日，{subject}举办{training}，各相关单位业务骨干参加。",
    "今年以来，{subject}坚持问题导向，聚焦{topic}重点任务，多措并举推动各项工作取得实效。",
]
NEWS_MIDDLES = [
    "会议指出，{topic}工作事关群众切身利益和全区发展大局，各单位要进一步提高思想认识，压紧压实工作责任，确保各项任务落到实处。",
    "会议强调，要坚持问题导向，聚焦{topic}中的薄弱环节，建立问题台账，明确整改时限，逐项抓好落实。",
    "据了解，今年以来，围绕{topic}累计开展专项检查{n}次，排查整改问题{m}个，群众满意度持续提升。",
    "活动现场，工作人员通过发放宣传资料、现场讲解、答疑解惑等方式，向群众普及相关知识，共发放宣传资料{k}余份。",
    "此次活动进一步增强了群众的{awareness}意识，营造了全社会共同参与的良好氛围。",
    "与会人员围绕{topic}中存在的困难和问题进行了深入交流，并就下一步工作提出意见建议。",
    "在调研中，相关负责同志详细了解项目进展、存在困难和下步打算，要求各相关单位强化协调联动，全力保障工作顺利推进。",
    "培训采取专题授课、案例分析和现场答疑相结合的方式，内容贴近实际、针对性强，参训人员纷纷表示收获很大。",
    "各镇街、各部门要加强协作配合，形成工作合力，确保{topic}各项目标任务按期完成。",
]
NEWS_CLOSINGS = [
    "下一步，{subject}将持续巩固工作成果，健全长效机制，推动{topic}工作取得更大成效。",
    "下一步，{subject}将以此次活动为契机，常态化开展{awareness}宣传教育，切实守护群众安全。",
    "据悉，相关工作将纳入年度目标责任考核，确保抓实抓细、见到实效。",
]

NOTICE_PARAGRAPHS = [
    "各镇人民政府、街道办事处，区政府各部门，区直各单位：",
    "为切实做好{topic}工作，根据上级有关要求，结合我区实际，现将有关事项通知如下：",
    "一、工作目标。以保障人民群众生命财产安全为根本，全面排查、限期整改，确保{topic}各项工作责任到位、措施到位。",
    "二、工作任务。各单位要对照职责，于{month}月底前完成自查，建立问题清单、责任清单和整改清单，并将有关情况报送区政府办公室。",
    "三、工作要求。各单位要高度重视，明确分管领导和具体联系人，加强信息报送，对工作推进不力的单位将予以通报。",
    "联系人：{contact}，联系电话：{phone}。",
]

POLICY_PARAGRAPHS = [
    "各镇人民政府、街道办事处，区政府各部门，区直各单位：",
    "《{plan}》已经区政府同意，现印发给你们，请结合实际认真贯彻落实。",
    "为深入贯彻落实党中央、国务院和省、市有关决策部署，结合我区实际，制定本方案。",
    "一、总体要求。坚持以人民为中心的发展思想，坚持问题导向和目标导向，统筹推进各项工作。",
    "二、主要任务。（一）完善工作机制；（二）强化要素保障；（三）加强督促检查；（四）做好宣传引导。",
    "三、保障措施。各单位要加强组织领导，细化工作措施，明确责任分工，确保各项任务落地见效。",
]

INTERPRETATION_PARAGRAPHS = [
    "一、制定背景。为贯彻落实上级有关部署，解决我区{topic}中的突出问题，区政府研究制定了《{plan}》。",
    "二、主要内容。《{plan}》共分为总体要求、主要任务、保障措施三个部分，提出了{n}项具体措施。",
    "三、创新举措。方案突出问题导向，明确了责任单位和完成时限，建立了定期调度和通报机制。",
    "四、解读机关及联系方式。解读机关：{unit}；联系电话：{phone}。",
]

SERVICE_PARAGRAPHS = [
    "一、事项名称：{item}。",
    "二、设定依据：相关法律、法规和规章的规定。",
    "三、办理条件：申请人符合规定条件，提交材料齐全、符合法定形式。",
    "四、申请材料：申请表（原件1份）、有效身份证明（核验）及其他相关证明材料。",
    "五、办理流程：申请—受理—审核—办结，全程可在线办理。",
    "六、办理时限：法定时限20个工作日，承诺时限{n}个工作日。",
    "七、收费标准：不收费。",
    "八、办理地点：渭滨区政务服务中心一楼综合受理窗口。办理时间：工作日上午9:00—12:00，下午13:30—17:30（夏季14:00—18:00）。",
    "九、咨询电话：{phone}。",
]

STATIC_REPLY = [
    "您反映的{mail}问题已收悉。经属地镇街和相关部门现场核实，情况基本属实。",
    "目前，相关单位已制定整改方案，计划于本月内完成整改，届时问题将得到解决。",
    "感谢您对我区工作的关心和支持。如有疑问，请拨打{phone}咨询。",
]

FAQ_PARAGRAPHS = [
    "答：可通过陕西政务服务网（渭滨区）在线办理，也可携带有关材料到区政务服务中心综合窗口办理。",
    "办理所需材料、办理时限等详见“服务”栏目办事指南。咨询电话：{phone}。",
]


def _fill(template: str, words: Words, extra: dict[str, object]) -> str:
    return template.format(
        month=words.date.month,
        day=words.date.day,
        topic=words.topic,
        meeting=words.meeting,
        activity=words.activity,
        awareness=words.awareness,
        training=words.training,
        plan=words.plan,
        item=words.item,
        mail=words.mail,
        unit=words.unit,
        n=words.n,
        **extra,
    )


def body_paragraphs(
    rnd: random.Random, genre: str, words: Words, *, subject: str, contact: str, phone: str
) -> list[str]:
    """A few paragraphs in the register of the genre."""
    extra: dict[str, object] = {
        "subject": subject,
        "contact": contact,
        "phone": phone,
        "m": rnd.randint(5, 120),
        "k": rnd.randint(2, 30) * 100,
    }
    if genre in {"notice", "area", "social", "education", "medical", "housing", "employment"}:
        chosen = NOTICE_PARAGRAPHS
    elif genre.startswith("policy") or genre in {"plan", "finance", "disclosure_rule", "proactive"}:
        chosen = POLICY_PARAGRAPHS
    elif genre in {"interpretation", "enterprise", "survey"}:
        chosen = INTERPRETATION_PARAGRAPHS
    elif genre in {"guide", "convenience", "disclosure_guide", "disclosure_request"}:
        chosen = SERVICE_PARAGRAPHS
    elif genre == "mailbox":
        chosen = STATIC_REPLY
    elif genre == "faq":
        chosen = FAQ_PARAGRAPHS
    else:
        chosen = [
            rnd.choice(NEWS_OPENINGS),
            *rnd.sample(NEWS_MIDDLES, k=rnd.randint(2, 3)),
            rnd.choice(NEWS_CLOSINGS),
        ]
    return [_fill(p, words, extra) for p in chosen]
