"""Speed and accuracy of the content-checks engine. Prints one table.

    .venv/bin/python bench/scan.py            # 100 MB of text, 50,000 lexicon entries
    .venv/bin/python bench/scan.py --mb 10    # quicker

What it measures, in one run on this machine:
- our full check (normalisation on: folding, joining, flagged words, personal data,
  classified markings, link domains) over the text, fed in 1 MB documents, in MB/s;
- ``grep -F -f`` with the same words on the same file: ``-c`` (count matching lines) and
  ``-o`` (print every match, like we do);
- one 20,000-character article (median of 21 runs, no link checks; target under 20 ms);
- precision and recall of the personal-data check on a generated corpus of valid and invalid
  numbers of every kind (target both at least 0.99).

The text is generated from a short seed written for this script (a character-level Markov
chain, so it has the characters, punctuation, dates and figures of a government news page).
The lexicon is the starter lexicon plus generated words of 2 to 6 characters. Generated data
lives in a temporary directory and is deleted at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govportal.checks.engine import CheckContext, check
from govportal.checks.lexicon import Lexicon, Term, starter_lexicon
from govportal.lib import idnumbers
from govportal.lib.textnorm import normalise, warm_up

SEED = """\
3月15日上午，区政府召开2024年第一季度重点项目推进会，通报全区在建项目进展情况，研究部署下一阶段工作。会议指出，今年以来，全区上下坚持以项目建设为抓手，一季度完成固定资产投资38.6亿元，同比增长7.2%，其中产业项目投资占比达到61%。
会议强调，各镇街、各部门要进一步压实责任，倒排工期，强化要素保障，确保项目早开工、早投产、早见效。对进度滞后的项目，要逐一分析原因，拿出整改措施，限期解决存在的问题。
近日，区市场监督管理局组织开展春季食品安全专项检查，共出动执法人员126人次，检查食品生产经营单位348家，发现并督促整改问题隐患52处，立案查处违法案件3起。检查期间，执法人员还向经营者发放宣传资料2000余份，引导经营者落实主体责任。
为进一步优化营商环境，区政务服务中心推出“一窗受理、集成服务”改革，将企业开办、不动产登记、社保医保等高频事项整合进综合窗口，办理时限平均压缩40%以上。群众可通过政务服务网、手机APP或拨打12345政务服务便民热线咨询办事流程。
区生态环境分局通报，1至2月全区空气质量优良天数为45天，PM2.5平均浓度为每立方米48微克，同比下降5.9%。下一步，分局将持续加强扬尘污染治理和机动车尾气管控，推动空气质量持续改善。
4月2日，区教育局召开全区中小学安全工作会议，要求各学校深入排查校园安全隐患，加强校舍、食堂、实验室和校车管理，做好防溺水宣传教育，切实保障师生生命财产安全。
区人力资源和社会保障局举办春风行动专场招聘会，共有85家企业提供就业岗位1600余个，涵盖装备制造、电子信息、商贸物流等行业，现场达成就业意向430余人。
根据《中华人民共和国政府信息公开条例》规定，现将本机关2023年度政府信息公开工作情况报告如下。2023年，本机关主动公开政府信息1253条，其中规范性文件12件，受理政府信息公开申请36件，均在法定期限内答复。
区农业农村局组织农技人员深入田间地头，指导农户开展春耕备耕，推广小麦“一喷三防”技术，全区小麦播种面积稳定在12.5万亩。同时，加强农资市场监管，严厉打击制售假劣农资行为。
区卫生健康局提醒广大市民，春季是流感等呼吸道传染病高发季节，请注意勤洗手、常通风、规律作息，出现发热等症状时及时就医。65岁以上老年人可到就近的社区卫生服务中心免费接种疫苗。
""".replace("\n", "")


def markov_chain(seed: str, order: int = 2) -> dict[str, list[str]]:
    chain: dict[str, list[str]] = defaultdict(list)
    for i in range(len(seed) - order):
        chain[seed[i : i + order]].append(seed[i + order])
    return chain


def generate_text(chain: dict[str, list[str]], seed: str, chars: int, rng: random.Random) -> str:
    """About ``chars`` characters of Markov text, with a line break after some sentences."""
    order = len(next(iter(chain)))
    state = seed[:order]
    out = list(state)
    for _ in range(chars):
        choices = chain.get(state)
        ch = rng.choice(choices) if choices else seed[rng.randrange(len(seed))]
        out.append(ch)
        if ch == "。" and rng.random() < 0.25:
            out.append("\n")
        state = (state + ch)[-order:]
    return "".join(out)


# Planted about every 20,000 characters: what the checks are there to find, some of it hidden.
PLANTED = (
    "测试敏感词甲",
    "测 试 敏 感 词 乙",
    "測試敏感詞丙",
    "测\u200b试\u200b屏\u200b蔽\u200b词",
    "按装",
    "再接再励",
    "国务院办公室",
    "机密★1年",
    "内部资料",
    "身份证号11010519491231002X",
    "手机 138 1234 5678",
    "全网最低价",
)


def plant(text: str, rng: random.Random, every: int = 20_000) -> str:
    pieces = []
    last = 0
    for pos in range(every, len(text), every):
        pos += rng.randrange(-every // 4, every // 4)
        pieces += [text[last:pos], "，", rng.choice(PLANTED), "，"]
        last = pos
    pieces.append(text[last:])
    return "".join(pieces)


def write_text(path: Path, megabytes: int, rng: random.Random) -> int:
    chain = markov_chain(SEED)
    target = megabytes * 1024 * 1024
    written = 0
    with path.open("w", encoding="utf-8") as f:
        while written < target:
            block = plant(generate_text(chain, SEED, 200_000, rng), rng)
            data = block.encode("utf-8")
            f.write(block)
            written += len(data)
    return written


def build_lexicon(size: int, rng: random.Random) -> list[Term]:
    """The starter lexicon plus generated words of 2 to 6 characters.

    Generated words start with a character of the seed (weighted by frequency) and go on with
    any CJK character; words that share a pair of characters with the seed are dropped, so
    they never occur in the Markov text: like a real lexicon, almost all of it is silent, and
    what is found is what ``plant`` put there.
    """
    terms = list(starter_lexicon().terms)
    seen = {normalise(t.word).joined for t in terms}
    alphabet = [c for c in SEED if "\u4e00" <= c <= "\u9fff"]
    seed_pairs = {SEED[i : i + 2] for i in range(len(SEED) - 1)}
    while len(terms) < size:
        length = rng.choice((2, 3, 3, 4, 4, 5, 6))
        word = rng.choice(alphabet) + "".join(
            chr(rng.randrange(0x4E00, 0x9FA6)) for _ in range(length - 1)
        )
        key = normalise(word).joined  # 會 is matched as 会: compare what is matched
        if key in seen or any(key[i : i + 2] in seed_pairs for i in range(len(key) - 1)):
            continue
        seen.add(key)
        if rng.random() < 0.8:
            terms.append(Term(word, "sensitive", "block"))
        else:
            terms.append(Term(word, "typo", "warn", suggestion=word[::-1] + "正"))
    return terms


def read_documents(path: Path, size: int = 1024 * 1024) -> Iterator[str]:
    """The file in documents of about ``size`` bytes, cut after a line break."""
    with path.open("rb") as f:
        rest = b""
        while block := f.read(size):
            block = rest + block
            cut = block.rfind(b"\n") + 1 or len(block)
            yield block[:cut].decode("utf-8")
            rest = block[cut:]
        if rest:
            yield rest.decode("utf-8")


def time_grep(args: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    result = subprocess.run(["grep", *args], capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(result.stderr.decode())
    output = result.stdout
    count = int(output.strip() or 0) if "-c" in args else output.count(b"\n")
    return elapsed, count


# -- personal data corpus ----------------------------------------------------------------------
TODAY = dt.date(2025, 6, 30)


@dataclass
class Sample:
    kind: str  # the expected rule suffix, or "" when nothing should be found
    label: str  # what the sample is, for the table
    text: str  # the number as written


def _random_birth(rng: random.Random) -> dt.date:
    return dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(365 * 90))


def _area(rng: random.Random) -> str:
    return (
        rng.choice(sorted(idnumbers.PROVINCE_CODES - {"71", "81", "82", "83"}))
        + f"{rng.randrange(10000):04d}"
    )


def _resident_id(rng: random.Random) -> str:
    first17 = _area(rng) + _random_birth(rng).strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
    return first17 + idnumbers.resident_id_check_character(first17)


def _luhn_complete(body: str) -> str:
    for d in "0123456789":
        if idnumbers.luhn_valid(body + d):
            return body + d
    raise AssertionError("unreachable")


def _card(rng: random.Random) -> str:
    length = rng.choice((16, 17, 18, 19))
    prefix = rng.choice(("62", "4", "5", "60"))
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return _luhn_complete(body)


def _spaced(number: str, sizes: tuple[int, ...], sep: str) -> str:
    parts, i = [], 0
    for n in sizes:
        parts.append(number[i : i + n])
        i += n
    if i < len(number):
        parts.append(number[i:])
    return sep.join(parts)


def _mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def personal_data_corpus(rng: random.Random, per_kind: int) -> list[Sample]:
    samples: list[Sample] = []
    digits = "0123456789"
    for _ in range(per_kind):
        rid = _resident_id(rng)
        samples.append(Sample("resident_id", "身份证号 有效", rid))
        wrong = rid[:17] + rng.choice([c for c in "0123456789X" if c != rid[17]])
        samples.append(Sample("", "身份证号 校验位错", wrong))
        bad_date = _area(rng) + "20230231" + f"{rng.randrange(1000):03d}"
        samples.append(
            Sample(
                "",
                "身份证号 日期不存在",
                bad_date + idnumbers.resident_id_check_character(bad_date),
            )
        )
        born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(365 * 69))
        old = _area(rng) + born.strftime("%y%m%d") + f"{rng.randrange(1000):03d}"
        samples.append(Sample("old_resident_id", "15位身份证号 有效", old))
        samples.append(
            Sample(
                "", "15位身份证号 日期不存在", _area(rng) + "881345" + f"{rng.randrange(1000):03d}"
            )
        )
        card = _card(rng)
        samples.append(
            Sample(
                "bank_card", "银行卡号 有效", rng.choice([card, _spaced(card, (4, 4, 4, 4), " ")])
            )
        )
        broken = card[:-1] + str((int(card[-1]) + rng.randrange(1, 10)) % 10)
        samples.append(Sample("", "银行卡号 Luhn 错", broken))
        mobile = _mobile(rng)
        written = rng.choice(
            [
                mobile,
                f"+86 {mobile}",
                f"+86-{_spaced(mobile, (3, 4, 4), '-')}",
                _spaced(mobile, (3, 4, 4), " "),
            ]
        )
        samples.append(Sample("mobile", "手机号 有效", written))
        samples.append(
            Sample("", "手机号 号段错", "12" + "".join(rng.choice(digits) for _ in range(9)))
        )
        area = rng.choice(("010", "021", "029", "0917", "0755", "0371"))
        local = rng.choice("2345678") + "".join(
            rng.choice(digits) for _ in range(rng.choice((6, 7)))
        )
        samples.append(
            Sample(
                "landline",
                "固定电话 有效",
                rng.choice([f"{area}-{local}", f"（{area}）{local}", f"{area} {local}"]),
            )
        )
        samples.append(Sample("", "固定电话 无区号", local))
        user = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        samples.append(
            Sample(
                "email",
                "电子邮箱 有效",
                f"{user}{rng.randrange(100)}@{rng.choice(('example.com', 'mail.test.cn', 'qq.com'))}",
            )
        )
        samples.append(Sample("", "电子邮箱 无域名", f"{user}@{rng.choice(('com', 'localhost'))}"))
        passport = rng.choice(
            [
                "E" + "".join(rng.choice(digits) for _ in range(8)),
                "E" + rng.choice("ABCDFGHJK") + "".join(rng.choice(digits) for _ in range(7)),
                "G" + "".join(rng.choice(digits) for _ in range(8)),
            ]
        )
        samples.append(Sample("passport", "护照号 有效", passport))
        samples.append(
            Sample("", "护照号 位数错", "E" + "".join(rng.choice(digits) for _ in range(5)))
        )
        room = f"{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元{rng.randint(1, 30)}0{rng.randint(1, 4)}室"
        samples.append(
            Sample(
                "address",
                "详细住址",
                f"{rng.choice(('西安市', '宝鸡市'))}{rng.choice(('雁塔区', '渭滨区'))}{rng.choice(('长安路', '经二路', '清姜路'))}{rng.randint(1, 300)}号{room}",
            )
        )
        samples.append(
            Sample(
                "",
                "单位地址（到门牌号）",
                f"{rng.choice(('宝鸡市渭滨区', '西安市'))}{rng.choice(('人民路', '经二路'))}{rng.randint(1, 300)}号",
            )
        )
        samples.append(
            Sample(
                "",
                "日期和金额",
                f"{rng.randint(2000, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 共 {rng.randint(100, 99999)} 元",
            )
        )
    return samples


def measure_personal_data(rng: random.Random, per_kind: int) -> list[tuple[str, str]]:
    samples = personal_data_corpus(rng, per_kind)
    context = CheckContext(lexicon=Lexicon([]), today=TODAY, checkers=frozenset({"personal_data"}))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn per label
    for sample in samples:
        lead = rng.choice(("联系人信息：", "据悉，", "经核实，", "材料显示"))
        text = f"{lead}{sample.text}，请相关单位及时处理。"
        start = len(lead)
        end = start + len(sample.text)
        found = [
            f for f in check(text, html=False, context=context) if f.start < end and f.end > start
        ]
        right = [f for f in found if f.rule == f"personal_data.{sample.kind}"]
        tp_fp_fn = counts[sample.label]
        if sample.kind and right:
            tp_fp_fn[0] += 1
        elif sample.kind:
            tp_fp_fn[2] += 1
        if (not sample.kind and found) or (sample.kind and found and not right):
            tp_fp_fn[1] += 1
    tp = sum(c[0] for c in counts.values())
    fp = sum(c[1] for c in counts.values())
    fn = sum(c[2] for c in counts.values())
    rows = [
        ("个人隐私 样本数", f"{len(samples)}（{len(counts)} 类，有效与无效各半左右）"),
        ("个人隐私 精确率", f"{tp / max(tp + fp, 1):.4f}（目标 ≥ 0.99）"),
        ("个人隐私 召回率", f"{tp / max(tp + fn, 1):.4f}（目标 ≥ 0.99）"),
    ]
    misses = [f"{label} 漏{c[2]} 误{c[1]}" for label, c in sorted(counts.items()) if c[1] or c[2]]
    rows.append(("个人隐私 出错的类", "；".join(misses) or "无"))
    return rows


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mb", type=int, default=100, help="megabytes of text (default 100)")
    parser.add_argument("--words", type=int, default=50_000, help="lexicon entries (default 50000)")
    parser.add_argument("--seed", type=int, default=20240315)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (best kept)")
    options = parser.parse_args()
    rng = random.Random(options.seed)
    rows: list[tuple[str, str]] = []

    with tempfile.TemporaryDirectory(prefix="govportal-bench-") as tmp:
        text_path = Path(tmp) / "text.txt"
        words_path = Path(tmp) / "words.txt"
        size = write_text(text_path, options.mb, rng)
        terms = build_lexicon(options.words, rng)
        words_path.write_text("\n".join(t.word for t in terms) + "\n", encoding="utf-8")
        build = time.perf_counter()
        lexicon = Lexicon(terms)
        build = time.perf_counter() - build
        warm_up()
        context = CheckContext(lexicon=lexicon, today=TODAY)
        rows += [
            ("文本", f"{size / 1e6:.1f} MB（{size / 2**20:.1f} MiB），1 MB 一篇送检"),
            ("词库", f"{len(terms)} 条（编译 {build * 1000:.0f} ms）"),
        ]

        def our_check() -> tuple[float, Counter[str], int]:
            by_rule: Counter[str] = Counter()
            blocking = 0
            started = time.perf_counter()
            for document in read_documents(text_path):
                result = check(document, html=False, context=context)
                by_rule.update(f.rule for f in result)
                blocking += sum(f.blocks for f in result)
            return time.perf_counter() - started, by_rule, blocking

        def normalising() -> float:
            total = 0.0
            for document in read_documents(text_path):
                started = time.perf_counter()
                normalise(document)
                total += time.perf_counter() - started
            return total

        # Other work on the machine makes single runs noisy: run each side in turn, keep the
        # best time of each.
        grep_c = ["-F", "-c", "-f", str(words_path), str(text_path)]
        grep_o = ["-F", "-o", "-f", str(words_path), str(text_path)]
        runs: dict[str, list[float]] = defaultdict(list)
        for _ in range(options.repeat):
            ours_time, by_rule, blocking = our_check()
            runs["ours"].append(ours_time)
            runs["grep_c"].append(time_grep(grep_c)[0])
            runs["grep_o"].append(time_grep(grep_o)[0])
        ours = min(runs["ours"])
        grep_count, grep_all = min(runs["grep_c"]), min(runs["grep_o"])
        lines, matches = time_grep(grep_c)[1], time_grep(grep_o)[1]
        normalise_time = normalising()
        findings = sum(by_rule.values())
        env = {**os.environ}
        grep_count, lines = time_grep(["-F", "-c", "-f", str(words_path), str(text_path)])
        grep_all, matches = time_grep(["-F", "-o", "-f", str(words_path), str(text_path)])
        mb = size / 1e6
        rows += [
            (
                "本系统 全部检查",
                f"{ours:.2f} s，{mb / ours:.1f} MB/s，{findings} 条发现（{blocking} 条阻断）",
            ),
            (
                "  其中 规范化（折叠+去分隔符）",
                f"{normalise_time:.2f} s，{mb / normalise_time:.1f} MB/s",
            ),
            ("计时", f"各跑 {options.repeat} 遍取最快一遍，两者交替运行"),
            (
                "grep -F -c -f（数命中行）",
                f"{grep_count:.2f} s，{mb / grep_count:.1f} MB/s，{lines} 行",
            ),
            (
                "grep -F -o -f（输出每处命中）",
                f"{grep_all:.2f} s，{mb / grep_all:.1f} MB/s，{matches} 处",
            ),
            (
                "本系统 / grep（取两种中较快的）",
                f"{min(grep_count, grep_all) / ours:.2f} 倍速度（≥ 1 达标）",
            ),
            ("发现（按规则）", "，".join(f"{rule} {n}" for rule, n in by_rule.most_common())),
            ("grep 区域设置", env.get("LC_ALL") or env.get("LANG") or "（未设置）"),
        ]

        chain = markov_chain(SEED)
        article = plant(generate_text(chain, SEED, 20_000, rng), rng, every=2_000)[:20_000]
        article_context = CheckContext(lexicon=lexicon, today=TODAY)
        check(article, html=False, context=article_context)
        article_runs = [
            timed(lambda: check(article, html=False, context=article_context)) for _ in range(21)
        ]
        rows.append(
            (
                "单篇 20,000 字文章（不含链接检查）",
                f"中位数 {statistics.median(article_runs) * 1000:.1f} ms（目标 < 20 ms）",
            )
        )

    rows += measure_personal_data(rng, per_kind=500)

    width = max(display_width(k) for k, _ in rows) + 2
    print(f"内容检查基准  Python {sys.version.split()[0]}  CPU {os.cpu_count()} 核")
    print("-" * 90)
    for key, value in rows:
        print(key + " " * (width - display_width(key)) + value)


if __name__ == "__main__":
    main()
