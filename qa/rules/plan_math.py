"""Plan arithmetic: sums and shares over the Bachu supply structure, the Kashgar project list and the Kashgar indicators."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from qa.rules.base import Hook, doc_of, doc_warnings, outside_period
from qa.rules.conversions import show, targets
from qa.rules.extract import SQM_PER, Question, places
from qa.rules.figures import check_amounts, check_table_numbering, check_text_against_tables
from qa.rules.model import Computation, Reading, RuleContext, Understood, decimal_value, fmt
from qa.rules.plan_tables import INDICATORS, MU_PER_HA, PERIOD, PROJECTS, STRUCTURE, TOTAL, SupplyPlan, bachu_plan, share_matches

# ------------------------------------------------------------------ 巴楚县2025年度国有建设用地供应计划

# how staff name the land uses of the structure paragraph -> the printed name
BACHU_ALIASES = {
    "工矿仓储": "工矿仓储用地", "工业": "工矿仓储用地", "仓储": "工矿仓储用地", "工矿": "工矿仓储用地",
    "住宅": "住宅用地", "居住": "住宅用地",
    "公共管理与公共服务": "公共管理与公共服务用地", "公共管理": "公共管理与公共服务用地", "公共服务": "公共管理与公共服务用地",
    "公服": "公共管理与公共服务用地",
    "商服": "商服用地", "商业": "商服用地",
    "交通运输": "交通运输用地", "交通": "交通运输用地",
    "水域及水利设施": "水域及水利设施用地", "水利": "水域及水利设施用地", "水域": "水域及水利设施用地",
    "特殊用地": "特殊用地",
}


def bachu_total_mu_warning(plan: SupplyPlan) -> str | None:
    mu = plan.total_ha * MU_PER_HA
    if abs(Fraction(plan.total_mu_printed) - mu) > Fraction(1, 100):
        return (
            f"原文“{plan.total_ha_text}公顷（约{plan.total_mu_printed}亩）”的亩数有误：{plan.total_ha_text}公顷 × 15 = {fmt(mu)}亩，"
            f"不是{plan.total_mu_printed}亩"
            + ("（相差约10倍，疑为漏印一位数字）。" if abs(mu / Fraction(plan.total_mu_printed) - 10) < Fraction(1, 10) else "。")
        )
    return None


DIFFERENCE_WORDS = ("多多少", "少多少", "差多少", "相差", "多出", "差距", "差额", "多了多少", "少了多少", "比…多", "高多少", "低多少")


# 'A是B的百分之多少', 'A占B的比例': one item over the other, not over the total
RATIO_PERCENT = re.compile(r"(是|占|相当于)[\u4e00-\u9fa5、]{1,14}?的(百分之多少|百分之几|多少%|比例|比重|百分比|几成)")


def asks_difference(q: Question) -> bool:
    """'A比B多多少', '相差多少', 'A比B多投资多少'."""
    return q.has(*DIFFERENCE_WORDS) or bool(re.search(r"比.{1,15}?(多|少|高|低)[\u4e00-\u9fa5]{0,4}?(多少|几)", q.norm))


def _in_question_order(q: Question, names: list[str]) -> list[str]:
    """Item names in the order the question says them ('住宅比商服多多少': 住宅 first)."""
    def pos(name: str) -> int:
        spots = [q.norm.find(alias) for alias, full in BACHU_ALIASES.items() if full == name and alias in q.norm]
        return min(spots) if spots else len(q.norm)
    return sorted(names, key=pos)


class BachuSupply(Hook):
    name = "plan.bachu_supply"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if ctx.corpus is None or not q.has("巴楚"):
            return False
        if not q.has("供应", "供地", *[a for a in BACHU_ALIASES if a not in ("交通", "水利", "工业", "商业")]) and not (
            q.has(*BACHU_ALIASES) and q.has("用地")
        ):
            return False
        if q.has("计划期", "期限", "到期", "哪天", "多少天", "几天") and not q.has("公顷", "亩", "占比", *BACHU_ALIASES):
            return False  # the plan period is answered by BachuPeriod
        if q.has("价", "出让金", "元", "分布在", "在哪", "哪些乡", "哪几个乡"):
            return False  # prices and locations are not in the structure paragraph
        if not q.has("多少", "几成", "几倍", "几公顷", "几亩", "占比", "比例", "比重", "公顷", "亩", "平方米", "总量", "规模", "合计", "面积",
                     "最大", "最多", "最小", "最少", "倍"):
            return False  # the plan's other content (basis, dates, procedures) is for retrieval, not arithmetic
        if not q.has("公顷", "亩", "平方米", "面积", "用地", "总量", "规模", "占比", "比例", "比重", *BACHU_ALIASES):
            return False  # '计划期多少天' is not an area question
        return not outside_period(q, doc_of(ctx, TOTAL), ctx)  # another year's plan: the 2025 figures do not answer it

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        plan = bachu_plan(ctx.corpus, ctx.params)
        bachu = doc_of(ctx, TOTAL)
        warnings = doc_warnings(q, bachu, ctx)
        names = [i.name for i in plan.items]
        asked: list[str] = []
        said_as: dict[str, str] = {}
        for alias in sorted(BACHU_ALIASES, key=len, reverse=True):
            if alias in q.norm and BACHU_ALIASES[alias] in names and BACHU_ALIASES[alias] not in asked:
                asked.append(BACHU_ALIASES[alias])
                said_as[BACHU_ALIASES[alias]] = alias
        if asked and q.has("除了", "以外", "之外", "除去", "扣除"):
            asked = [i.name for i in plan.items if i.name not in asked]  # '除了工矿仓储以外其他各类'
            warnings.append("按「除……以外」理解，取其余各类用地。")
        ratio = difference = None
        as_percent = bool(RATIO_PERCENT.search(q.norm))
        if len(asked) == 2 and (q.has("倍") or as_percent or asks_difference(q)):
            first, second = (next(i for i in plan.items if i.name == n) for n in _in_question_order(q, asked))
            if q.has("倍") or as_percent:
                ratio = (first, second)
            else:
                difference = (first, second)
        if q.has("最大", "最多") and not asked:
            asked = [max(plan.items, key=lambda i: i.hectares).name]
        elif q.has("最小", "最少") and not asked:
            asked = [min(plan.items, key=lambda i: i.hectares).name]
        if q.has("今年", "本年") and not outside_period(q, bachu, ctx) and ctx.today.year != 2025:
            warnings.append(f"问题说“今年”，当前是{ctx.today.year}年，而该计划只管2025年1月1日至12月31日；以下是2025年度计划的数字。")
        unit_targets = [u for u in targets(q) if u in ("亩", "平方米", "平方公里")]
        total = plan.total_ha
        parts_sum = sum((i.hectares for i in plan.items), Fraction(0))
        citation = [ctx.params.get(STRUCTURE).unit_id, ctx.params.get(TOTAL).unit_id]

        def area_text(ha: Fraction) -> str:
            extra = [f"{fmt(ha * SQM_PER['公顷'] / SQM_PER[u])}{u}" for u in (unit_targets or ["亩"])]
            return f"{fmt(ha)}公顷（{'，'.join(extra)}）"

        if asked:
            chosen = [i for i in plan.items if i.name in asked]
            ha = sum((i.hectares for i in chosen), Fraction(0))
            share = ha / total * 100
            printed = sum((i.printed_share for i in chosen), Decimal(0))
            label = "、".join(i.name for i in chosen)
            result = f"{label}{'合计' if len(chosen) > 1 else ''}{area_text(ha)}，占供应总量{fmt(total)}公顷的{fmt(share, 2)}%"
            check = "；".join(
                f"{i.name}：{fmt(i.hectares)} ÷ {fmt(total)} = {fmt(i.hectares / total * 100, 4)}%（原文{i.printed_share_text}%）" for i in chosen
            )
            for i in chosen:
                if not share_matches(i.printed_share, i.hectares / total * 100):
                    warnings.append(f"原文{i.name}占比{i.printed_share_text}%与按面积计算的{fmt(i.hectares / total * 100, 2)}%不一致。")
            if len(chosen) > 1:
                result += f"（原文各项占比相加为{printed}%）"
            formula = f"占比 = 面积 ÷ 供应总量 × 100%：{check}"
            value = decimal_value(ha)
            details = {"hectares": str(decimal_value(ha)), "share_percent": str(decimal_value(share, 4)), "items": asked}
            if difference:
                a, b = difference
                diff = a.hectares - b.hectares
                more = "多" if diff >= 0 else "少"
                result = f"{a.name}{fmt(a.hectares)}公顷比{b.name}{fmt(b.hectares)}公顷{more}{area_text(abs(diff))}"
                formula = f"{fmt(a.hectares)} − {fmt(b.hectares)} = {fmt(diff)}公顷；1公顷 = 15亩"
                value = decimal_value(abs(diff))
                details["difference_hectares"] = str(decimal_value(diff))
            elif ratio:
                times = ratio[0].hectares / ratio[1].hectares
                shown = f"{fmt(times * 100, 2)}%" if as_percent else f"{fmt(times, 2)}倍"
                result = f"{ratio[0].name}{fmt(ratio[0].hectares)}公顷是{ratio[1].name}{fmt(ratio[1].hectares)}公顷的{shown}"
                formula = f"{fmt(ratio[0].hectares)} ÷ {fmt(ratio[1].hectares)} = {fmt(times, 4)}"
                value = decimal_value(times * 100 if as_percent else times, 4)
                details["ratio"] = str(decimal_value(times, 6))
            elif q.has("总量") and q.has("最大", "最多", "最小", "最少"):
                result = f"供应总量{area_text(total)}；其中面积{'最大' if q.has('最大', '最多') else '最小'}的是" + result
        else:
            result = (
                f"2025年度巴楚县国有建设用地供应总量{area_text(total)}；其中"
                + "，".join(f"{i.name}{fmt(i.hectares)}公顷（{fmt(i.hectares / total * 100, 2)}%）" for i in plan.items)
                + f"；各项合计{fmt(parts_sum)}公顷" + ("，与总量一致" if parts_sum == total else f"，与总量{fmt(total)}公顷相差{fmt(parts_sum - total)}公顷")
            )
            formula = "亩数 = 公顷 × 15；占比 = 各类面积 ÷ 供应总量 × 100%"
            value = decimal_value(total)
            details = {"total_hectares": str(decimal_value(total)), "parts_sum_hectares": str(decimal_value(parts_sum))}
        mu_warning = bachu_total_mu_warning(plan)
        if mu_warning and (not asked or "亩" in unit_targets or q.has("总量", "亩")):
            warnings.append(mu_warning)
        understood = [
            Understood(words=said_as.get(i.name, "（其余各类）"), value=i.name, category=f"{fmt(i.hectares)}公顷，原文占比{i.printed_share_text}%",
                       basis="供应计划三、（二）")
            for i in plan.items if i.name in asked
        ]
        return [Computation(
            rule=self.name, title="巴楚县2025年度国有建设用地供应结构（供应计划 三、（一）（二））",
            result=result, value=value, formula=formula,
            inputs={"用地类型": asked or "全部", "单位": unit_targets or ["公顷", "亩"]},
            citation_ids=citation, warnings=warnings, details=details, understood=understood,
        )]


class BachuPeriod(Hook):
    """The Bachu plan's period: its end date and length in days."""

    name = "plan.bachu_period"
    PARAM = PERIOD

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if not q.has("巴楚") or not q.has("供地计划", "供应计划", "计划"):
            return False
        return q.has("计划期", "期限", "到期", "多少天", "几天", "截止", "管多长", "多长时间", "有效期")

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        from datetime import date as _date

        param = ctx.params.get(self.PARAM)
        m = re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", param.text)
        start, end = (_date(int(y), int(mo), int(d)) for y, mo, d in m)
        days = (end - start).days + 1
        warnings = doc_warnings(q, param.doc_id, ctx)
        if q.has("今年", "本年") and ctx.today.year != start.year:
            warnings.append(f"问题说“今年”，当前是{ctx.today.year}年，而该计划只管{start.year}年。")
        return [Computation(
            rule=self.name, title="巴楚县2025年度国有建设用地供应计划的计划期限（供应计划 二、）",
            result=f"计划期限为{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日，{end.year}年{end.month}月{end.day}日到期，共{days}天（首尾两日都计入）（{param.path}：“{param.quote}”）",
            value=days, formula=f"({end.isoformat()} − {start.isoformat()}) + 1 = {days}天",
            citation_ids=[param.unit_id], warnings=warnings, details={"start": start.isoformat(), "end": end.isoformat(), "days": days},
        )]


# ------------------------------------------------------------------ 喀什地区自然资源“十四五”项目清单（附件1）

AMOUNT = "总金额（万元）"
GROUP_ALIASES = {
    "规划编制": "规划编制类", "信息化": "信息化类", "生态修复": "生态修复类", "土地综合整治": "土地综合整治类",
    "综合整治": "土地综合整治类", "土地整治": "土地综合整治类", "治理能力": "治理能力类",
}
MULTI_COUNTY = ("十二县市", "12县市", "十县市", "各县市")


def county_short(county: str) -> str:
    """'巴楚县' -> '巴楚', '塔什库尔干县' -> '塔什库尔干', '喀什市' -> '喀什市'."""
    return county[:-1] if county.endswith("县") else county


def county_of(row_cells: dict[str, str]) -> str:
    """The county a project belongs to, by its 项目单位 (the bureau that carries it out)."""
    unit = row_cells.get("项目单位", "")
    for county in places()["xinjiang"]["kashgar_counties"]:
        if unit.startswith(county_short(county)):
            return county
    if unit.startswith(MULTI_COUNTY) or unit.startswith("各县"):
        return "多县市（未分县）"
    if unit.startswith("喀什地区"):
        return "喀什地区本级" if "县市" not in unit else "喀什地区及各县市"
    if unit.startswith("喀什经济开发区"):
        return "喀什经济开发区"
    return unit or "未注明"


def named_county(name: str) -> str | None:
    for county in places()["xinjiang"]["kashgar_counties"]:
        if county_short(county) in name:
            return county
    if "喀什地区" in name:
        return "喀什地区"
    return None


def _amount_text(amount: Decimal | None) -> str:
    return f"{fmt(amount)}万元" if amount is not None else "未列金额"


def amount_of(cells: dict[str, str]) -> Decimal | None:
    text = cells.get(AMOUNT, "").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


# words too general to pick projects by ('治理项目', '修复工程'); county names are filters of their own
GENERIC_PROJECT_WORDS = (
    "项目", "工程", "治理", "修复", "生态", "保护", "综合", "整治", "建设", "规划", "编制", "地区", "县市", "投资", "资金",
    "合计", "金额", "十四五", "自然资源", "清单", "附件", "喀什", "喀什市", "一共", "加起来", "多少", "那个", "那几个", "用地", "土地",
)
PROJECT_ALIASES = {"地灾": "地质灾害", "增减挂钩": "增减挂钩"}
ASK_PHRASES = re.compile(r"多大比[例重](?!尺)|多大(?!比例尺)|多少|几[个项处座]|占比|比重|一共|加起来|总共|合计|各县市|各县|每个县|分县市|分县|按县")
MONEY_WORDS = ("金额", "投资", "投多少", "资金", "多少钱", "钱", "万元", "亿元", "合计", "总计", "总额", "占比", "比例", "比重", "最大", "最多", "最少", "最小")
# "多少万" asks for money only when no other unit follows it ("多少万亩" asks for an area).
MONEY_WAN = re.compile(r"多少万(?!亩|公顷|平方|吨|人|户|千米|公里|个)")
COUNT_PATTERN = re.compile(r"(多少|几)个?项目|项目(有)?(多少|几)个|多少项|几项")


def _residual(word: str) -> str:
    rest = word
    for county in places()["xinjiang"]["kashgar_counties"]:
        rest = rest.replace(county, "").replace(county_short(county), "")
    for generic in sorted(GENERIC_PROJECT_WORDS, key=len, reverse=True):
        rest = rest.replace(generic, "")
    return re.sub(r"[^\u4e00-\u9fa5A-Za-z0-9]", "", rest)


def project_keywords(text: str, haystacks: list[str]) -> list[str]:
    """Maximal pieces of the question (3+ characters) printed in some project's name, category or description,
    that say more than a county or a generic word: '克孜河', '废弃砂石矿', '历史遗留废弃矿山'."""
    for short_form, long_form in PROJECT_ALIASES.items():
        text = text.replace(short_form, long_form)
    text = ASK_PHRASES.sub("｜", text)  # '多大比例' asks a share; its '大比例' is not the 大比例尺 project
    blob = "\n".join(haystacks)
    found: list[str] = []
    i = 0
    while i < len(text):
        best = ""
        for j in range(len(text), i + 2, -1):
            piece = text[i:j]
            if re.fullmatch(r"[\u4e00-\u9fa5A-Za-z0-9（）]+", piece) and piece in blob:
                best = piece
                break
        if best:
            if len(_residual(best)) >= 2:
                found.append(best)
            i += len(best)  # a county name or generic phrase is skipped whole ('英吉沙县' is not '吉沙县')
        else:
            i += 1
    return found


_CELL_FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s*(万亩|亩|万公顷|公顷|平方公里|平方千米|km2|km|公里|千米|处|座|个|眼|条|所)")
_TO_MU = {
    "亩": Fraction(1), "万亩": Fraction(10000), "公顷": Fraction(15), "万公顷": Fraction(150000),
    "平方公里": Fraction(1500), "平方千米": Fraction(1500), "km2": Fraction(1500),
}
_TO_KM = {"km": Fraction(1), "公里": Fraction(1), "千米": Fraction(1)}
_COUNTERS = ("处", "座", "个", "眼", "条", "所")


@dataclass(frozen=True)
class CellFigure:
    """A figure written in a table cell: '占地面积768亩' -> 768亩 (label 占地面积), '9个乡镇' -> 9 (noun 乡镇)."""

    value: Fraction
    unit: str
    family: str  # area | length | count
    base: Fraction  # in 亩, km or pieces
    label: str  # the words before it in its phrase
    noun: str  # for counts: what is counted ('乡镇')
    raw: str

    @property
    def key(self) -> str:
        """The label's last words ('占地面积', '封育面积'), which a question may name."""
        m = re.search(r"[\u4e00-\u9fa5]{0,2}面积$", self.label) or re.search(r"[\u4e00-\u9fa5]{2,4}$", self.label)
        return m.group(0) if m else ""


def cell_figures(text: str) -> list[CellFigure]:
    out: list[CellFigure] = []
    for m in _CELL_FIGURE.finditer(text):
        start = max(text.rfind(ch, 0, m.start()) for ch in "，,；;。、：:") + 1
        label = re.sub(r"^(开展|实施|完成|进行|共计|共|约|计)", "", text[start: m.start()].strip())
        value, unit = Fraction(Decimal(m.group(1))), m.group(2)
        if unit in _TO_MU:
            family, base = "area", value * _TO_MU[unit]
        elif unit in _TO_KM:
            family, base = "length", value * _TO_KM[unit]
        else:
            family, base = "count", value
        noun_m = re.match(r"[\u4e00-\u9fa5]{1,6}", text[m.end():]) if unit in _COUNTERS else None
        out.append(CellFigure(value, unit, family, base, label, noun_m.group(0) if noun_m else "", m.group(0)))
    return out


@dataclass(frozen=True)
class AskedFigure:
    family: str
    noun: str = ""  # for counts: the counted noun of the question ('乡镇')

    @property
    def what(self) -> str:
        return {"area": "面积", "length": "长度"}.get(self.family, f"{self.noun}数")

    @property
    def base_unit(self) -> str:
        return {"area": "亩", "length": "公里"}.get(self.family, "个")

    @property
    def rule(self) -> str:
        return {"area": "1万亩 = 10000亩，1公顷 = 15亩", "length": "1km = 1公里 = 1千米"}.get(self.family, "按写明的个数相加")

    def accepts(self, f: CellFigure) -> bool:
        if f.family != self.family:
            return False
        return self.family != "count" or (bool(self.noun) and (self.noun in f.noun or self.noun in f.label[-4:]))

    def show(self, x: Fraction) -> str:
        if self.family == "area":
            return f"{fmt(x)}亩（{fmt(x / 10000)}万亩，{fmt(x / 15)}公顷）"
        return f"{fmt(x)}{self.base_unit}"


def asked_figure(q: Question) -> AskedFigure | None:
    """A question asking for an area, a length or a count of something other than projects."""
    if q.has("多少亩", "多少万亩", "几亩", "多少公顷", "面积多大", "面积是多少", "面积一共", "面积合计", "总面积", "多大面积", "面积有多少"):
        return AskedFigure("area")
    if q.has("多少公里", "多少千米", "多长", "长度"):
        return AskedFigure("length")
    m = re.search(r"(?:多少|几)个?(处|座|眼|条|所|个)([\u4e00-\u9fa5]{1,4})", q.norm)
    if m and not m.group(2).startswith(("项目", "工程", "项", "工作日", "天", "日", "月", "年", "小时", "人", "成员")):
        noun = re.sub(r"(的|国土|规划|编制|一共|合计|加起来).*$", "", m.group(2))
        return AskedFigure("count", noun) if noun else None
    return None


class KashgarProjects(Hook):
    name = "plan.kashgar_projects"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if ctx.corpus is None:
            return False
        counties = [c for c in places()["xinjiang"]["kashgar_counties"] if county_short(c) in q.norm]
        compares = len(counties) == 2 and asks_difference(q)
        if not (q.has(*MONEY_WORDS) or MONEY_WAN.search(q.norm) or COUNT_PATTERN.search(q.norm) or asked_figure(q) or compares):
            return False
        if not q.has("项目", "工程", "附件", "清单"):
            try:
                rows = ctx.corpus.table(ctx.params.get(PROJECTS).unit_id).rows
            except (StopIteration, KeyError):
                return False
            if not project_keywords(q.norm, [r.cells.get("项目名称", "") + "｜" + r.cells.get("类别", "") for r in rows]):
                return False  # no project named: '两项' etc. only count when the names are there
        if not q.has("喀什", "十四五", "附件1", "附件", "项目清单", *GROUP_ALIASES, *[county_short(c) for c in places()["xinjiang"]["kashgar_counties"]]):
            return False
        return not outside_period(q, doc_of(ctx, PROJECTS), ctx)

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        att1 = ctx.params.get(PROJECTS).unit_id
        table = ctx.corpus.table(att1)
        rows = table.rows
        kashgar = doc_of(ctx, PROJECTS)
        warnings = doc_warnings(q, kashgar, ctx)
        counties = [c for c in places()["xinjiang"]["kashgar_counties"] if county_short(c) in q.norm and not (c == "喀什市" and "喀什市" not in q.norm)]
        aliases = [a for a in sorted(GROUP_ALIASES, key=len, reverse=True) if a in q.norm]
        named = [r.cells.get("项目名称", "") + "｜" + r.cells.get("类别", "") for r in rows]
        keywords = [k for k in project_keywords(q.norm, named) if k not in aliases]
        by_description = False
        if not keywords:
            described = [r.cells.get("主要建设内容与规模", "") for r in rows]
            keywords = [k for k in project_keywords(q.norm, described) if k not in aliases]
            by_description = bool(keywords)
        # '废弃耕地生态修复项目' names projects; its '生态修复' is not the 大类 生态修复类
        aliases = [a for a in aliases if not any(a in k for k in keywords)]
        groups = list(dict.fromkeys(GROUP_ALIASES[a] for a in aliases))

        def matches(r) -> bool:
            text = r.cells.get("主要建设内容与规模", "") if by_description else r.cells.get("项目名称", "") + "｜" + r.cells.get("类别", "")
            return any(k in text for k in keywords)  # '退化草地（灌草地）', 'A和B两个项目': either

        selected = [r for r in rows
                    if (not counties or county_of(r.cells) in counties)
                    and (not groups or r.cells.get("大类") in groups)
                    and (not keywords or matches(r))]
        grand = sum((a for a in (amount_of(r.cells) for r in rows) if a is not None), Decimal(0))
        by_group = q.has("各类", "按类", "分类", "每类", "各大类", "按大类")
        by = "county" if q.has("各县", "按县", "分县", "每个县", "各县市", "分县市") else "group" if by_group else None
        filters = []
        if counties:
            filters.append("、".join(counties) + "（按项目单位归属）")
        if groups:
            filters.append("、".join(groups))
        if keywords:
            filters.append(("建设内容含" if by_description else "名称或类别含") + "“" + "”“".join(keywords) + "”")
        scope = "，".join(filters) if filters else "全部"
        figure = asked_figure(q)
        if figure is not None and not (q.has(*MONEY_WORDS) or MONEY_WAN.search(q.norm)):
            found = self._figures(q, ctx, selected, scope, figure, warnings, att1) if selected else None
            return [found] if found else []  # the list does not state it: the texts may, retrieval answers
        if len(counties) == 2 and asks_difference(q) and not by:
            return [self._county_difference(q, counties, selected, warnings, att1)]
        total, missing_rows = self._sum(selected)
        with_amount = len(selected) - len(missing_rows)
        details: dict[str, Any] = {"count": len(selected), "with_amount": with_amount, "sum_wan_yuan": str(total), "grand_total_wan_yuan": str(grand)}
        value = decimal_value(total)
        if q.has("最大", "最多", "最高", "最小", "最少", "最低") and not q.has("哪类", "哪个县", "哪一类"):
            priced = [(r, a) for r in selected if (a := amount_of(r.cells)) is not None]
            largest = q.has("最大", "最多", "最高")
            if priced:
                pick, amount = (max if largest else min)(priced, key=lambda ra: ra[1])
                result = (
                    f"附件1项目清单中{scope}列明金额的项目里，{'最大' if largest else '最小'}的是"
                    f"序号{pick.cells.get('序号')}“{pick.cells.get('项目名称')}”（{pick.cells.get('项目单位')}），{fmt(amount)}万元"
                )
                value = decimal_value(amount)
                details["pick"] = pick.unit_id
            else:
                result, value = f"附件1项目清单中{scope}的项目都没有列明金额", None
        else:
            result = f"附件1项目清单中{scope}项目共{len(selected)}个，其中{with_amount}个列明总金额，合计{fmt(total)}万元"
            if q.has("亿元", "多少亿"):
                result += f"（{fmt(total / 10000, 6)}亿元）"
            if selected and not with_amount:
                result, value = f"附件1项目清单中{scope}项目共{len(selected)}个，均未列总金额，无法合计", None
            elif filters and grand:
                result += f"，占附件1列明金额合计{fmt(grand)}万元的{fmt(Fraction(total) / Fraction(grand) * 100, 2)}%"
            if missing_rows and with_amount:
                result += f"；另有{len(missing_rows)}个项目未列金额（序号{'、'.join(r.cells.get('序号', '') for r in missing_rows)}），合计不含这些项目"
            if 0 < len(selected) <= 8:
                result += "。明细：" + "；".join(
                    f"序号{r.cells.get('序号')}“{r.cells.get('项目名称')}”{_amount_text(amount_of(r.cells))}"
                    + (f"（资金来源：{r.cells.get('资金来源')}）" if r.cells.get("资金来源") else "")
                    for r in selected
                )
        if by:
            key = county_of if by == "county" else (lambda cells: cells.get("大类", ""))
            buckets: dict[str, list] = {}
            for r in selected:
                buckets.setdefault(key(r.cells), []).append(r)
            lines = []
            for name, rs in sorted(buckets.items(), key=lambda kv: -self._sum(kv[1])[0]):
                s_, miss = self._sum(rs)
                lines.append(f"{name}：{len(rs)}个，{fmt(s_)}万元" + (f"（{len(miss)}个未列金额）" if miss else ""))
            result += "。分" + ("县市" if by == "county" else "大类") + "：" + "；".join(lines)
            details["groups"] = {name: str(self._sum(rs)[0]) for name, rs in buckets.items()}
        if not selected:
            result = f"附件1项目清单中没有符合条件（{scope}）的项目"
            value = None
        if counties or by == "county":
            warnings.append("县市归属按“项目单位”确定；项目单位为十二县市、十县市或各县市的项目未分县，不计入单个县。")
            for r in selected:
                named_c = named_county(r.cells.get("项目名称", ""))
                if named_c and named_c != county_of(r.cells) and not (named_c == "喀什地区" and county_of(r.cells).startswith("喀什地区")):
                    warnings.append(f"序号{r.cells.get('序号')}“{r.cells.get('项目名称')}”的项目名称指向{named_c}，项目单位却是{r.cells.get('项目单位')}。")
        if COUNT_PATTERN.search(q.norm) or q.has("多少个", "几个", "序号"):
            numbering = [f.message for f in check_table_numbering(ctx.corpus) if f.doc_id == kashgar and not f.consistent]
            if numbering:
                warnings.append("按实际行数计数；原文序号有误：" + "；".join(numbering) + "。")
        chosen_ids = {r.unit_id for r in selected}
        for f in check_amounts(ctx.corpus):
            if not f.consistent and chosen_ids.intersection(f.unit_ids):
                warnings.append(f"原文数字不一致：{f.message}（合计按“总金额”栏计算）。")
        citation = [att1] + ([r.unit_id for r in selected] if len(selected) <= 20 else [])
        understood = [Understood(words=county_short(c), value=c, category="县市（按项目单位归属）") for c in counties]
        understood += [Understood(words=a, value=GROUP_ALIASES[a], category="附件1大类") for a in aliases]
        understood += [Understood(words=k, category="建设内容含此词" if by_description else "项目名称或类别含此词") for k in keywords]
        return [Computation(
            rule=self.name, title="喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）", understood=understood,
            result=result, value=value, formula="合计 = 所选项目“总金额（万元）”之和；未列金额的项目不计入；占比 = 所选合计 ÷ 全部列明金额合计 × 100%",
            inputs={"筛选": scope, **({"分组": "县市" if by == "county" else "大类"} if by else {})},
            citation_ids=citation, warnings=warnings, details=details,
        )]

    def _county_difference(self, q: Question, counties: list[str], selected: list, warnings: list[str], att1: str) -> Computation:
        """'巴楚县比伽师县多投资多少': each county's total over the same filters, and the difference (of the amounts,
        or of the number of projects when the question counts them)."""
        ordered = sorted(counties, key=lambda c: q.norm.find(county_short(c)))
        rows = {c: [r for r in selected if county_of(r.cells) == c] for c in ordered}
        sums = {c: self._sum(rs) for c, rs in rows.items()}
        (a, (sa, ma)), (b, (sb, mb)) = sums.items()
        if re.search(r"多少个|几个|多少项|几项", q.norm) and not q.has(*MONEY_WORDS):
            na, nb = len(rows[a]), len(rows[b])
            return Computation(
                rule=self.name, title="喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）",
                result=f"{a}{na}个项目，{b}{nb}个项目，{a}比{b}{'多' if na >= nb else '少'}{abs(na - nb)}个", value=decimal_value(abs(na - nb)),
                formula=f"{na} − {nb} = {na - nb}个（按项目单位归属计数）", citation_ids=[att1], warnings=warnings,
                details={"counts": {a: na, b: nb}}, understood=[Understood(words=county_short(c), value=c, category="县市（按项目单位归属）") for c in ordered],
            )
        diff = sa - sb
        result = f"{a}{fmt(sa)}万元，{b}{fmt(sb)}万元，{a}比{b}{'多' if diff >= 0 else '少'}{fmt(abs(diff))}万元"
        if ma or mb:
            result += "（" + "；".join(f"{c}有{len(m)}个项目未列金额，不计入" for c, (_, m) in sums.items() if m) + "）"
        warnings.append("县市归属按“项目单位”确定；项目单位为十二县市、十县市或各县市的项目未分县，不计入单个县。")
        return Computation(
            rule=self.name, title="喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）", result=result,
            value=decimal_value(abs(diff)), formula=f"{fmt(sa)} − {fmt(sb)} = {fmt(diff)}万元（各县“总金额（万元）”之和）",
            citation_ids=[att1], warnings=warnings, details={"sums_wan_yuan": {c: str(v[0]) for c, v in sums.items()}, "difference_wan_yuan": str(diff)},
            understood=[Understood(words=county_short(c), value=c, category="县市（按项目单位归属）") for c in ordered],
        )

    def _figures(self, q: Question, ctx: RuleContext, selected: list, scope: str, asked: AskedFigure, warnings: list[str], att1: str) -> Computation | None:
        """Sum of a figure written inside the 主要建设内容与规模 cells of the selected rows ('占地面积768亩', '9个乡镇')."""
        taken: list[tuple[Any, CellFigure]] = []
        unclear: list[tuple[Any, list[CellFigure]]] = []
        silent: list[Any] = []
        for r in selected:
            figs = [f for f in cell_figures(r.cells.get("主要建设内容与规模", "")) if asked.accepts(f)]
            named = [f for f in figs if f.key and f.key in q.norm]
            figs = named or figs
            if not figs:
                silent.append(r)
            elif len(figs) == 1:
                taken.append((r, figs[0]))
            elif len([f for f in figs if f.label.startswith("总") or "总面积" in f.label]) == 1:
                taken.append((r, next(f for f in figs if f.label.startswith("总") or "总面积" in f.label)))
            else:
                unclear.append((r, figs))
        what = asked.what
        total = sum((f.base for _, f in taken), Fraction(0))
        lines = [f"序号{r.cells.get('序号')}“{r.cells.get('项目名称')}”：{f.label}{f.raw}" for r, f in taken]
        understood = [
            Understood(words=f"{f.label}{f.raw}", value=f"{fmt(f.base)}{asked.base_unit}", category=f"序号{r.cells.get('序号')}的{what}") for r, f in taken
        ]
        details: dict[str, Any] = {"rows": len(selected), "summed": len(taken), "unit": asked.base_unit}
        readings: list[Reading] = []
        value = None
        if unclear:
            # a row naming several figures of the kind asked ('围栏封育5万亩；补播改良5万亩'): one of them, or all added
            choices = [[(f"「{f.label}{f.raw}」", f.base) for f in figs] + [("各项相加", sum((f.base for f in figs), Fraction(0)))] for _, figs in unclear]
            for opt in itertools.islice(itertools.product(*choices), 8):
                t = total + sum((b for _, b in opt), Fraction(0))
                label = "；".join(f"序号{r.cells.get('序号')}取{name}" for (r, _), (name, _) in zip(unclear, opt, strict=True))
                readings.append(Reading(label=label, result=f"合计{asked.show(t)}"))
            result = (f"附件1中{scope}项目有{len(unclear)}个的建设内容写了不止一个{what}，无法确定取哪一个，不给出合计："
                      + "；".join(
                          f"序号{r.cells.get('序号')}“{r.cells.get('项目名称')}”写了" + "、".join(f"{f.label}{f.raw}" for f in figs) for r, figs in unclear
                      )
                      + "。按各种取法：" + "；".join(f"{x.label}，{x.result}" for x in readings))
        elif not taken:
            return None
        else:
            value = decimal_value(total)
            result = f"附件1中{scope}项目的建设内容写明的{what}合计{asked.show(total)}（{len(taken)}个项目）"
            details["total"] = str(total)
        if silent and (taken or unclear):
            result += f"；另有{len(silent)}个项目建设内容未写{what}（序号{'、'.join(r.cells.get('序号', '') for r in silent)}），不计入"
        if 0 < len(lines) <= 12:
            result += "。明细：" + "；".join(lines)
        warnings.append(f"{what}取自附件1“主要建设内容与规模”栏的文字，不是单独的统计栏；同一项目写了几个{what}时按其说明取用。")
        return Computation(
            rule=self.name, title="喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）", result=result, value=value,
            formula=f"合计 = 所选项目建设内容中写明的{what}之和（{asked.rule}）", inputs={"筛选": scope, "统计": what},
            citation_ids=[att1, *[r.unit_id for r in selected][:20]], warnings=warnings, details=details,
            understood=understood, readings=readings,
        )

    @staticmethod
    def _sum(rows: list) -> tuple[Decimal, list]:
        total = Decimal(0)
        missing = []
        for r in rows:
            a = amount_of(r.cells)
            if a is None:
                missing.append(r)
            else:
                total += a
        return total, missing


# ------------------------------------------------------------------ 喀什 表1 指标表

_SUFFIXES = ("保护面积", "面积", "总规模", "总数", "达标率", "下降率")
_UNIT_FACTORS = {"万亩": ("亩", Fraction(10000)), "平方千米": ("平方公里", Fraction(1)), "万平方千米": ("平方公里", Fraction(10000))}


def indicator_keys(name: str) -> list[str]:
    """Words that identify an indicator in a question: its name, the name without a generic suffix, a mineral."""
    clean = name.replace("“", "").replace("”", "")
    keys = [name, clean]
    mineral = re.search(r"（(.+?)）", clean)
    if mineral:
        keys.append(mineral.group(1))
    for suffix in _SUFFIXES:
        if clean.endswith(suffix) and len(clean) - len(suffix) >= 3:
            keys.append(clean[: -len(suffix)])
    # the name's distinctive ending, as staff shorten it: '大型及中型以上绿色矿山达标率' -> '绿色矿山达标率'
    tail = re.search(r"[\u4e00-\u9fa5]{4}(达标率|下降率|增长率)$", clean)
    if tail and tail.group(0) != clean:
        keys.append(tail.group(0))
    return list(dict.fromkeys(keys))


def parse_indicator_value(text: str) -> Fraction | None:
    try:
        return Fraction(Decimal(text.strip()))
    except (ArithmeticError, ValueError):
        return None


def parse_indicator_cap(text: str) -> Fraction | None:
    """'300以内' -> 300 (an upper bound that includes the number)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(以内|以下|之内)\s*", text)
    return Fraction(Decimal(m.group(1))) if m else None


class KashgarIndicators(Hook):
    name = "plan.kashgar_indicators"

    def _rows(self, q: Question, ctx: RuleContext) -> list:
        try:
            table = ctx.corpus.table(ctx.params.get(INDICATORS).unit_id)
        except (StopIteration, KeyError):
            return []
        hits = []
        for r in table.rows:
            keys = indicator_keys(r.cells.get("指标名称", ""))
            mineral = re.search(r"（(.+?)）", r.cells.get("指标名称", ""))
            if mineral:
                if mineral.group(1) in q.norm and q.has("资源量", "矿种", "新增"):
                    hits.append(r)
            elif any(k and k in q.norm for k in keys):
                hits.append(r)
        return hits

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if ctx.corpus is None or not q.has("喀什") or not q.has("十四五", "指标", "2020", "2025", "规划", "表1"):
            return False
        if outside_period(q, doc_of(ctx, INDICATORS), ctx, extra_years=(2020,)):  # 表1 gives 2020 as the base year
            return False
        return bool(self._rows(q, ctx))

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        warnings = doc_warnings(q, doc_of(ctx, INDICATORS), ctx)
        lines = []
        details: dict[str, Any] = {}
        unit_targets = [u for u in targets(q) if u in ("亩", "公顷", "平方米", "平方公里")]
        for r in self._rows(q, ctx):
            c = r.cells
            unit = c.get("单位", "")
            v20, v25 = parse_indicator_value(c.get("2020年", "")), parse_indicator_value(c.get("2025年", ""))
            line = (
                f"{c.get('指标名称')}（{c.get('分类')}，{c.get('指标属性')}指标）："
                f"2020年{c.get('2020年')}{unit if v20 is not None else ''}，2025年{c.get('2025年')}{unit if v25 is not None else ''}"
            )
            cap25 = parse_indicator_cap(c.get("2025年", ""))
            if v20 is not None and v25 is not None:
                line += f"，变化{fmt(v25 - v20)}{unit}" + (f"（{fmt((v25 - v20) / v20 * 100, 2)}%）" if v20 else "")
            elif v20 is not None and cap25 is not None:
                line += f"，2025年上限{fmt(cap25)}{unit}（“以内”含本数），比2020年最多可增加{fmt(cap25 - v20)}{unit}"
                details[f"{c.get('指标名称')}_room"] = str(cap25 - v20)
            if unit in _UNIT_FACTORS and v20 is not None:
                base, factor = _UNIT_FACTORS[unit]
                sqm = v20 * factor * SQM_PER[base]
                shown = [u for u in (unit_targets or ["公顷"]) if u != base or unit != "平方千米"]
                conv = "，".join(show(sqm / SQM_PER[u], u) for u in shown)
                if conv:
                    line += f"（2020年值折合{conv}）"
            lines.append(line)
            details[c.get("指标名称", r.unit_id)] = {"2020年": c.get("2020年"), "2025年": c.get("2025年"), "单位": unit}
            for f in check_text_against_tables(ctx.corpus):
                if not f.consistent and r.unit_id in f.unit_ids:
                    warnings.append(f"原文数字不一致：{f.message}；引用时请注明出处。")
        rows = self._rows(q, ctx)
        applied = self._apply_rate(q, rows)
        understood = [Understood(words=next((k for k in indicator_keys(r.cells.get("指标名称", "")) if k and k in q.norm), r.cells.get("指标名称", "")),
                                 value=r.cells.get("指标名称", ""), category="表1指标") for r in rows]
        formula = "直接读取表1；变化 = 2025年值 − 2020年值；1万亩 = 10000/15公顷，1平方千米 = 100公顷"
        value = None
        if applied is not None:
            sentence, formula, value, used, more = applied
            understood = used
            lines.insert(0, sentence)
            details.update(more)
        return [Computation(
            rule=self.name, title="喀什地区自然资源“十四五”指标（《喀什地区自然资源“十四五”规划》表1）", value=value, understood=understood,
            result="；".join(lines), formula=formula, inputs={"指标": [r.cells.get("指标名称", "") for r in rows]},
            citation_ids=[ctx.params.get(INDICATORS).unit_id, *[r.unit_id for r in self._rows(q, ctx)]], warnings=warnings, details=details,
        )]


    @staticmethod
    def _apply_rate(q: Question, rows: list) -> tuple[str, str, Decimal | None, list[Understood], dict] | None:
        """A 表1 target rate (%) applied to the one base figure the question states: '…下降率16%' × 80 -> 67.2."""
        rated = [r for r in rows if r.cells.get("单位") == "%" and parse_indicator_value(r.cells.get("2025年", "")) is not None]
        if len(rated) != 1:
            return None
        row = rated[0]
        rate = parse_indicator_value(row.cells["2025年"])
        assert rate is not None
        bases = [m for m in _BASE_FIGURE.finditer(q.norm)
                 if not re.fullmatch(r"(19|20)\d{2}", m.group(1)) and Fraction(Decimal(m.group(1))) != rate and not m.group(2).startswith(("%", "％", "年"))]
        if len(bases) != 1:
            return None
        m = bases[0]
        base, unit = Fraction(Decimal(m.group(1))), m.group(2).strip()
        if re.match(r"[座个家处户人名项]", unit):
            unit = unit[0]  # '25座大中型矿山': the counter is the unit
        name = row.cells.get("指标名称", "")
        part = base * rate / 100
        understood = [
            Understood(words=m.group(0).strip(), value=f"{fmt(base)}{unit}", category="问题给出的基数"),
            Understood(words=name, value=f"{fmt(rate)}%", category=f"表1“{name}”2025年目标（{row.cells.get('指标属性')}指标）"),
        ]
        if "下降" in name or "减少" in name:
            after = base - part
            sentence = f"按表1“{name}”2025年目标{fmt(rate)}%：{fmt(base)}{unit} × (1 − {fmt(rate)}%) = {fmt(after)}{unit}，即下降{fmt(part)}{unit}"
            formula = f"目标值 = 基数 × (1 − 下降率) = {fmt(base)} × (1 − {fmt(rate)}%) = {fmt(after)}"
            return sentence, formula, decimal_value(after), understood, {"applied": str(after), "change": str(-part)}
        sentence = f"按表1“{name}”2025年目标{fmt(rate)}%：{fmt(base)}{unit} × {fmt(rate)}% = {fmt(part)}{unit}"
        return sentence, f"{fmt(base)} × {fmt(rate)}% = {fmt(part)}", decimal_value(part), understood, {"applied": str(part)}


_BASE_FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s*([^\d\s，,。？?！!、；;（）()]{0,8})")

HOOKS: list[Hook] = [BachuSupply(), BachuPeriod(), KashgarProjects(), KashgarIndicators()]
