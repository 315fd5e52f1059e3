"""Checks of the figures the sources print: stated conversions, shares, totals, part sums, numbering, text against tables."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import wraps
from typing import TYPE_CHECKING

from qa.rules.base import Hook
from qa.rules.extract import SQM_PER, Question
from qa.rules.model import Computation, RuleContext, decimal_value, fmt
from qa.rules.params import default_params
from qa.rules.plan_tables import STRUCTURE, TOTAL, bachu_plan, share_matches

if TYPE_CHECKING:
    from ingest.pipeline import Corpus
    from ingest.units import Unit


@dataclass(frozen=True)
class Finding:
    check: str  # conversion | share | total | parts | numbering | amount | text_table | implied_total
    doc_id: str
    unit_ids: tuple[str, ...]
    stated: str
    computed: str
    consistent: bool
    message: str


def half_ulp(text: str) -> Fraction:
    """Half a unit in the last printed place: '0.98' -> 0.005, '30' -> 0.5."""
    places = len(text.split(".")[1]) if "." in text else 0
    return Fraction(1, 2 * 10 ** places)


def _leaf_units(corpus: Corpus) -> Iterator[Unit]:
    for unit in corpus.units:
        if unit.covers_source and unit.kind not in ("table_header", "table_row", "title", "signature"):
            yield unit


_UNIT_ALT = "平方公里|平方千米|公顷|亩|平方米"
_UNIT_CANON = {"平方千米": "平方公里"}
_CONVERSION = re.compile(
    rf"(?P<a>\d+(?:\.\d+)?)(?P<aw>万)?(?P<au>{_UNIT_ALT})（约?(?P<b>\d+(?:\.\d+)?)(?P<bw>万)?(?P<bu>{_UNIT_ALT})）"
)


def per_corpus(check: Callable[[Corpus], list[Finding]]) -> Callable[[Corpus], list[Finding]]:
    """A check over the whole corpus runs once per corpus object (the hooks ask it on every question)."""
    last: list[tuple[Corpus, list[Finding]]] = []  # the corpus checked last and its findings

    @wraps(check)
    def run(corpus: Corpus) -> list[Finding]:
        if not last or last[0][0] is not corpus:
            last[:] = [(corpus, check(corpus))]
        return list(last[0][1])

    return run


@per_corpus
def check_conversions(corpus: Corpus) -> list[Finding]:
    """Every 'X公顷（Y亩）' a source prints: is Y the conversion of X, up to the printed precision?"""
    out: list[Finding] = []
    for unit in _leaf_units(corpus):
        for m in _CONVERSION.finditer(unit.text):
            au, bu = _UNIT_CANON.get(m["au"], m["au"]), _UNIT_CANON.get(m["bu"], m["bu"])
            if au == bu:
                continue
            ma, mb = (10000 if m["aw"] else 1), (10000 if m["bw"] else 1)
            a_sqm = Fraction(Decimal(m["a"])) * ma * SQM_PER[au]
            b_sqm = Fraction(Decimal(m["b"])) * mb * SQM_PER[bu]
            tol = half_ulp(m["a"]) * ma * SQM_PER[au] + half_ulp(m["b"]) * mb * SQM_PER[bu]
            converted = a_sqm / (mb * SQM_PER[bu])
            ok = abs(a_sqm - b_sqm) <= tol
            stated = m.group(0)
            computed = f"{m['a']}{m['aw'] or ''}{au} = {fmt(converted)}{m['bw'] or ''}{bu}"
            message = (
                f"{stated}：换算一致（{computed}）" if ok else
                f"{stated}：换算不一致，{computed}，原文印为{m['b']}{m['bw'] or ''}{bu}"
            )
            out.append(Finding("conversion", unit.doc_id, (unit.id,), stated, computed, ok, message))
    return out


@per_corpus
def check_bachu(corpus: Corpus) -> list[Finding]:
    params = default_params()
    doc_id, total_unit, structure_unit = params.get(TOTAL).doc_id, params.get(TOTAL).unit_id, params.get(STRUCTURE).unit_id
    try:
        plan = bachu_plan(corpus, params)
    except KeyError:
        return []
    out: list[Finding] = []
    total = plan.total_ha
    for item in plan.items:
        exact = item.hectares / total * 100
        ok = share_matches(item.printed_share, exact)
        out.append(Finding(
            "share", doc_id, (structure_unit,), f"{item.name}{fmt(item.hectares)}公顷，占比{item.printed_share_text}%",
            f"{fmt(item.hectares)} ÷ {fmt(total)} = {fmt(exact, 4)}%", ok,
            f"{item.name}占比：原文{item.printed_share_text}%，计算{fmt(exact, 4)}%" + ("，一致" if ok else "，不一致"),
        ))
    parts = sum((i.hectares for i in plan.items), Fraction(0))
    out.append(Finding(
        "total", doc_id, (structure_unit, total_unit), f"供应总量{plan.total_ha_text}公顷",
        f"各类用地合计{fmt(parts)}公顷", parts == total,
        f"各类用地面积合计{fmt(parts)}公顷，供应总量{plan.total_ha_text}公顷" + ("，一致" if parts == total else "，不一致"),
    ))
    shares = sum((i.printed_share for i in plan.items), Decimal(0))
    out.append(Finding(
        "total", doc_id, (structure_unit,), "各类占比", f"原文占比合计{shares}%", shares == 100,
        f"原文各类占比相加为{shares}%" + ("" if shares == 100 else "，不等于100%"),
    ))
    return out


_PARTS = re.compile(r"(?P<total>\d+)(?P<counter>处|个村|个)（(?:其中)?(?P<inside>[^（）]*)）")


@per_corpus
def check_part_sums(corpus: Corpus) -> list[Finding]:
    """'20处（崩塌3处、滑坡5处、泥石流12处）', '需编制105个村（其中单独编制38个、合并编制29个）': do the parts add up?"""
    out: list[Finding] = []
    for unit in corpus.units:
        if unit.kind == "title":
            continue
        texts = [unit.text] if unit.kind != "table_row" else [v for v in (unit.cells or {}).values()]
        for text in texts:
            for m in _PARTS.finditer(text):
                parts = [int(x) for x in re.findall(r"(\d+)(?:个|处)", m["inside"])]
                if len(parts) < 2:
                    continue
                total = int(m["total"])
                ok = sum(parts) == total
                stated = m.group(0)
                out.append(Finding(
                    "parts", unit.doc_id, (unit.id,), stated, f"{'+'.join(map(str, parts))} = {sum(parts)}", ok,
                    f"{stated}：分项相加{'+'.join(map(str, parts))} = {sum(parts)}" + ("，与总数一致" if ok else f"，与总数{total}不一致"),
                ))
        if unit.kind in ("paragraph", "item") and unit.covers_source:
            head = re.match(r"(\d+)个([\u4e00-\u9fa5]+)。", unit.text)
            if head:
                counts = [int(x) for x in re.findall(r"[\u4e00-\u9fa5]{1,4}?(\d+)个[:：]", unit.text[head.end():])]
                if len(counts) >= 2:
                    ok = sum(counts) == int(head.group(1))
                    out.append(Finding(
                        "parts", unit.doc_id, (unit.id,), head.group(0), f"{'+'.join(map(str, counts))} = {sum(counts)}", ok,
                        f"“{head.group(0)}”后分类列举{'+'.join(map(str, counts))} = {sum(counts)}个" + ("，一致" if ok else f"，与{head.group(1)}个不一致"),
                    ))
    return out


def _longest_increasing(nums: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence (the numbering the printer meant)."""
    best: list[list[int]] = []
    for i, n in enumerate(nums):
        chains = [c for c in best if nums[c[-1]] < n]
        chain = [*max(chains, key=_length), i] if chains else [i]
        best.append(chain)
    if not best:
        return set()
    longest: list[int] = max(best, key=_length)
    return set(longest)


def _length(chain: list[int]) -> int:
    return len(chain)


@per_corpus
def check_table_numbering(corpus: Corpus) -> list[Finding]:
    """Printed 序号 of every table: numbers out of sequence, and gaps."""
    out: list[Finding] = []
    for table in corpus.tables:
        if "序号" not in table.headers:
            continue
        rows = [r for r in table.rows if r.cells.get("序号", "").isdigit()]
        nums = [int(r.cells["序号"]) for r in rows]
        keep = _longest_increasing(nums)
        good = [n for i, n in enumerate(nums) if i in keep]
        explained: set[int] = set()
        for i, (row, n) in enumerate(zip(rows, nums, strict=False)):
            if i in keep:
                continue
            prev = max((nums[j] for j in keep if j < i), default=0)
            nxt = min((nums[j] for j in keep if j > i), default=None)
            guess = prev + 1 if nxt is not None and nxt - prev == 2 else None
            if guess:
                explained.add(guess)
            out.append(Finding(
                "numbering", table.doc_id, (row.unit_id,), f"序号{n}", f"位于{prev}与{nxt}之间", False,
                f"{table.label}序号{n}位于{prev}与{nxt}之间，顺序不对" + (f"（应为{guess}）" if guess else ""),
            ))
        missing = sorted(set(range(1, max(good) + 1)) - set(good) - explained) if good else []
        if missing:
            out.append(Finding(
                "numbering", table.doc_id, (table.id,), f"{len(table.rows)}行，序号至{max(good)}", f"缺{'、'.join(map(str, missing))}", False,
                f"{table.label}共{len(table.rows)}个数据行，印刷序号到{max(good)}，缺序号{'、'.join(map(str, missing))}",
            ))
    return out


@per_corpus
def check_amounts(corpus: Corpus) -> list[Finding]:
    """A project's 总金额 against the '投资X万元' its own description states; empty amounts."""
    out: list[Finding] = []
    for table in corpus.tables:
        amount_key = next((h for h in table.headers if h.startswith("总金额")), None)
        if not amount_key:
            continue
        empty = []
        for row in table.rows:
            amount = row.cells.get(amount_key, "").strip()
            if not amount:
                empty.append(row)
                continue
            for text in row.cells.values():
                for m in re.finditer(r"投资(\d+(?:\.\d+)?)万元", text):
                    ok = Decimal(m.group(1)) == Decimal(amount)
                    out.append(Finding(
                        "amount", table.doc_id, (row.unit_id,), f"{amount_key}{amount}", f"建设内容写“{m.group(0)}”", ok,
                        f"{table.label}序号{row.cells.get('序号')}：{amount_key}为{amount}，建设内容写“{m.group(0)}”" + ("，一致" if ok else "，不一致"),
                    ))
        if empty:
            out.append(Finding(
                "amount", table.doc_id, (table.id,), f"{len(empty)}个项目未列金额", "合计时不计入", True,
                f"{table.label}有{len(empty)}个项目未列{amount_key}（序号{'、'.join(r.cells.get('序号', '') for r in empty)}），合计时不计入",
            ))
    return out


# Indicators of 表1 printed again in the plan's text: (indicator, pattern with group 'v' in the table's unit, factor)
TEXT_TABLE_CHECKS: list[tuple[str, str, str, Fraction]] = [  # (table, indicator, pattern, factor to the table unit)
    ("kashgar-plan:t1", "耕地保有量", r"全地区耕地[\d.]+万公顷（(?P<v>[\d.]+)万亩）", Fraction(1)),
    ("kashgar-plan:t1", "永久基本农田保护面积", r"永久基本农田保护面积[\d.]+万公顷（(?P<v>[\d.]+)万亩）", Fraction(1)),
    ("kashgar-plan:t1", "生态保护红线面积", r"生态保护红线面积(?P<v>[\d.]+)万平方公里", Fraction(10000)),
    ("kashgar-plan:t1", "采矿权总数", r"现有有效采矿权(?P<v>\d+)个", Fraction(1)),
    ("kashgar-plan:t1", "主要矿种新增资源量（煤炭）", r"新增资源量：煤(?P<v>[\d.]+)万吨", Fraction(1)),
    ("kashgar-plan:t1", "主要矿种新增资源量（铁）", r"铁矿石量(?P<v>[\d.]+)万吨", Fraction(1, 10000)),
    ("kashgar-plan:t1", "主要矿种新增资源量（铜矿）", r"铜金属量(?P<v>[\d.]+)万吨", Fraction(1)),
    ("kashgar-plan:t1", "主要矿种新增资源量（铅锌矿）", r"铅\+锌金属量(?P<v>[\d.]+)万吨", Fraction(1)),
    ("kashgar-plan:t1", "主要矿种新增资源量（石膏）", r"石膏资源量(?P<v>[\d.]+)亿吨", Fraction(1)),
    ("kashgar-plan:t1", "主要矿种新增资源量（石灰岩）", r"石灰岩矿石量(?P<v>[\d.]+)亿吨", Fraction(1)),
]


@per_corpus
def check_text_against_tables(corpus: Corpus) -> list[Finding]:
    out: list[Finding] = []
    tables = {t.id: t for t in corpus.tables}
    for table_id, name, pattern, factor in TEXT_TABLE_CHECKS:
        table = tables.get(table_id)
        if table is None:
            continue
        row = next((r for r in table.rows if r.cells.get("指标名称") == name), None)
        if row is None:
            continue
        printed = row.cells.get("2020年", "")
        for unit in _leaf_units(corpus):
            if unit.doc_id != table.doc_id:
                continue
            m = re.search(pattern, unit.text)
            if not m:
                continue
            text_value = Fraction(Decimal(m["v"])) * factor
            try:
                table_value = Fraction(Decimal(printed))
            except ArithmeticError:
                continue
            tol = half_ulp(printed) + half_ulp(m["v"]) * factor
            ok = abs(text_value - table_value) <= tol
            unit_name = row.cells.get("单位", "")
            note = ""
            if not ok and "新增资源量" in name:
                note = "（正文是“十三五”期间的新增资源量，表1列在“2020年”栏下，口径可能不同）"
            elif not ok and name == "耕地保有量":
                note = "（耕地保有量与第三次国土调查耕地面积口径可能不同）"
            out.append(Finding(
                "text_table", table.doc_id, (row.unit_id, unit.id), f"表1“{name}”2020年{printed}{unit_name}",
                f"正文“{m.group(0)}”= {fmt(text_value)}{unit_name}", ok,
                f"表1“{name}”2020年为{printed}{unit_name}，正文写“{m.group(0)}”（= {fmt(text_value)}{unit_name}）" + ("，一致" if ok else f"，不一致{note}"),
            ))
    return out


_SHARE_OF_TOTAL = re.compile(r"面积(?P<a>[\d.]+)万平方公里，占(?P<whose>[\u4e00-\u9fa5]*?)国土面积的(?P<p>[\d.]+)%")


@per_corpus
def check_implied_totals(corpus: Corpus) -> list[Finding]:
    """'面积3.42万平方公里，占喀什地区国土面积的31.52%' twice, and the land-survey sum: do they imply one total area?"""
    out: list[Finding] = []
    by_doc: dict[str, list[tuple[str, str, Fraction, Fraction]]] = {}
    for unit in _leaf_units(corpus):
        for m in _SHARE_OF_TOTAL.finditer(unit.text):
            a, p = Fraction(Decimal(m["a"])), Fraction(Decimal(m["p"]))
            lo = (a - half_ulp(m["a"])) / ((p + half_ulp(m["p"])) / 100)
            hi = (a + half_ulp(m["a"])) / ((p - half_ulp(m["p"])) / 100)
            by_doc.setdefault(unit.doc_id, []).append((unit.id, m.group(0), lo, hi))
        survey = re.search(r"变更数据库中(?P<body>[^。]*)。", unit.text)
        if survey:
            areas = [Fraction(Decimal(x)) for x in re.findall(r"([\d.]+)公顷", survey["body"])]
            if len(areas) >= 3:
                total_wan_km2 = sum(areas, Fraction(0)) / 100 / 10000
                by_doc.setdefault(unit.doc_id, []).append((unit.id, f"变更数据库各地类合计{fmt(sum(areas))}公顷", total_wan_km2, total_wan_km2))
    for doc_id, items in by_doc.items():
        if len(items) < 2:
            continue
        lo = max(i[2] for i in items)
        hi = min(i[3] for i in items)
        ok = lo <= hi
        ranges = "；".join(
            f"「{i[1]}」" + (f"推算国土面积{fmt(i[2], 3)}～{fmt(i[3], 3)}万平方公里" if i[2] != i[3] else f"即{fmt(i[2], 4)}万平方公里")
            for i in items
        )
        out.append(Finding(
            "implied_total", doc_id, tuple(i[0] for i in items), "国土面积", ranges, ok,
            f"{ranges}：" + ("相互一致" if ok else "相互矛盾"),
        ))
    return out


def check_source_figures(corpus: Corpus) -> list[Finding]:
    """Every check of printed figures over the whole corpus, consistent ones included."""
    return [
        *check_conversions(corpus),
        *check_bachu(corpus),
        *check_part_sums(corpus),
        *check_table_numbering(corpus),
        *check_amounts(corpus),
        *check_text_against_tables(corpus),
        *check_implied_totals(corpus),
    ]


def source_inconsistencies(corpus: Corpus) -> list[Finding]:
    return [f for f in check_source_figures(corpus) if not f.consistent]


def named_documents(q: Question, ctx: RuleContext) -> list[str]:
    """Documents the question names, from the catalog: by title or alias, else by place (the most specific
    document for a place: '巴楚' is the Bachu plan, not the Kashgar plan that also lists the county)."""
    docs = ctx.texts.catalog.documents
    named = {d.id: [n for n in (d.title, d.short_name, *d.aliases) if n and n in q.norm] for d in docs}
    longest = {d: max(ns, key=len) for d, ns in named.items() if ns}
    # '喀什十四五规划' names the Kashgar plan, not every document called '十四五规划'
    by_name = [d for d, n in longest.items() if not any(n != m and n in m for m in longest.values())]
    if by_name:
        return by_name
    by_place = [d for d in docs if any(p and p in q.norm and p not in ("自治区",) for p in d.places)]
    if not by_place:
        return []
    depth = max(len(d.region) for d in by_place)
    return [d.id for d in by_place if len(d.region) == depth]


class SourceFigureCheck(Hook):
    name = "source_figures.check"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if ctx.corpus is None:
            return False
        if not q.has("核对", "校核", "核验", "一致", "矛盾", "有误", "错误", "对不上", "检查", "对不对", "是否正确", "准确"):
            return False
        return q.has("数据", "数字", "面积", "换算", "合计", "占比", "计算", "亩", "公顷", "金额", "序号", "总数", "总和")

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        findings = check_source_figures(ctx.texts)
        docs = named_documents(q, ctx)
        if docs:
            findings = [f for f in findings if f.doc_id in docs]
        bad = [f for f in findings if not f.consistent]
        checked = len(findings)
        if bad:
            result = f"核对了{checked}处原文数字，发现{len(bad)}处不一致：" + "；".join(f.message for f in bad)
        else:
            result = f"核对了{checked}处原文数字，未发现不一致。"
        return [Computation(
            rule=self.name, title="原文数字核对（换算、占比、合计、分项、序号、正文与表格）", result=result,
            value=decimal_value(len(bad)), formula="1公顷 = 15亩；按原文印刷的小数位数判断是否为四舍五入误差；占比 = 分项 ÷ 总量",
            inputs={"范围": docs or "全部文件"},
            citation_ids=list(dict.fromkeys(u for f in bad for u in f.unit_ids)),
            warnings=[], details={"inconsistent": [f.message for f in bad], "checked": checked},
        )]


HOOKS: list[Hook] = [SourceFigureCheck()]
