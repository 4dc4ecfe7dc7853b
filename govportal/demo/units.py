"""The demo units (单位), modelled on the roles of 第四条 and 第五条.

Contacts are titles, not people (李主任); phone numbers are fictional 0917 numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from govportal.core.models import UnitKind


@dataclass(frozen=True)
class UnitSpec:
    code: str  # short internal code; also the prefix of the unit's demo usernames
    name: str
    kind: str
    contact: str


UNITS: list[UnitSpec] = [
    # 第四条: 主办单位, 承办单位, 建设单位.
    UnitSpec("zfb", "区政府办公室", UnitKind.SPONSOR, "李主任"),
    UnitSpec("szzx", "区数字化信息服务中心", UnitKind.OPERATOR, "王主任"),
    UnitSpec("dsj", "区大数据发展服务局", UnitKind.BUILDER, "赵局长"),
    # 第四条: 政务服务版块; 第五条: 协同监管单位.
    UnitSpec("xzsp", "区行政审批服务局", UnitKind.DEPARTMENT, "陈科长"),
    UnitSpec("xcb", "区委宣传部（网信办）", UnitKind.DIRECT, "刘部长"),
    UnitSpec("gaj", "公安分局", UnitKind.DIRECT, "孙科长"),
    # 区政府各部门.
    UnitSpec("fgj", "区发展和改革局", UnitKind.DEPARTMENT, "周科长"),
    UnitSpec("jyj", "区教育局", UnitKind.DEPARTMENT, "吴科长"),
    UnitSpec("kgj", "区科技和工业信息化局", UnitKind.DEPARTMENT, "郑科长"),
    UnitSpec("mzj", "区民政局", UnitKind.DEPARTMENT, "冯科长"),
    UnitSpec("sfj", "区司法局", UnitKind.DEPARTMENT, "杨科长"),
    UnitSpec("czj", "区财政局", UnitKind.DEPARTMENT, "何科长"),
    UnitSpec("rsj", "区人力资源和社会保障局", UnitKind.DEPARTMENT, "高科长"),
    UnitSpec("zjj", "区住房和城乡建设局", UnitKind.DEPARTMENT, "马科长"),
    UnitSpec("nyj", "区农业农村局", UnitKind.DEPARTMENT, "罗科长"),
    UnitSpec("swj", "区商务局", UnitKind.DEPARTMENT, "梁科长"),
    UnitSpec("wlj", "区文化和旅游局", UnitKind.DEPARTMENT, "宋科长"),
    UnitSpec("wjj", "区卫生健康局", UnitKind.DEPARTMENT, "唐科长"),
    UnitSpec("tyjrj", "区退役军人事务局", UnitKind.DEPARTMENT, "许科长"),
    UnitSpec("yjj", "区应急管理局", UnitKind.DEPARTMENT, "韩科长"),
    UnitSpec("sjj", "区审计局", UnitKind.DEPARTMENT, "邓科长"),
    UnitSpec("scjgj", "区市场监督管理局", UnitKind.DEPARTMENT, "曹科长"),
    UnitSpec("tjj", "区统计局", UnitKind.DEPARTMENT, "彭科长"),
    UnitSpec("ybj", "区医疗保障局", UnitKind.DEPARTMENT, "曾科长"),
    UnitSpec("cgj", "区城市管理执法局", UnitKind.DEPARTMENT, "萧科长"),
    UnitSpec("slj", "区水利局", UnitKind.DEPARTMENT, "田科长"),
    # 区直各单位.
    UnitSpec("rmt", "区融媒体中心", UnitKind.DIRECT, "董主任"),
    UnitSpec("jkzx", "区疾病预防控制中心", UnitKind.DIRECT, "袁主任"),
    UnitSpec("jgsw", "区机关事务服务中心", UnitKind.DIRECT, "潘主任"),
    UnitSpec("dag", "区档案馆", UnitKind.DIRECT, "蒋馆长"),
    UnitSpec("cl", "区残疾人联合会", UnitKind.DIRECT, "蔡理事长"),
    # 各镇人民政府、街道办事处.
    UnitSpec("sgz", "石鼓镇人民政府", UnitKind.TOWN, "余主任"),
    UnitSpec("snz", "神农镇人民政府", UnitKind.TOWN, "杜主任"),
    UnitSpec("myz", "马营镇人民政府", UnitKind.TOWN, "叶主任"),
    UnitSpec("byz", "八鱼镇人民政府", UnitKind.TOWN, "程主任"),
    UnitSpec("gjz", "高家镇人民政府", UnitKind.TOWN, "苏主任"),
    UnitSpec("jljd", "金陵街道办事处", UnitKind.STREET, "魏主任"),
    UnitSpec("jeljd", "经二路街道办事处", UnitKind.STREET, "吕主任"),
    UnitSpec("qjjd", "清姜街道办事处", UnitKind.STREET, "丁主任"),
    UnitSpec("jtjd", "姜谭街道办事处", UnitKind.STREET, "沈主任"),
    UnitSpec("qnjd", "桥南街道办事处", UnitKind.STREET, "任主任"),
]

UNIT_BY_CODE: dict[str, UnitSpec] = {u.code: u for u in UNITS}
DEPARTMENTS = [u.code for u in UNITS if u.kind == UnitKind.DEPARTMENT]
TOWNS = [u.code for u in UNITS if u.kind in (UnitKind.TOWN, UnitKind.STREET)]


def unit_phone(index: int) -> str:
    """A fictional office number in the 0917 area: 0917-32xxxxx."""
    return f"0917-32{(index * 7919) % 100000:05d}"


def unit_email(code: str) -> str:
    # A reserved domain: demo mail can never reach a real mailbox.
    return f"{code}@weibin.example"
