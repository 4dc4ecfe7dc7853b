"""The answer bot (智能问答, 第十条(二): 利用智能问答机器人等24小时在线自动解答用户咨询).

It finds; it never writes. A question is segmented with jieba, expanded with a small table of
synonyms, and ranked with BM25 over an inverted index of every registered *source* (knowledge
entries, service guides, policy documents). What it shows is stored text, quoted: the entry's
question and answer, a guide's title and summary, a document's title, number, summary and
validity, each with its link. When the best match covers too little of the question it says it
does not know and offers the mailbox.

Why our own BM25 and not rank_bm25's BM25Okapi (both measured by bench/answerbot.py):
BM25Okapi scores every document for every query word (a Python loop over the whole corpus per
word, about 1 ms per word at 10,000 entries), where an inverted index touches only the documents
that contain the word; and a synonym group must count once (the best of its words), which
BM25Okapi cannot express. The formula is the same Okapi BM25 (k1 = 1.5, b = 0.75) with the
non-negative idf of Lucene, so a word in most documents still counts a little instead of less
than nothing.

Sources are plug-ins: a class with `key`, `label`, `weight`, `models` and `documents()`,
registered with `register_source`. The services app will register its service items the same
way (docs/knowledge.md has the recipe).

The index is built once per process and kept until the content changes: saving any model a
source names bumps a version number in the "shared" cache alias (ready.py), which every process
of the deployment sees (Redis, or a file cache in VAR_DIR on one machine), and each process
rebuilds before its next answer. `INDEX_MAX_AGE` bounds an index's life whatever the version
says (changes no signal reports, a cache outage).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from django.conf import settings
from django.core.cache import caches
from numpy.typing import NDArray

logger = logging.getLogger(__name__)

VERSION_KEY = "knowledge:bot:version"
INDEX_MAX_AGE = 300.0  # seconds; see the module docstring
QUESTION_MAX_LENGTH = 200
RESULT_LIMIT = 5
K1 = 1.5
B = 0.75
# The share of the question's weight (idf) that the best match must cover. Below it the bot says
# it does not know. Tuned on the demo district's questions (docs/knowledge.md).
DEFAULT_THRESHOLD = 0.6
TITLE_REPEAT = 2  # the title (an entry's question) counts twice: it says what the item is about


def threshold() -> float:
    return float(getattr(settings, "KNOWLEDGE_BOT_THRESHOLD", DEFAULT_THRESHOLD))


# --- Words ------------------------------------------------------------------------------------

# Words every question has and no answer depends on.
_STOPWORDS_TEXT = """
    的 了 吗 呢 吧 啊 呀 嘛 么 是 在 我 你 您 他 她 它 我们 你们 他们 请问 请 问 想 想要 要 能 能否
    可以 可不可以 是否 有 有没有 没有 怎么 怎么样 怎样 如何 什么 哪些 哪个 多少 几 谁 为什么 情况 准备 携带 怎么办 时候 拿到 办 能 会 不 没 手续 想开 开个
    还 也 都 和 与 及 或 或者 就 又 这 那 这个 那个 一下 一个 个 应该 需要 需不需要 去 到 给 让 把 被 对 于
    从 向 吗？ 呢？ 好 谢谢 你好 您好 么？ 咨询 问题 知道 告诉
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Terms of government services jieba's general dictionary does not keep whole.
DOMAIN_WORDS = (
    "营业执照",
    "个体工商户",
    "公积金",
    "住房公积金",
    "不动产登记",
    "不动产权证书",
    "不动产",
    "低保",
    "最低生活保障",
    "特困供养",
    "临时救助",
    "医保",
    "医疗保险",
    "异地就医",
    "社保",
    "社保卡",
    "养老保险",
    "失业保险",
    "工伤保险",
    "生育津贴",
    "灵活就业",
    "户籍",
    "户口",
    "落户",
    "居住证",
    "出生医学证明",
    "新生儿",
    "入学",
    "义务教育",
    "学位",
    "划片",
    "公租房",
    "廉租房",
    "残疾人证",
    "高龄补贴",
    "一件事一次办",
    "一网通办",
    "政务服务",
    "办事指南",
    "食品经营许可证",
    "市场主体",
    "契税",
    "首套房",
    "提取",
    "退役军人",
    "优待证",
    "12345",
)

# Words a citizen uses for what the sources call otherwise. One group per line: a question word
# from a group matches every word of the group, and the group counts once.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("上学", "入学", "就读", "读书"),
    ("孩子", "子女", "儿童", "小孩"),
    ("小学", "一年级"),
    ("社保", "社会保险"),
    ("医保", "医疗保险", "医疗保障"),
    ("户口", "户籍"),
    ("落户", "户口迁入", "迁入"),
    ("执照", "营业执照"),
    ("开店", "个体工商户", "开办", "小卖部", "商店", "门店"),
    ("公司", "企业"),
    ("买房", "购房"),
    ("房产证", "不动产权证书", "不动产登记"),
    ("低保", "最低生活保障"),
    ("退休", "养老金", "退休金"),
    ("报销", "结算"),
    ("看病", "就医", "就诊"),
    ("失业", "失业保险金"),
    ("补办", "遗失", "丢失", "丢了", "补领", "补发"),
    ("退伍", "退役"),
    ("转移", "转到", "转出", "接续"),
    ("外地", "异地", "跨省"),
    ("退伍军人", "退役军人"),
    ("费用", "收费", "多少钱", "交钱", "交费", "免费"),
    ("时间", "时限", "多久", "几天", "多长时间", "办结", "什么时候"),
    ("地址", "地点", "窗口", "哪里", "哪儿", "去哪儿", "在哪", "在哪儿"),
    ("电话", "联系电话", "咨询电话", "找谁"),
    ("流程", "步骤", "程序", "办理流程"),
    ("条件", "资格", "情况下"),
    ("材料", "资料", "证件", "清单", "材料清单"),
    ("网上", "线上", "网上办理", "手机", "在线"),
)
_SYNONYMS: dict[str, frozenset[str]] = {}
for _group in SYNONYM_GROUPS:
    for _word in _group:
        _SYNONYMS[_word] = _SYNONYMS.get(_word, frozenset()) | frozenset(_group)

_jieba_lock = threading.Lock()
_jieba_ready = False
_KEEP = re.compile(r"[\w]", re.UNICODE)


def _jieba() -> Any:
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                for word in DOMAIN_WORDS:
                    jieba.add_word(word, freq=50_000)
                for group in SYNONYM_GROUPS:
                    for word in group:
                        jieba.add_word(word, freq=20_000)
                _jieba_ready = True
    return jieba


def domain_words_add(words: Iterable[str]) -> None:
    """Teach the segmenter whole names (unit names: 区医疗保障局)."""
    jieba = _jieba()
    for word in words:
        word = word.strip()
        if 2 <= len(word) <= 20:
            jieba.add_word(word, freq=20_000)


def normalise(text: str) -> str:
    """Full-width to half-width, lower case: what both the index and the question go through."""
    return unicodedata.normalize("NFKC", text).lower()


def _keep(word: str) -> bool:
    # Single characters (上、带、开、办) are mostly grammar; a word needs two characters, or digits.
    return (len(word) > 1 or word.isdigit()) and word not in STOPWORDS and bool(_KEEP.search(word))


def _merge_singles(words: list[str]) -> list[str]:
    """Runs of single characters that are not grammar become one word: jieba cuts an unknown
    term (稳岗返还, 慢特病) into characters, and the run keeps what the characters would lose."""
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and "\u4e00" <= word <= "\u9fff" and word not in STOPWORDS:
            run.append(word)
            continue
        if len(run) > 1:
            out.append("".join(run))
        run = []
        if word:
            out.append(word)
    return out


def tokens(text: str) -> list[str]:
    """The words of `text` for the index: jieba's search-engine mode (a long word and its parts,
    so 营业执照 also matches 执照), without stop words, single characters and punctuation.
    HMM (guessing unknown words) is off: it would glue words of a question together differently
    from the same words in a document."""
    jieba = _jieba()
    words = _merge_singles(jieba.lcut_for_search(normalise(text), HMM=False))
    return [w for w in words if _keep(w)]


def question_groups(text: str, index: Index | None = None) -> list[frozenset[str]]:
    """The question as groups of interchangeable words (a word and its synonyms), each once.

    The question is cut in jieba's precise mode: 个体工商户 is one thing asked about, not five.
    A word no document has is replaced by its parts when documents have some of them.
    """
    jieba = _jieba()
    words: list[str] = []
    for word in _merge_singles(jieba.lcut(normalise(text), HMM=False)):
        if not _keep(word):
            continue
        if index is not None and word not in index.idf and word not in _SYNONYMS:
            # A word no document has, cut into its parts: 春耕生产 → 春耕, 生产. Every part
            # counts, known or not, so the unknown 春耕 still weighs in the confidence.
            parts = [w for w in jieba.lcut_for_search(word, HMM=False) if w != word and _keep(w)]
            longest = [p for p in parts if not any(p != q and p in q for q in parts)]
            if longest and any(p in index.idf for p in longest):
                words.extend(longest)
                continue
        words.append(word)
    seen: set[frozenset[str]] = set()
    groups: list[frozenset[str]] = []
    for word in words:
        group = _SYNONYMS.get(word, frozenset((word,)))
        if group not in seen:
            seen.add(group)
            groups.append(group)
    return groups


# --- Sources ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    """One thing the bot can point to. `title` and `quote` are shown as stored; `text` is only
    indexed. Dates let the answer show a policy document's validity on the day it is asked."""

    source: str
    key: str
    title: str
    quote: str
    url: str
    text: str = ""
    note: str = ""
    valid_until: dt.date | None = None
    repealed_on: dt.date | None = None
    replaced_by: tuple[str, str] | None = None  # (title, url) of the replacing document


class AnswerSource(Protocol):
    key: str
    label: str
    weight: float  # multiplies the BM25 score: stored answers come before pages
    models: tuple[str, ...]  # "app_label.ModelName" whose saves change the documents

    def documents(self, *, today: dt.date) -> Iterable[Doc]: ...


SOURCES: dict[str, AnswerSource] = {}


def register_source(source: AnswerSource) -> None:
    """Add (or replace, by key) a source of answers. Call it from an AppConfig.ready()."""
    SOURCES[source.key] = source
    current = _state["index"]
    if current is not None:
        current.version = -2


# --- The index --------------------------------------------------------------------------------


@dataclass
class Index:
    """The inverted index: for each word, the documents that have it and the word's BM25 part
    of their score (idf · tf · (k1 + 1) / (tf + k1 · (1 − b + b · length / average))), computed
    once at build time, as numpy arrays, so a question costs a few array operations per word."""

    docs: list[Doc]
    postings: dict[str, tuple[NDArray[np.int32], NDArray[np.float32]]]
    idf: dict[str, float]
    doc_weight: NDArray[np.float64]  # the source's weight, per document
    built_seconds: float = 0.0
    version: int = 0
    built_at: float = 0.0
    # The words of each document, kept for the next build: after an edit only the changed
    # documents are segmented again (segmenting is most of the cost of a build).
    words: dict[tuple[str, str], tuple[str, str, list[str]]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.docs)

    @property
    def idf_unknown(self) -> float:
        # A word no document has weighs as much as the rarest: a question about something we do
        # not have must not look answered because its few common words match.
        return math.log(1 + (len(self.docs) + 0.5) / 0.5)

    def idf_of(self, word: str) -> float:
        found = self.idf.get(word)
        return found if found is not None else self.idf_unknown


def index_build(docs: Sequence[Doc], previous: Index | None = None) -> Index:
    started = time.perf_counter()
    raw: dict[str, list[tuple[int, int]]] = {}
    lengths: list[int] = []
    known = previous.words if previous is not None else {}
    kept: dict[tuple[str, str], tuple[str, str, list[str]]] = {}
    for number, doc in enumerate(docs):
        ident = (doc.source, doc.key)
        cached = known.get(ident)
        if cached is not None and cached[0] == doc.title and cached[1] == doc.text:
            words = cached[2]
        else:
            words = tokens(doc.title) * TITLE_REPEAT + tokens(doc.text)
        kept[ident] = (doc.title, doc.text, words)
        counts: dict[str, int] = {}
        for word in words:
            counts[word] = counts.get(word, 0) + 1
        for word, tf in counts.items():
            raw.setdefault(word, []).append((number, tf))
        lengths.append(len(words))
    total = len(lengths)
    average = (sum(lengths) / total) if total else 1.0
    norm = np.array([K1 * (1 - B + B * n / (average or 1.0)) for n in lengths], dtype=np.float64)
    idf: dict[str, float] = {}
    postings: dict[str, tuple[NDArray[np.int32], NDArray[np.float32]]] = {}
    for word, plist in raw.items():
        value = math.log(1 + (total - len(plist) + 0.5) / (len(plist) + 0.5))
        idf[word] = value
        ids = np.fromiter((n for n, _ in plist), dtype=np.int32, count=len(plist))
        tfs = np.fromiter((tf for _, tf in plist), dtype=np.float64, count=len(plist))
        postings[word] = (ids, (value * tfs * (K1 + 1) / (tfs + norm[ids])).astype(np.float32))
    weights = {key: source.weight for key, source in SOURCES.items()}
    doc_weight = np.array([weights.get(d.source, 1.0) for d in docs], dtype=np.float64)
    return Index(
        docs=list(docs),
        postings=postings,
        idf=idf,
        doc_weight=doc_weight,
        built_seconds=time.perf_counter() - started,
        words=kept,
    )


@dataclass(frozen=True)
class Scored:
    number: int
    score: float
    coverage: float  # the share of the question's idf weight this document matches


def index_search(index: Index, groups: list[frozenset[str]], *, limit: int) -> list[Scored]:
    """BM25 over the documents that contain a word of the question; a synonym group adds the
    best of its words once. Sorted by score times the source's weight."""
    size = len(index.docs)
    if not groups or not size:
        return []
    scores = np.zeros(size, dtype=np.float64)
    matched = np.zeros(size, dtype=np.float64)
    missing = 0  # groups no document has
    known_weights: list[float] = []
    for group in groups:
        best: NDArray[np.float64] | None = None
        for word in group:
            posting = index.postings.get(word)
            if posting is None:
                continue
            ids, values = posting
            if best is None:
                best = np.zeros(size, dtype=np.float64)
            # Each document appears once per word, so the fancy-indexed maximum is exact.
            best[ids] = np.maximum(best[ids], values)
        if best is None:
            missing += 1
            continue
        # The group weighs as rare as the documents with any of its words are (one idf for the
        # union): six ways to say 补办 do not make the group six times as telling.
        df = int(np.count_nonzero(best))
        weight = math.log(1 + (size - df + 0.5) / (df + 0.5))
        known_weights.append(weight)
        scores += best
        matched += weight * (best > 0)
    if not known_weights:
        return []
    # A word no document has (钓鱼, 办好) weighs as much as the question's most telling known
    # word: a question about something we do not have is not answered because its common words
    # match, and a filler word does not sink a question whose subject we have.
    total_weight = sum(known_weights) + missing * max(known_weights)
    candidates = np.flatnonzero(scores)
    if not len(candidates):
        return []
    ranked = scores[candidates] * index.doc_weight[candidates]
    if len(candidates) > limit:
        top = np.argpartition(-ranked, limit - 1)[:limit]
        candidates, ranked = candidates[top], ranked[top]
    order = np.argsort(-ranked, kind="stable")
    return [
        Scored(
            number=int(candidates[i]),
            score=float(scores[candidates[i]]),
            coverage=float(matched[candidates[i]] / total_weight) if total_weight else 0.0,
        )
        for i in order
    ]


_state_lock = threading.Lock()
_state: dict[str, Index | None] = {"index": None}


def version_current() -> int:
    try:
        return int(caches["shared"].get(VERSION_KEY, 0))
    except Exception:  # a cache outage must not stop the bot: rebuild by age instead
        logger.warning("knowledge bot: cache unavailable", exc_info=True)
        return -1


def index_invalidate() -> None:
    """Content changed: every process rebuilds its index before the next answer."""
    current = _state["index"]
    if current is not None:
        current.version = -2  # stale here at once, even if the cache is not shared
    shared = caches["shared"]
    try:
        shared.incr(VERSION_KEY)
    except ValueError:
        shared.set(VERSION_KEY, 1, timeout=None)
    except Exception:
        logger.warning("knowledge bot: cache unavailable", exc_info=True)


def collect_documents(*, today: dt.date) -> list[Doc]:
    docs: list[Doc] = []
    for source in SOURCES.values():
        docs.extend(source.documents(today=today))
    return docs


def index_get(*, today: dt.date) -> Index:
    """The process's index, rebuilt when the version in the cache moved or it is too old."""
    version = version_current()
    current = _state["index"]
    if _fresh(current, version):
        assert current is not None  # noqa: S101  (_fresh checks it)
        return current
    with _state_lock:
        current = _state["index"]
        if _fresh(current, version):
            assert current is not None  # noqa: S101
            return current
        _load_domain_words()
        built = index_build(collect_documents(today=today), previous=current)
        built.version = version
        built.built_at = time.monotonic()
        _state["index"] = built
        logger.info(
            "knowledge bot: index of %d items built in %.2f s", built.size, built.built_seconds
        )
        return built


def _fresh(index: Index | None, version: int) -> bool:
    if index is None or index.version == -2:  # invalidated in this process
        return False
    if time.monotonic() - index.built_at >= INDEX_MAX_AGE:
        return False
    # -1: the cache is down; the age alone decides until it is back.
    return version == -1 or index.version == version


def _load_domain_words() -> None:
    from govportal.core.models import Unit

    domain_words_add(Unit.objects.values_list("name", flat=True))


# --- Answers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    doc: Doc
    label: str  # the source's label: 知识库, 办事指南, 政策文件
    score: float
    coverage: float
    validity: str = ""  # a policy document's validity today: 有效 / 失效 / 废止
    validity_code: str = ""
    validity_changed_on: dt.date | None = None
    review_due: bool = False  # a knowledge entry past its validity date (待复核)


@dataclass
class Answer:
    question: str
    hits: list[Hit] = field(default_factory=list)
    answered: bool = False
    understood: bool = True  # False when the question had no word to look for


def answer(question: str, *, today: dt.date, limit: int = RESULT_LIMIT) -> Answer:
    """The best matches for `question`, or none (answered=False) below the threshold."""
    from govportal.disclosure.rules import Validity, validity_on

    question = question.strip()[:QUESTION_MAX_LENGTH]
    index = index_get(today=today)
    groups = question_groups(question, index)
    result = Answer(question=question, understood=bool(groups))
    if not groups:
        return result
    bar = threshold()
    for scored in index_search(index, groups, limit=limit * 3):
        if scored.coverage < bar:
            continue
        doc = index.docs[scored.number]
        source = SOURCES.get(doc.source)
        hit = Hit(
            doc=doc,
            label=source.label if source else doc.source,
            score=scored.score,
            coverage=scored.coverage,
            review_due=(
                doc.source == "knowledge"
                and doc.valid_until is not None
                and doc.valid_until < today
            ),
        )
        if doc.source == "policy":
            state = validity_on(
                valid_until=doc.valid_until, repealed_on=doc.repealed_on, today=today
            )
            changed: dt.date | None = None
            if state == Validity.REPEALED:
                changed = doc.repealed_on
            elif state == Validity.EXPIRED and doc.valid_until:
                changed = doc.valid_until + dt.timedelta(days=1)
            hit = Hit(
                doc=doc,
                label=hit.label,
                score=hit.score,
                coverage=hit.coverage,
                validity=str(state.label),
                validity_code=str(state.value),
                validity_changed_on=changed,
            )
        result.hits.append(hit)
        if len(result.hits) >= limit:
            break
    result.answered = bool(result.hits)
    return result
