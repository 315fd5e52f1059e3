"""What every rule hook shares: the Hook interface, region and draft warnings, citations from parameters."""
from __future__ import annotations

import re

from qa.places import region_key
from qa.rules.extract import Question
from qa.rules.model import Computation, RuleContext

FINE_WORDS = ("罚款", "罚多少", "罚金", "处罚", "怎么罚", "如何罚", "罚")

# words that ask who decides; a bare approval verb counts unless it reports a past act ('经批准开发', '批准后')
AUTH_QUESTION = (
    "谁批", "谁来批", "谁审批", "谁审核", "谁负责", "谁处理", "谁管", "由谁", "找谁", "报谁", "哪级", "哪一级", "哪个部门",
    "哪个政府", "哪个机关", "什么机关", "哪些部门", "哪里批", "报哪", "权限", "审批机关", "批准机关", "怎么批", "如何审批",
    "怎么处理", "如何处理", "怎么审批", "审批程序", "报批程序", "谁有权", "有权批", "能批吗", "能不能批", "可以批吗", "批吗",
    "谁能", "谁可以", "谁来组织", "谁组织", "由谁组织", "谁编",
)
APPROVAL_VERBS = ("审批", "批准", "报批", "审核", "备案", "处理", "审议")
_PAST_ACT = re.compile(r"(经|已|被|已经|获)(批准|审批|报批|审核)|(批准|审批|报批)(后|之日|的[^机部]|开发|文件)|处理决定")


def said(q: Question, *words: str) -> str:
    """The first of the words the question says (by position), or '' — the question's own words for 'as understood'."""
    found = [(q.norm.find(w), -len(w), w) for w in words if w in q.norm]
    return min(found)[2] if found else ""


# whether someone may approve ("能不能自己批", "有没有权审批"): a modal word a few characters before an approval verb
MAY_APPROVE = re.compile(r"(?:能不能|可不可以|能否|可否|有没有权|有无权|有权|能|可以)[^，。？！；]{0,4}?(?:批|审批|审核)(?!多|几)")  # 能批多大 asks how much


def asks_authority(q: Question) -> bool:
    """Does the question ask which body approves, handles or files something?"""
    if q.has(*AUTH_QUESTION) or re.search(r"由\S{1,8}批", q.norm) or MAY_APPROVE.search(q.norm):
        return True
    rest = _PAST_ACT.sub("", q.norm)
    return any(v in rest for v in APPROVAL_VERBS)


class Hook:
    """A rule hook: `applies` says whether the question asks for this rule; `compute` returns one or more
    computations. Hooks decide from general patterns only and know nothing of each other: which rule wins
    when several apply is declared in registry.toml."""

    name: str = ""

    def applies(self, q: Question, ctx: RuleContext) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:  # pragma: no cover - interface
        raise NotImplementedError


def region_warnings(q: Question, doc_id: str, ctx: RuleContext) -> list[str]:
    """A warning for every other region the question names: the rule is this document's region's."""
    doc = ctx.document(doc_id)
    own = region_key(doc.region)
    out: list[str] = []
    for region, name in q.regions.items():
        if region != own:
            named = f"「{name}」" if name == region else f"「{name}」（{region}）"
            out.append(
                f"问题提到{named}，而{doc.citation_title()}是{doc.region}的规定，"
                f"不适用于{region}；下面的计算仅按该文件给出，请以{region}当地的规定为准。"
            )
    return out


def draft_warnings(doc_id: str, ctx: RuleContext) -> list[str]:
    doc = ctx.document(doc_id)
    if doc.is_draft:
        return [f"{doc.citation_title()}是征求意见稿，尚未正式施行，其中的数值和程序可能在定稿时改变。"]
    return []


def doc_warnings(q: Question, doc_id: str, ctx: RuleContext) -> list[str]:
    return region_warnings(q, doc_id, ctx) + draft_warnings(doc_id, ctx)


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年|-|/|\.)")


def outside_period(q: Question, doc_id: str, ctx: RuleContext, extra_years: tuple[int, ...] = ()) -> list[int]:
    """Years the question names that the document's period (catalog period_start..period_end) does not cover."""
    dates = ctx.document(doc_id).dates
    if "period_start" not in dates or "period_end" not in dates:
        return []
    first, last = int(dates["period_start"][:4]), int(dates["period_end"][:4])
    years = {int(y) for y in _YEAR.findall(q.norm)}
    return sorted(y for y in years if not (first <= y <= last) and y not in extra_years)


GENERAL_WORDS = (
    "怎么分", "如何分", "怎么划分", "如何划分", "分几档", "哪几档", "几档", "标准是什么", "标准是多少", "标准是啥", "有哪些",
    "怎么规定", "规定是什么", "计算方法", "怎么算", "如何计算", "罚款标准", "面积标准", "审批权限怎么", "每平方米",
)


def asks_general(q: Question) -> bool:
    """A question about the rule itself (its table), not about one case whose inputs are missing."""
    return q.has(*GENERAL_WORDS)


def cite(ctx: RuleContext, *param_ids: str) -> list[str]:
    """The unit ids the given parameters come from, in order, without repeats."""
    out: list[str] = []
    for pid in param_ids:
        unit_id = ctx.params.get(pid).unit_id
        if unit_id not in out:
            out.append(unit_id)
    return out


def label(ctx: RuleContext, param_id: str) -> str:
    """'《…办法》第五十三条第一款第（二）项' for a parameter."""
    param = ctx.params.get(param_id)
    return f"{ctx.document(param.doc_id).citation_title()}{param.path}"


def short(ctx: RuleContext, param_id: str) -> str:
    return ctx.params.get(param_id).path


def doc_of(ctx: RuleContext, param_id: str) -> str:
    """The document a rule is bound to, through one of its parameters."""
    return ctx.params.get(param_id).doc_id


def doc_title(ctx: RuleContext, param_id: str) -> str:
    """'《新疆维吾尔自治区实施〈中华人民共和国土地管理法〉办法》': the title of the document a parameter comes from."""
    return ctx.document(doc_of(ctx, param_id)).citation_title()


def article(ctx: RuleContext, param_id: str) -> str:
    """'《…办法》第五十三条' for a parameter of a statute; the document title and path for a plan."""
    param = ctx.params.get(param_id)
    path = param.path.split("条")[0] + "条" if "条" in param.path else param.path
    return f"{ctx.document(param.doc_id).citation_title()}{path}"
