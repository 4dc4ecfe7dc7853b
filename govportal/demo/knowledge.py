"""Demo data for 知识库与智能问答 (第十条(二)). Called once from builder._build (see
builder.DemoWorld).

About 250 entries written from templates over the matters a district answers most (入学, 社保,
医保, 户籍, 营业执照, 公积金, 低保, 不动产登记, 就业, 退役军人): each matter has its fictional
details (materials, place, time limit, fee, conditions), and each entry asks one thing about it.
Some entries are past their validity date (待复核), some came from answered mailbox letters, and
a few questions the bot could not answer are logged for the editors. Phone numbers are
fictional 0917-32xxxxx office lines; no person is named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from govportal.interaction.knowledge import bot
from govportal.interaction.models import KnowledgeEntry, KnowledgeTopic, UnansweredQuestion

if TYPE_CHECKING:
    from govportal.demo.builder import DemoWorld


@dataclass(frozen=True)
class Matter:
    name: str
    unit: str  # demo unit code
    materials: str
    place: str
    days: str
    fee: str
    condition: str
    online: str
    keywords: str = ""


TOPICS: list[tuple[str, str, list[Matter]]] = [
    (
        "入学",
        "ruxue",
        [
            Matter(
                "小学一年级新生入学报名",
                "jyj",
                "户口簿、法定监护人身份证、不动产权证书或购房合同（租房的提供租赁合同和居住证）、"
                "儿童出生医学证明",
                "划片学校报名点或“渭滨教育”网上报名平台",
                "每年7月上旬集中报名，7月底前公布录取结果",
                "义务教育阶段报名不收取任何费用",
                "当年8月31日前年满6周岁、在本区学区内有户籍或稳定居所的适龄儿童",
                "可在网上报名平台填报并上传材料，现场审核一次即可",
                "上学,小学报名,一年级,划片",
            ),
            Matter(
                "随迁子女入学",
                "jyj",
                "父母一方的居住证、劳动合同或营业执照、租赁合同、户口簿和儿童出生医学证明",
                "居住地所在学区的学校或区教育局招生办公室",
                "报名后15个工作日内统筹安排学位",
                "不收取借读费等任何费用",
                "父母一方在本区稳定就业并居住满6个月",
                "可网上提交材料，区教育局统筹安排学位后短信通知",
                "外地孩子上学,进城务工,借读",
            ),
            Matter(
                "转学",
                "jyj",
                "转学申请表、转出学校学籍证明、新住址证明",
                "拟转入学校教务处",
                "转入学校确认有学位后5个工作日内办结",
                "不收费",
                "因户籍迁移、家庭搬迁等原因需要转学，且转入学校有空余学位",
                "学籍转接在全国中小学生学籍系统内办理，家长无需另跑",
                "转校,学籍",
            ),
            Matter(
                "幼儿园报名",
                "jyj",
                "户口簿、儿童预防接种证、出生医学证明",
                "各公办幼儿园",
                "每年6月报名，7月中旬公布结果",
                "保教费按物价部门核定标准收取，报名不收费",
                "当年8月31日前年满3周岁的适龄幼儿",
                "部分公办幼儿园可网上预报名",
                "上幼儿园,入园",
            ),
            Matter(
                "家庭经济困难学生资助申请",
                "jyj",
                "资助申请表、低保证或特困供养证等困难证明",
                "就读学校学生资助工作办公室",
                "每学期开学后一个月内集中受理",
                "不收费",
                "家庭经济困难、在本区就读的学生",
                "由学校统一受理，家长无需到教育局",
                "助学金,资助,贫困生",
            ),
        ],
    ),
    (
        "社保",
        "shebao",
        [
            Matter(
                "灵活就业人员参加养老保险",
                "rsj",
                "身份证、户口簿",
                "区政务服务中心社保窗口",
                "即时办结",
                "缴费基数在规定上下限之间自选，参保登记不收费",
                "年满16周岁、未参加职工养老保险的个体工商户和灵活就业人员",
                "可通过“陕西养老保险”手机端或政务服务网办理",
                "个人交社保,自由职业,灵活就业",
            ),
            Matter(
                "社保卡补办",
                "rsj",
                "身份证",
                "合作银行网点或区政务服务中心社保卡窗口",
                "银行网点即时制卡的当场领取，其余10个工作日内",
                "补办工本费按省定标准收取，首次申领免费",
                "社保卡遗失或损坏的参保人员",
                "可在“电子社保卡”先挂失，再到网点补办",
                "社会保障卡,丢了,挂失",
            ),
            Matter(
                "失业保险金申领",
                "rsj",
                "身份证、解除劳动合同证明",
                "区政务服务中心就业社保窗口",
                "受理后5个工作日内审核发放",
                "不收费",
                "非因本人意愿中断就业、缴纳失业保险满1年并已办理失业登记",
                "可通过政务服务网或“就业陕西”手机端申领",
                "失业金,下岗",
            ),
            Matter(
                "办理退休手续",
                "rsj",
                "身份证、户口簿、人事档案",
                "区社会保险经办中心",
                "符合条件的20个工作日内核定待遇",
                "不收费",
                "达到法定退休年龄且养老保险累计缴费满15年",
                "可网上预审，档案须现场提交",
                "退休,养老金,退休金",
            ),
            Matter(
                "养老保险关系转移接续",
                "rsj",
                "身份证、参保缴费凭证",
                "转入地社会保险经办机构",
                "受理后15个工作日内完成",
                "不收费",
                "跨省或跨统筹区流动就业的参保人员",
                "可在国家社会保险公共服务平台网上申请",
                "社保转移,转社保",
            ),
        ],
    ),
    (
        "医保",
        "yibao",
        [
            Matter(
                "城乡居民医保缴费",
                "ybj",
                "身份证或户口簿",
                "所在镇（街道）便民服务中心或合作银行",
                "集中缴费期为每年9月至12月",
                "个人缴费标准以当年公布的为准",
                "未参加职工医保的城乡居民",
                "可通过“陕西税务”手机端、微信或银行手机端缴费",
                "交医保,新农合,居民医保",
            ),
            Matter(
                "异地就医备案",
                "ybj",
                "医保电子凭证或身份证",
                "区医疗保障局经办窗口",
                "网上备案即时生效",
                "不收费",
                "长期异地居住、异地工作或转诊到外地就医的参保人员",
                "可通过“国家医保服务平台”手机端办理",
                "外地看病,跨省就医",
            ),
            Matter(
                "门诊慢特病待遇认定",
                "ybj",
                "申请表、二级以上医院诊断证明和相关检查报告",
                "定点医疗机构或区医疗保障局窗口",
                "每月集中认定一次，结果次月生效",
                "不收费",
                "患有规定病种的参保人员",
                "部分病种可在定点医院直接申报",
                "慢性病,特殊病,慢病",
            ),
            Matter(
                "医疗费用手工报销",
                "ybj",
                "身份证、医疗费用发票、费用清单和出院记录",
                "区医疗保障局经办窗口",
                "材料齐全的20个工作日内支付",
                "不收费",
                "因急诊等原因未能直接结算的参保人员",
                "可在政务服务网上传材料预审",
                "报销,看病报销,医药费",
            ),
            Matter(
                "新生儿参加医保",
                "ybj",
                "户口簿或出生医学证明",
                "所在镇（街道）便民服务中心",
                "即时办结",
                "按当年城乡居民个人缴费标准缴费",
                "出生后在本区落户或随父母参保的新生儿",
                "可通过“新生儿出生一件事”一次办理",
                "宝宝医保,新生儿",
            ),
        ],
    ),
    (
        "户籍",
        "huji",
        [
            Matter(
                "新生儿落户",
                "gaj",
                "出生医学证明、父母户口簿和结婚证",
                "父母一方户籍所在地派出所户籍窗口",
                "材料齐全的当场办结",
                "不收费",
                "父母一方为本区户籍",
                "可通过“新生儿出生一件事”网上申请",
                "上户口,报户口,宝宝落户",
            ),
            Matter(
                "户口迁入",
                "gaj",
                "身份证、户口簿、房屋产权证明或就业证明",
                "拟迁入地派出所",
                "符合条件的5个工作日内办结",
                "不收费",
                "在本区有合法稳定住所或稳定就业",
                "可在公安政务服务平台网上申请，跨省迁移“一站式”办理",
                "迁户口,落户,户口迁移",
            ),
            Matter(
                "居住证办理",
                "gaj",
                "身份证、居住地住址证明（租赁合同或房产证明）",
                "居住地派出所",
                "受理后15日内发证",
                "首次申领免费",
                "离开常住户口所在地，在本区居住半年以上",
                "可通过公安政务服务平台网上申报",
                "暂住证,居住登记",
            ),
            Matter(
                "身份证补办",
                "gaj",
                "户口簿，本人到场采集照片和指纹",
                "户籍所在地或任一派出所户籍窗口",
                "60日内制证，急需的可申请临时身份证",
                "按规定标准收取工本费",
                "身份证遗失或损坏",
                "可网上预约，须本人到场",
                "身份证丢了,身份证挂失",
            ),
        ],
    ),
    (
        "营业执照",
        "yyzz",
        [
            Matter(
                "个体工商户设立登记",
                "scjgj",
                "经营者身份证、经营场所使用证明",
                "区政务服务中心市场监管窗口",
                "材料齐全的当场办结",
                "不收费",
                "有经营能力的自然人",
                "可通过“陕西市场主体登记”平台全程网办",
                "开店,办执照,个体户",
            ),
            Matter(
                "公司设立登记",
                "scjgj",
                "公司章程、股东身份证明、住所使用证明",
                "区政务服务中心企业开办专区",
                "企业开办一日办结",
                "不收费，免费刻制首套印章",
                "符合公司法规定的设立条件",
                "可通过企业开办“一网通办”平台全程网办",
                "注册公司,开公司,企业开办",
            ),
            Matter(
                "营业执照变更",
                "scjgj",
                "变更登记申请书、相关变更证明文件",
                "区政务服务中心市场监管窗口",
                "材料齐全的当场办结",
                "不收费",
                "名称、住所、经营范围等登记事项发生变化",
                "可网上申请，电子营业执照同步更新",
                "改执照,变更登记",
            ),
            Matter(
                "营业执照注销",
                "scjgj",
                "注销登记申请书、清税证明",
                "区政务服务中心市场监管窗口",
                "简易注销公示期满后当场办结",
                "不收费",
                "停止经营且已结清债权债务",
                "可通过注销“一网服务”平台申请",
                "关店,注销执照,不干了",
            ),
            Matter(
                "食品经营许可证办理",
                "scjgj",
                "申请书、经营场所平面图、食品安全管理制度",
                "区政务服务中心市场监管窗口",
                "10个工作日内作出决定",
                "不收费",
                "有与经营食品相适应的场所和设备",
                "可网上申请，现场核查后发证",
                "开饭店,卖食品,食品许可",
            ),
        ],
    ),
    (
        "公积金",
        "gjj",
        [
            Matter(
                "住房公积金提取",
                "zjj",
                "身份证、购房合同或租赁合同、银行卡",
                "住房公积金管理部渭滨服务窗口",
                "材料齐全的当日到账",
                "不收费",
                "购买、建造、翻修自住住房或租房、退休等情形",
                "可通过公积金手机端线上提取",
                "取公积金,公积金取出来",
            ),
            Matter(
                "住房公积金贷款",
                "zjj",
                "身份证、婚姻证明、购房合同、收入证明",
                "住房公积金管理部贷款窗口",
                "受理后15个工作日内审批",
                "不收取手续费",
                "连续足额缴存公积金满6个月",
                "可网上预审，面签须到现场",
                "公积金买房,公积金贷款",
            ),
            Matter(
                "租房提取住房公积金",
                "zjj",
                "身份证、租赁合同（无房证明由系统核验）",
                "线上办理或服务窗口",
                "每季度可提取一次，当日到账",
                "不收费",
                "本人及配偶在本市无自有住房且租房居住",
                "可通过公积金手机端办理",
                "租房取公积金",
            ),
        ],
    ),
    (
        "低保",
        "dibao",
        [
            Matter(
                "城乡最低生活保障申请",
                "mzj",
                "身份证、户口簿、家庭收入和财产情况说明、授权核对书",
                "户籍所在地镇人民政府或街道办事处",
                "受理后30个工作日内作出审核确认决定",
                "不收费",
                "家庭人均收入低于当地低保标准，且家庭财产符合规定",
                "可通过“陕西社会救助”手机端网上申请",
                "低保,吃低保,困难补助",
            ),
            Matter(
                "特困人员救助供养申请",
                "mzj",
                "身份证、户口簿、无劳动能力证明",
                "户籍所在地镇人民政府或街道办事处",
                "受理后20个工作日内作出决定",
                "不收费",
                "无劳动能力、无生活来源、无法定赡养抚养扶养义务人的老年人、残疾人和未成年人",
                "可由村（居）委会代为申请",
                "五保,特困供养",
            ),
            Matter(
                "临时救助申请",
                "mzj",
                "身份证、遭遇困难的相关证明",
                "户籍所在地或经常居住地镇人民政府、街道办事处",
                "急难情形先行救助，一般情形10个工作日内办结",
                "不收费",
                "因突发事件、意外伤害、重大疾病等导致基本生活暂时困难",
                "可网上申请，急难情形可直接到镇街求助",
                "急难救助,临时困难",
            ),
            Matter(
                "高龄补贴申领",
                "mzj",
                "身份证、户口簿、银行卡",
                "户籍所在地社区（村）或镇街便民服务中心",
                "次月起按月发放",
                "不收费",
                "年满80周岁的本区户籍老年人",
                "可由家属代办，部分社区上门办理",
                "老人补贴,高龄津贴,80岁",
            ),
        ],
    ),
    (
        "不动产登记",
        "bdc",
        [
            Matter(
                "二手房转移登记",
                "xzsp",
                "买卖双方身份证、不动产权证书、买卖合同、完税凭证",
                "区不动产登记服务大厅",
                "材料齐全的3个工作日内办结",
                "登记费按规定标准收取",
                "房屋权属清晰、无查封抵押限制",
                "可网上预约和预审，“交房即交证”“带押过户”同步办理",
                "过户,买二手房,房产证过户",
            ),
            Matter(
                "不动产权证书补发",
                "xzsp",
                "身份证、遗失声明",
                "区不动产登记服务大厅",
                "公告期满后5个工作日内",
                "工本费按规定收取",
                "不动产权证书遗失或灭失",
                "可网上申请，公告在政府网站发布",
                "房产证丢了,补房产证",
            ),
            Matter(
                "抵押权登记",
                "xzsp",
                "身份证、不动产权证书、借款合同和抵押合同",
                "区不动产登记服务大厅或合作银行网点",
                "1个工作日内办结",
                "登记费按规定收取",
                "不动产权属清晰",
                "可在合作银行网点“不见面”办理",
                "房子抵押,贷款抵押",
            ),
            Matter(
                "新建商品房首次转移登记",
                "xzsp",
                "身份证、购房合同、契税完税凭证",
                "区不动产登记服务大厅",
                "材料齐全的5个工作日内办结",
                "登记费按规定收取",
                "项目已办理首次登记",
                "开发企业可批量代办，实现“交房即交证”",
                "新房办证,办房产证",
            ),
        ],
    ),
    (
        "就业创业",
        "jiuye",
        [
            Matter(
                "创业担保贷款申请",
                "rsj",
                "身份证、营业执照、创业项目计划书",
                "区就业服务中心",
                "受理后15个工作日内完成审核",
                "不收费，符合条件的给予贴息",
                "在本区创业的高校毕业生、返乡创业人员、退役军人等",
                "可通过“就业陕西”手机端申请",
                "创业贷款,贴息贷款",
            ),
            Matter(
                "就业困难人员认定",
                "rsj",
                "身份证、相关困难证明",
                "所在镇（街道）便民服务中心",
                "受理后10个工作日内认定",
                "不收费",
                "大龄、残疾、低保家庭等难以实现就业的人员",
                "可网上申请",
                "就业困难,找工作难",
            ),
            Matter(
                "职业技能培训补贴申领",
                "rsj",
                "身份证、培训合格证书、银行卡",
                "区就业服务中心",
                "培训结束后30个工作日内发放",
                "不收费",
                "参加政府补贴培训并取得证书的劳动者",
                "可网上申请",
                "培训补贴,学技术",
            ),
            Matter(
                "失业登记",
                "rsj",
                "身份证",
                "常住地镇（街道）便民服务中心",
                "即时办结",
                "不收费",
                "劳动年龄内、有劳动能力、有就业要求、处于无业状态",
                "可通过政务服务网办理",
                "失业,没工作",
            ),
        ],
    ),
    (
        "退役军人",
        "tyjr",
        [
            Matter(
                "退役军人优待证申领",
                "tyjrj",
                "身份证、退役证件",
                "所在镇（街道）退役军人服务站",
                "集中制证，约2个月",
                "不收费",
                "退役军人和其他优抚对象",
                "可通过“退役军人服务”手机端申请",
                "优待证,军人证",
            ),
            Matter(
                "退役军人创业扶持",
                "tyjrj",
                "身份证、退役证件、营业执照",
                "区退役军人事务局",
                "受理后15个工作日内",
                "不收费",
                "在本区创业的退役军人",
                "可网上申请",
                "退伍创业,退役创业",
            ),
        ],
    ),
]

# (question, answer) templates; {m} is the matter, the rest its details.
ASKS = [
    ("{m}需要哪些材料？", "办理{m}需提交：{materials}。"),
    ("{m}在哪里办理？", "{m}的办理地点：{place}。{online}。"),
    ("{m}要多长时间？", "{m}的办理时限：{days}。"),
    ("{m}收费吗？", "{fee}。"),
    ("{m}需要什么条件？", "申请{m}须符合以下条件：{condition}。"),
    ("{m}可以网上办理吗？", "{online}。办理地点：{place}。"),
]
# Questions the bot did not know (text, times asked): the editors' list starts with these.
UNANSWERED = [
    ("小区停车位太少怎么办", 7),
    ("家门口的路灯坏了找谁修", 5),
    ("秦岭北麓哪里可以露营", 3),
    ("广场舞噪音太大怎么投诉", 4),
    ("公园什么时候开放夜间灯光", 2),
]
REVIEW_SHARE = 0.08  # entries whose validity date has passed: flagged 待复核


def _phone(index: int) -> str:
    return f"0917-32{(index * 4099 + 517) % 100000:05d}"


def load(world: DemoWorld) -> None:
    rnd = world.rnd
    today = world.now.date()
    guides = world.columns.get("guides")
    guides_url = guides.url if guides is not None else ""
    slugs = [slug for _, slug, _ in TOPICS]
    # A reload starts from the demo's own topics again (the demo database only).
    KnowledgeEntry.objects.filter(topic__slug__in=slugs).delete()
    entries: list[KnowledgeEntry] = []
    for order, (name, slug, matters) in enumerate(TOPICS):
        topic, _ = KnowledgeTopic.objects.update_or_create(
            slug=slug, defaults={"name": name, "sort_order": (order + 1) * 10}
        )
        for matter in matters:
            unit = world.units.get(matter.unit)
            unit_name = unit.name if unit is not None else "区政务服务中心"
            for question, answer in ASKS:
                number = len(entries)
                text = answer.format(
                    m=matter.name,
                    materials=matter.materials,
                    place=matter.place,
                    days=matter.days,
                    fee=matter.fee,
                    condition=matter.condition,
                    online=matter.online,
                )
                text += f"\n咨询电话：{unit_name} {_phone(number)}（工作日 9:00—17:00）。"
                from_letter = rnd.random() < 0.3
                expired = rnd.random() < REVIEW_SHARE
                valid_until = (
                    today - dt.timedelta(days=rnd.randint(5, 200))
                    if expired
                    else (dt.date(today.year + 1, 12, 31) if rnd.random() < 0.4 else None)
                )
                entries.append(
                    KnowledgeEntry(
                        question=question.format(m=matter.name),
                        answer=text,
                        topic=topic,
                        unit=unit,
                        keywords=matter.keywords,
                        source_url="/mailbox/" if from_letter else guides_url,
                        source_text="区长信箱留言答复" if from_letter else f"{matter.name}办事指南",
                        valid_until=valid_until,
                        # 关注度: a few matters are asked about much more than the rest.
                        views=int(rnd.paretovariate(1.2) * 20),
                    )
                )
    KnowledgeEntry.objects.bulk_create(entries)
    for text, count in UNANSWERED:
        from govportal.interaction.knowledge.services import question_normalise

        asked = world.now - dt.timedelta(days=rnd.randint(1, 20), hours=rnd.randint(0, 8))
        UnansweredQuestion.objects.update_or_create(
            normalised=question_normalise(text),
            defaults={
                "text": text,
                "count": count,
                "first_asked_at": asked - dt.timedelta(days=count * 3),
                "last_asked_at": asked,
            },
        )
    bot.index_invalidate()  # bulk_create sends no signals
    world.log(f"知识库: {len(entries)} 条，未能回答的问题 {len(UNANSWERED)} 个")


def remove() -> None:
    """Delete the knowledge base, its topics and the logged questions (demo_remove only)."""
    KnowledgeEntry.objects.all().delete()
    KnowledgeTopic.objects.all().delete()
    UnansweredQuestion.objects.all().delete()
