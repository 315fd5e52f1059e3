"""Approval authorities: wasteland by area, land conversion, unused land, temporary use, plans, disputes, homesteads, 宁夏（八）."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from qa.places import xinjiang_levels
from qa.rules.base import Hook, asks_authority, asks_general, cite, doc_of, doc_title, doc_warnings, said, short
from qa.rules.extract import Question
from qa.rules.model import Computation, Reading, RuleContext, Understood, decimal_value, fmt
from qa.rules.thresholds import Bound, Tier, classify, strict_side

VILLAGE_USES = ("公共设施", "公益事业", "农村道路", "水利设施")
# "开一百公顷荒滩", "开片荒地": 开 with the wasteland as its object (its size or a measure word between them, then
# a few words saying which) is 开发; "开会讨论了荒地问题" opens no land
OPENING_WASTELAND = re.compile(
    r"开(?:(?:[\d.]+|[一二三四五六七八九十百千万两半几]+)\s*(?:万亩|亩|公顷|平方米|平米|平方公里)|片|块|些)[^，。；？！,;?!]{0,8}?荒[山地滩摊]|开荒"
)
RECOVERY_WORDS = ("收回", "没动工", "未动工", "没有动工", "不动工", "未开发", "没开发", "没有开发", "闲置", "闲着", "撂荒")


def _negated(q: Question, *objects: str) -> str:
    """The words denying the objects ('不涉及占用耕地'), or ''."""
    alt = "|".join(re.escape(o) for o in objects)
    m = re.search(rf"(不|未|没有|无|没)(涉及|占用|占|用)?(的)?({alt})", q.norm)
    return m.group(0) if m else ""


@dataclass(frozen=True)
class Option:
    key: str
    when: str  # the situation, as the article words it
    param_id: str  # the parameter holding the authority
    extra: tuple[str, ...] = ()  # further parameters whose words qualify the answer (shown verbatim)
    verb: str = "批准"
    filing: str | None = None  # parameter naming where the decision is filed (备案)


def _option_line(ctx: RuleContext, opt: Option) -> str:
    p = ctx.params
    line = f"{opt.when}：由{p.text(opt.param_id)}{opt.verb}"
    if opt.filing:
        line += f"，报{p.text(opt.filing)}备案"
    return line + f"（{short(ctx, opt.param_id)}：“{p.get(opt.param_id).quote}”）"


@dataclass(frozen=True)
class Listing:
    """How an authority hook words its answer: the article it reads, the title, and what to ask when the question
    names none of the situations (Option) the article lists."""

    anchor: str  # the parameter binding the rule to its document
    title: str  # the computation's title; '{doc}' stands for the document's title
    missing: str  # the input a question naming no situation lacks
    ask: str  # what to ask then
    formula: str = "按条文列举的情形确定批准机关"
    cited: tuple[str, ...] = ()  # parameters cited whichever situation applies


# the articles the authority hooks answer, by hook name
LISTINGS: dict[str, Listing] = {
    "xj.a22.conversion_authority": Listing(
        anchor="xj.a22.x1.approver", title="农用地转用审批权限（{doc}第二十二条）",
        missing="level", ask="请说明是设区的市还是县（市）的批次用地、用途，以及是否在城市和村庄、集镇建设用地范围内",
        formula="第二十二条：建设用地范围内按转用主体和用途分三项，范围外适用第二款",
    ),
    "xj.a23.unused_land_authority": Listing(
        anchor="xj.a23.x1.approver", title="建设项目占用未利用地的批准权限（{doc}第二十三条）",
        missing="project_level", ask="请说明建设项目由哪一级审批（国家/自治区、州市（地）、县（市））或是否跨州市、跨县",
    ),
    "xj.a43.temporary_use_authority": Listing(
        anchor="xj.a43.k1.approver", title="临时用地审批（{doc}第四十三条）",
        missing="involves_cultivated_land", ask="请说明临时用地是否涉及占用耕地", cited=("xj.a43.k2.reclamation",),
    ),
    "xj.a10.spatial_plan_authority": Listing(
        anchor="xj.a10.x1.approver", title="国土空间规划的批准机关（{doc}第十条）",
        missing="plan_level", ask="请说明是哪一级国土空间规划（自治区、州市（地）、县（市）、乡（镇））", formula="第十条第一款按规划层级列举报批程序",
    ),
    "xj.a8.dispute_authority": Listing(
        anchor="xj.a8.k2.authority", title="土地权属争议的处理机关（{doc}第八条）",
        missing="parties", ask="请说明争议双方是谁（个人、单位、乡镇/县市/州市之间，或地方与兵团、部队、中央驻疆单位之间）",
        cited=("xj.a8.k1.authority", "xj.a8.k5.status_quo"),
    ),
    "nx.i8.consolidation_plan_authority": Listing(
        anchor="nx.i8.approver",
        title="全域土地综合整治实施方案审批（宁夏《关于学习运用“千万工程”经验深入推进全域土地综合整治工作的实施意见（征求意见稿）》三、（八））",
        missing="matter", ask="",  # never asked: a question names the plan itself unless it speaks of quotas or 永久基本农田
    ),
}


class AuthorityHook(Hook):
    """A hook naming who approves, decides or handles a matter by the situations an article lists: the one the
    question names, or all of them and what to ask (its Listing)."""

    @property
    def listing(self) -> Listing:
        return LISTINGS[self.name]

    def title(self, ctx: RuleContext) -> str:
        return self.listing.title.format(doc=doc_title(ctx, self.listing.anchor))

    def answer(
        self, ctx: RuleContext, q: Question, options: list[Option], chosen: list[Option], inputs: dict[str, str], warnings: list[str], word: str = "",
    ) -> Computation:
        """One computation naming the authority of the chosen option, or all options and what to ask."""
        p = ctx.params
        warnings = doc_warnings(q, doc_of(ctx, self.listing.anchor), ctx) + warnings
        details: dict[str, object]
        if len(chosen) == 1:
            opt = chosen[0]
            result = _option_line(ctx, opt)
            for extra in opt.extra:
                warnings.append(f"{short(ctx, extra)}：“{p.get(extra).quote}”。")
            ids = [opt.param_id, *([opt.filing] if opt.filing else []), *opt.extra]
            missing: list[str] = []
            details = {"authority": p.text(opt.param_id), "option": opt.key}
            if opt.filing:
                details["filing"] = p.text(opt.filing)
        else:
            shown = chosen or options
            result = f"{self.listing.ask}。按条文：" + "；".join(_option_line(ctx, o) for o in shown)
            ids = [pid for o in shown for pid in (o.param_id, *([o.filing] if o.filing else []), *o.extra)]
            missing = [self.listing.missing]
            details = {"candidates": {o.key: p.text(o.param_id) for o in shown}}
        understood: list[Understood] = []
        if len(chosen) == 1 and word:
            opt = chosen[0]
            understood = [Understood(words=word, value=opt.when, category="适用情形", basis=f"{short(ctx, opt.param_id)}：由{p.text(opt.param_id)}{opt.verb}")]
        return Computation(
            rule=self.name, title=self.title(ctx), result=result, value=None, formula=self.listing.formula,
            inputs=inputs, citation_ids=cite(ctx, *ids, *self.listing.cited), warnings=warnings, missing=missing, details=details, understood=understood,
        )


# ------------------------------------------------------------------ 第十九条 开发国有荒山、荒地、荒滩

class WastelandAuthority(Hook):
    name = "xj.a19.wasteland_authority"
    ANCHOR = "xj.a19.x1.authority"  # the parameter binding this rule to its document
    TRIGGERS = ("荒山", "荒地", "荒滩", "荒摊", "一次性开发", "国有未利用地", "未确定土地使用权")

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        land = q.means(*self.TRIGGERS)
        develop = q.means("开发", "开垦") or bool(OPENING_WASTELAND.search(q.text))
        inverse = q.has(*self.AREA_ASKED) and any(q.has(*words) for words in self.LEVELS.values())
        if not (land and develop) or not (asks_authority(q) or inverse):
            return False
        return bool(q.areas) or not q.has(*RECOVERY_WORDS)  # without an area, taking the land back is 第二十条

    def tiers(self, ctx: RuleContext) -> list[Tier]:
        p = ctx.params
        b = lambda pid: Bound.of(p.get(pid))  # noqa: E731
        return [
            Tier("x1", short(ctx, "xj.a19.x1.authority"), None, b("xj.a19.x1.upper"), "xj.a19.x1.authority", p.get("xj.a19.x1.upper").unit_id, "30公顷以下"),
            Tier("x2", short(ctx, "xj.a19.x2.authority"), b("xj.a19.x2.lower"), b("xj.a19.x2.upper"), "xj.a19.x2.authority",
                 p.get("xj.a19.x2.lower").unit_id, "超过30公顷不足130公顷"),
            Tier("x3", short(ctx, "xj.a19.x3.authority"), b("xj.a19.x3.lower"), None, "xj.a19.x3.authority",
                 p.get("xj.a19.x3.lower").unit_id, "超过130公顷以上"),
        ]

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        p = ctx.params
        if q.has("撤销") and q.has("拆分", "拆小", "拆开", "分开", "分拆", "分别报批"):
            rev = p.get("xj.a55.revocation")
            return [Computation(
                rule=self.name, title=f"拆分审批一次性开发国有未利用地的后果（{doc_title(ctx, self.ANCHOR)}第五十五条）",
                result=f"由{rev.text}撤销审批决定（{rev.path}：“{rev.quote}”）；第十九条第二款：{p.text('xj.a19.no_split')}。",
                formula="第五十五条", citation_ids=cite(ctx, "xj.a55.revocation", "xj.a19.no_split"), warnings=doc_warnings(q, doc_of(ctx, self.ANCHOR), ctx),
                details={"authority": rev.text, "option": "revocation"},
            )]
        tiers = self.tiers(ctx)
        title = f"开发国有荒山、荒地、荒滩的审批权限（{doc_title(ctx, self.ANCHOR)}第十九条）"
        warnings = doc_warnings(q, doc_of(ctx, self.ANCHOR), ctx)
        warnings.append(f"按“一次性开发”面积确定权限：{p.get('xj.a19.one_time').quote}；{p.text('xj.a19.no_split')}（第十九条第二款）。")
        if q.has("建设项目", "建设占用", "盖房", "建厂"):
            warnings.append("第十九条适用于开发后从事种植业、林业、畜牧业、渔业生产；建设项目占用未利用地的审批见第二十三条。")
        ids = [t.outcome for t in tiers]
        if q.has("拆分", "拆小", "拆开", "分开批", "分拆"):
            warnings.append(f"{short(ctx, 'xj.a55.revocation')}：“{p.get('xj.a55.revocation').quote}”。")
            ids.append("xj.a55.revocation")
        table = "；".join(f"{t.text}：{p.text(t.outcome)}（{t.label}）" for t in tiers)
        areas = [end for pl in q.facts.plots if pl.area is not None for end in pl.area.ends()]  # a range's two ends are asked about
        if not areas:
            inverse = self._inverse(q, ctx, title, warnings, tiers)
            if inverse is not None:
                return [inverse]
            general = asks_general(q)
            return [Computation(
                rule=self.name, title=title,
                result=("按一次性开发面积分级审批：" if general else "请提供一次性开发的面积。按面积分级审批：") + table,
                formula="按一次性开发面积（公顷）落入的档次确定批准机关", citation_ids=cite(ctx, *ids),
                warnings=warnings, missing=[] if general else ["area"],
            )]
        if len(areas) > 1:
            lines = []
            for a in areas:
                cls_a = classify(a.to("公顷"), tiers)
                lines.append(f"{a.raw.strip()}：" + "或".join(p.text(t.outcome) for t in cls_a.candidates))
            warnings.append("一次性开发指同一项目在同一地块上的开发，严禁拆分审批，也不能把不同项目合并计算。")
            return [Computation(
                rule=self.name, title=title,
                result="问题中有多个面积，请说明哪一个是同一项目在同一地块上一次性开发的面积。各面积对应：" + "；".join(lines) + "。按面积分级审批：" + table,
                formula="按一次性开发面积（公顷）落入的档次确定批准机关", citation_ids=cite(ctx, *ids), warnings=warnings, missing=["area"],
                understood=[Understood(words=a.raw.strip(), value=f"{fmt(a.to('公顷'))}公顷") for a in areas],
            )]
        area = areas[0]
        ha = area.to("公顷")
        shown = f"{fmt(area.value)}{area.unit}" + ("" if area.unit == "公顷" else f"（{fmt(ha)}公顷）")
        cls = classify(ha, tiers)
        inputs = {"一次性开发面积": shown}
        understood = [Understood(words=next(pl.words for pl in q.facts.plots if pl.area is area), value=shown, category="一次性开发面积")]
        formula = f"{fmt(ha)}公顷 对照：{table}"
        tier = cls.definite
        # "超过130公顷", "超过30公顷": a figure said to be strictly past a boundary is in the tier just past it, whether or
        # not the boundary itself is ambiguous (30公顷 itself is 第（一）项; 超过30公顷 is 第（二）项)
        side = strict_side(q.norm, area.raw, ha, tiers)
        if side is not None:
            tier, qualifier = side
            shown = f"{qualifier}{shown}"
        if tier is not None:
            for bound in (tier.lower, tier.upper) if side is None else ():
                if bound is not None and bound.value == ha:
                    warnings.append(f"恰好{fmt(ha)}公顷：条文用「{'、'.join(bound.words)}」，按法律用语惯例「以上、以下」含本数、「超过、不足」不含本数，属{tier.label}。")
            understood[0].basis = f"{tier.label}：{tier.text}，由{p.text(tier.outcome)}批准"
            return [Computation(
                rule=self.name, title=title, result=f"一次性开发{shown}，由{p.text(tier.outcome)}批准（{tier.label}）",
                formula=formula, inputs=inputs, citation_ids=cite(ctx, tier.outcome), warnings=warnings,
                details={"authority": p.text(tier.outcome), "tier": tier.key, "hectares": str(decimal_value(ha))}, understood=understood,
            )]
        parts = []
        for reading in cls.readings:
            if reading.tiers:
                parts.append(f"{reading.label}：由{'或'.join(p.text(t.outcome) for t in reading.tiers)}批准（{'、'.join(t.label for t in reading.tiers)}）")
            else:
                parts.append(f"{reading.label}：{fmt(ha)}公顷不属于任何一档，条文未覆盖")
        touching = [t for t in tiers if any(b is not None and b.value == ha for b in (t.lower, t.upper))]
        printed = "；".join(f"{t.label}“{p.get(b.param_id).quote}”" for t in touching for b in (t.lower, t.upper) if b is not None and b.value == ha)
        warnings.append(
            f"恰好{fmt(ha)}公顷时条文有歧义：{printed}。法律用语中「以上、以下」含本数，「超过、不足」不含本数，"
            "同一界限同时用了两类词，条文无法确定批准机关，请向上级自然资源主管部门确认。"
        )
        understood[0].basis = "恰在分界上，条文有歧义"
        cited = [t.outcome for t in touching] + [t.outcome for t in cls.candidates]
        return [Computation(
            rule=self.name, title=title, result=f"一次性开发{shown}，条文在此处有歧义：" + "；".join(parts),
            formula=formula, inputs=inputs, citation_ids=cite(ctx, *cited), understood=understood,
            readings=[
                Reading(label=r.label, result="由" + "或".join(p.text(t.outcome) for t in r.tiers) + "批准" if r.tiers else "条文未覆盖") for r in cls.readings
            ],
            warnings=warnings, details={"readings": [{"reading": r.label, "authorities": [p.text(t.outcome) for t in r.tiers]} for r in cls.readings]},
        )]

    # which authority a question names, for the inverse question ('县里最多能批多大面积')
    LEVELS: ClassVar[dict[str, tuple[str, ...]]] = {
        "x1": ("县里", "县级", "县政府", "县（市）", "县市", "县人民政府"),
        "x2": ("州里", "地区", "行署", "行政公署", "州、市（地）", "地州", "州政府"),
        "x3": ("自治区人民政府", "自治区政府", "区里", "报自治区", "自治区批"),
    }
    AREA_ASKED = ("多大面积", "多少公顷", "多少亩", "面积多大", "多大的", "多大以内", "多大范围", "多大规模", "面积范围", "最多能批多", "多大")

    def _inverse(self, q: Question, ctx: RuleContext, title: str, warnings: list[str], tiers: list[Tier]) -> Computation | None:
        """'县里最多能批多大面积': the areas whose one-time development the named authority approves."""
        if not q.has(*self.AREA_ASKED):
            return None
        named = [(key, next(w for w in words if w in q.norm)) for key, words in self.LEVELS.items() if q.has(*words)]
        if len(named) != 1:
            return None
        key, word = named[0]
        p = ctx.params
        tier = next(t for t in tiers if t.key == key)
        span = (f"{tier.lower.words[-1] if len(tier.lower.words) == 1 else '、'.join(tier.lower.words)}{fmt(tier.lower.value)}公顷" if tier.lower else "") + \
            (f"{'、' if tier.lower else ''}{fmt(tier.upper.value)}公顷{tier.upper.words[0]}" if tier.upper else "")
        mu = lambda v: fmt(v * 15)  # noqa: E731 - 1公顷 = 15亩
        result = f"由{p.text(tier.outcome)}批准的是一次性开发{tier.text}的（{tier.label}）"
        if tier.upper is not None and tier.lower is None:
            result += f"，即最多{fmt(tier.upper.value)}公顷（{mu(tier.upper.value)}亩，含本数）"
        elif tier.upper is not None and tier.lower is not None:
            result += f"，即{fmt(tier.lower.value)}公顷（{mu(tier.lower.value)}亩）至{fmt(tier.upper.value)}公顷（{mu(tier.upper.value)}亩）之间（两端都不含）"
        else:
            assert tier.lower is not None
            result += f"，即超过{fmt(tier.lower.value)}公顷（{mu(tier.lower.value)}亩）" + ("；恰好等于该数时条文有歧义" if tier.lower.conflicting else "")
        ambiguous = [b for b in (tier.lower, tier.upper) if b is not None and b.conflicting]
        for b in ambiguous:
            warnings.append(f"恰好{fmt(b.value)}公顷时条文同时用了「{'、'.join(b.words)}」，是否由{p.text(tier.outcome)}批准条文自相矛盾。")
        return Computation(
            rule=self.name, title=title, result=result, formula=f"第十九条第一款：{span}",
            citation_ids=cite(ctx, tier.outcome), warnings=warnings,
            understood=[Understood(words=word, value=p.text(tier.outcome), category="问题所说的审批机关", basis=f"{tier.label}：{tier.text}")],
            details={"authority": p.text(tier.outcome), "tier": tier.key},
        )


# ------------------------------------------------------------------ 第二十条 收回开发荒山、荒地、荒滩的土地使用权

class RecoveryAuthority(Hook):
    name = "xj.a20.recovery_authority"
    ANCHOR = "xj.a20.authority"  # the parameter binding this rule to its document

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if not q.has(*RECOVERY_WORDS) or not q.has("荒山", "荒地", "荒滩", "开发"):
            return False
        return asks_authority(q) or q.has("咋办", "怎么办", "咋处理")

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        p = ctx.params
        years = fmt(p.num("xj.a20.x1.years"))
        result = (
            f"{p.get('xj.a20.authority').quote}（{short(ctx, 'xj.a20.authority')}）。情形：“{p.get('xj.a20.x1.years').quote}”"
            f"（第（一）项）；擅自改变土地用途的（第（二）项）；“{p.get('xj.a20.x3.years').quote}”（第（三）项）。"
        )
        return [Computation(
            rule=self.name, title=f"收回开发国有荒山、荒地、荒滩的土地使用权（{doc_title(ctx, self.ANCHOR)}第二十条）", result=result,
            formula=f"第二十条：未开发满{years}年、擅自改变用途或连续闲置满{years}年的，经原批准的人民政府批准后收回",
            citation_ids=cite(ctx, "xj.a20.authority", "xj.a20.x1.years", "xj.a20.x3.years"), warnings=doc_warnings(q, doc_of(ctx, self.ANCHOR), ctx),
            details={"authority": p.text("xj.a20.authority"), "approval": "原批准的人民政府"},
        )]


# ------------------------------------------------------------------ 第二十二条 农用地分批次转用

def _xj_names(kind: str) -> list[str]:
    return list(getattr(xinjiang_levels(), kind))


class FarmlandConversionAuthority(AuthorityHook):
    name = "xj.a22.conversion_authority"
    TRIGGERS = ("农用地转用", "农转用", "转为建设用地", "转成建设用地", "转建设用地", "农用地转为", "转用审批", "分批次", "批次用地", "转用方案")

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        hits = q.hits(*self.TRIGGERS)
        return bool(hits) and asks_authority(q)

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        if q.has("拟订", "拟定", "起草", "谁编", "编制") and q.has("方案"):
            p = ctx.params
            return [Computation(
                rule=self.name, title=f"农用地转用方案的拟订（{doc_title(ctx, self.listing.anchor)}第二十一条第二款）",
                result=f"{p.get('xj.a21.k2.drafter').quote}（{short(ctx, 'xj.a21.k2.drafter')}）；批准机关见第二十二条。",
                formula="第二十一条第二款", citation_ids=cite(ctx, "xj.a21.k2.drafter"), warnings=doc_warnings(q, doc_of(ctx, self.listing.anchor), ctx),
                details={"authority": p.text("xj.a21.k2.drafter"), "option": "drafting"},
            )]
        options = [
            Option("x1", "设区的市分批次转用", "xj.a22.x1.approver", ("xj.a22.x1.state_council",)),
            Option("x2", "县（市）分批次转用", "xj.a22.x2.approver", ("xj.a22.x2.delegation",)),
            Option("x3", "乡（镇）村企业、公共设施、公益事业、农村道路、水利设施和村民建住宅分批次转用", "xj.a22.x3.approver"),
            Option("k2", "城市和村庄、集镇建设用地范围外转用", "xj.a22.k2.approver"),
        ]
        by = {o.key: o for o in options}
        chosen: list[Option] = []
        inputs: dict[str, str] = {}
        word = ""
        if word := said(q, "范围外", "范围以外", "规划区外", "边界外"):
            chosen = [by["k2"]]
            inputs["位置"] = "城市和村庄、集镇建设用地范围外"
        elif word := said(q, "村民建住宅", "村民住宅", "建住宅", "农村住房", "乡镇企业", "村企业", "乡（镇）村", *VILLAGE_USES):
            chosen = [by["x3"]]
            inputs["用途"] = "乡（镇）村企业、公共设施、公益事业、农村道路、水利设施或村民建住宅"
        elif word := said(q, "设区的市", "地级市", *_xj_names("prefecture_cities")):
            chosen = [by["x1"]]
            inputs["层级"] = "设区的市"
        elif word := said(q, "县（市）", "县级市", "县", *_xj_names("county_cities")):
            chosen = [by["x2"]]
            inputs["层级"] = "县（市）"
        warnings: list[str] = []
        if q.has("永久基本农田", "基本农田") and not q.has("以外", "非基本农田", "非永久基本农田"):
            warnings.append("第二十二条只适用于永久基本农田以外的农用地；占用永久基本农田转为建设用地不按本条审批，须依《土地管理法》报批（本库未收录该法条文）。")
        if q.has(*_xj_names("prefectures")) and not chosen:
            warnings.append("州、地区本身不是第二十二条列举的转用主体（设区的市、县（市）），请说明是哪个市或县（市）的批次用地。")
        return [self.answer(ctx, q, options, chosen, inputs, warnings, word=word)]


# ------------------------------------------------------------------ 第二十三条 建设项目占用未利用地

class UnusedLandAuthority(AuthorityHook):
    name = "xj.a23.unused_land_authority"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if not q.has("未利用地") or not asks_authority(q):
            return False
        # developing unused land for farming is 第十九条
        return not (q.has("开发", "开垦") and not q.has("建设", "项目", "占用"))

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        options = [
            Option("x1", "国家、自治区审批的建设项目和跨州、市（地）的建设项目", "xj.a23.x1.approver"),
            Option("x2", "州、市（地）审批的建设项目和跨县（市）的建设项目", "xj.a23.x2.approver", filing="xj.a23.x2.filing"),
            Option("x3", "县（市）审批的建设项目和乡（镇）村企业、公共设施、公益事业、农村道路、水利设施建设、村民建住宅", "xj.a23.x3.approver",
                   filing="xj.a23.x3.filing"),
        ]
        by = {o.key: o for o in options}
        chosen: list[Option] = []
        approve = r"(审批|批准|立项|批的|核准)"

        def level(pattern: str, *words: str) -> str:
            m = re.search(pattern, q.norm)
            return m.group(0) if m else said(q, *words)

        if word := level(rf"(国家|国务院|自治区)(级)?(里)?{approve}", "国家级", "自治区级", "跨州", "跨地区", "跨地州", "跨市（地）"):
            chosen = [by["x1"]]
        elif word := level(rf"(州|地区|地州|州、市（地）|地级)(里)?{approve}", "跨县"):
            chosen = [by["x2"]]
        elif word := level(rf"(县|县（市）|县级|县里|县市)(里)?{approve}", "乡（镇）村", "乡镇企业", "村企业", "村民建住宅", "村民住宅", *VILLAGE_USES):
            chosen = [by["x3"]]
        warnings = ["第二十三条按建设项目的审批层级确定批准机关，并须符合土地利用年度计划确定的控制指标。"]
        if q.has("种植", "林业", "畜牧", "渔业", "开垦"):
            warnings.append("开发未利用地从事种植业、林业、畜牧业、渔业生产的审批见第十九条（按面积分级）。")
        inputs = {"项目审批层级": chosen[0].when} if chosen else {}
        return [self.answer(ctx, q, options, chosen, inputs, warnings, word=word)]


# ------------------------------------------------------------------ 第四十三条 临时用地

class TemporaryUseAuthority(AuthorityHook):
    name = "xj.a43.temporary_use_authority"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        return (q.has("临时用地", "临时使用土地", "临时占用", "临时使用") or bool(TEMPORARY_USE.search(q.norm))) and asks_authority(q)

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        if q.has("复垦方案"):
            p = ctx.params
            return [Computation(
                rule=self.name, title=f"临时用地土地复垦方案的审核（{doc_title(ctx, self.listing.anchor)}第四十三条第二款）",
                result=f"由{p.text('xj.a43.k2.review')}审核并监督实施（{short(ctx, 'xj.a43.k2.review')}：“{p.get('xj.a43.k2.review').quote}”）；"
                       f"复垦方案由{p.get('xj.a43.k2.reclamation').quote.removesuffix('，应当编制土地复垦方案')}编制。",
                formula="第四十三条第二款", citation_ids=cite(ctx, "xj.a43.k2.review"), warnings=doc_warnings(q, doc_of(ctx, self.listing.anchor), ctx),
                details={"authority": p.text("xj.a43.k2.review"), "option": "reclamation_review"},
            )]
        options = [
            Option("cultivated", "涉及占用耕地", "xj.a43.k1.cultivated_approver", verb="负责审批"),
            Option("other", "不涉及占用耕地", "xj.a43.k1.approver", verb="负责审批"),
        ]
        keys = q.category_keys()
        farmland = [k for k in keys if k in ("pbf", "other_cultivated", "cultivated")]
        chosen: list[Option] = []
        denied = _negated(q, "耕地", "永久基本农田", "基本农田")
        word = ""
        if farmland and not denied:
            chosen, word = [options[0]], next(c.raw for c in q.categories if c.key in farmland)
        elif denied or (keys and not farmland and "agricultural" not in keys):
            chosen, word = [options[1]], denied or q.categories[0].raw
        warnings = [f"{short(ctx, 'xj.a43.k2.reclamation')}：{ctx.params.text('xj.a43.k2.reclamation')}，由批准临时用地的自然资源主管部门审核并监督实施。"]
        inputs = {"是否涉及占用耕地": "是" if chosen == [options[0]] else "否"} if chosen else {}
        return [self.answer(ctx, q, options, chosen, inputs, warnings, word=word)]


# ------------------------------------------------------------------ 第十条 国土空间规划报批

class SpatialPlanAuthority(AuthorityHook):
    name = "xj.a10.spatial_plan_authority"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        return q.has("国土空间总体规划", "国土空间规划", "总体规划", "详细规划", "专项规划") and asks_authority(q)

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        p = ctx.params
        if q.has("详细规划", "专项规划") and not q.has("总体规划", "乡（镇）国土空间规划", "乡镇国土空间规划"):
            return [Computation(
                rule=self.name, title=self.title(ctx),
                result=f"{p.text('xj.a12.other_plans')}（{short(ctx, 'xj.a12.other_plans')}）；第十条只规定国土空间总体规划和乡（镇）国土空间规划的报批。",
                formula="第十二条", citation_ids=cite(ctx, "xj.a12.other_plans"), warnings=doc_warnings(q, doc_of(ctx, self.listing.anchor), ctx),
            )]
        if q.has("修改", "改规划", "调整规划", "可以改", "能改", "改国土空间") and not q.has("编制"):
            return [Computation(
                rule=self.name, title=f"修改国土空间总体规划（{doc_title(ctx, self.listing.anchor)}第十一条）",
                result=f"经{p.text('xj.a11.k2.amendment')}批准（{short(ctx, 'xj.a11.k2.amendment')}：“{p.get('xj.a11.k2.amendment').quote}”），"
                       "情形为：国家战略、重大政策调整；行政区划调整；经国家和自治区批准的重大基础设施及其他重大工程建设项目用地需要；"
                       "不可预见的军事、防灾减灾救灾、疫情防控等建设项目需要；法律法规或者自治区人民政府规定的其他情形。",
                formula="第十一条第二款", citation_ids=cite(ctx, "xj.a11.k2.amendment"), warnings=doc_warnings(q, doc_of(ctx, self.listing.anchor), ctx),
                details={"authority": p.text("xj.a11.k2.amendment"), "option": "amendment"},
            )]
        options = [
            Option("x1", "自治区国土空间总体规划", "xj.a10.x1.approver"),
            Option("x2", "州、市（地）国土空间总体规划", "xj.a10.x2.approver", ("xj.a10.x2.state_council_city",)),
            Option("x3", "县（市）国土空间总体规划", "xj.a10.x3.approver", ("xj.a10.k3.delegation", "xj.a10.k3.filing")),
            Option("x4", "乡（镇）国土空间规划", "xj.a10.x4.approver"),
        ]
        by = {o.key: o for o in options}
        xj = xinjiang_levels()
        text = q.norm
        names = lambda *ws: "|".join(re.escape(w) for w in ws)  # noqa: E731
        patterns = {
            "x4": r"乡（镇）|乡镇|乡级|镇级|[乡镇]国土空间",
            "x3": names(*xj.county_cities, *xj.kashgar_counties, "县级市", "县（市）", "县级") + r"|县(?!级以上)",
            "x2": names(*xj.prefectures, *xj.prefecture_cities, "州、市（地）", "自治州", "地区", "行署", "行政公署", "地级", "设区的市")
                  + r"|州(里|的|级|国土)",
            "x1": names("自治区国土空间总体规划", "自治区级", "全区国土空间", "新疆维吾尔自治区国土空间", "自治区的国土空间", "省级"),
        }
        # the level named first is the one asked about ('县级…能不能跟乡镇规划合并编' asks about the county plan)
        found = [(m.start(), key, m.group(0)) for key, pattern in patterns.items() if (m := re.search(pattern, text))]
        chosen: list[Option] = [by[min(found)[1]]] if found else []
        word = min(found)[2] if found else ""
        inputs = {"规划": chosen[0].when} if chosen else {}
        warnings: list[str] = []
        if chosen and chosen[0].key == "x4":
            warnings.append("第十条第二款：县（市）国土空间总体规划和乡（镇）国土空间规划可以合并编制，也可以几个乡（镇）为单元编制乡镇级国土空间规划。")
        return [self.answer(ctx, q, options, chosen, inputs, warnings, word=word)]


# ------------------------------------------------------------------ 第八条 土地权属争议

# "临时占块地堆料", "临时借两亩地": land taken or used for a while, however the words fall between 临时 and 地
TEMPORARY_USE = re.compile(r"临时[^，。；？！,;?!]{0,3}?[占用借租][^，。；？！,;?!]{0,4}?地")
# a dispute's parties told as who they are: a body (a village's collective, a company) is a 单位, a household a 个人
UNIT_PARTIES = ("村委会", "村集体", "集体经济组织", "村民小组", "公司", "企业", "合作社", "林场", "牧场", "农场", "单位", "厂")
PERSON_PARTIES = ("农户", "村民", "个人", "老乡", "一户", "这户", "那户", "他家", "农民")
TWO_UNITS = re.compile(
    r"两个?(?:村|单位|公司|企业|合作社|厂)(?!民)|(?:村委会|村集体|公司|企业|合作社|厂)(?:和|与|跟)[^，。；]{0,6}?(?:村委会|村集体|村|公司|企业|合作社|厂)(?!民)"
)


class DisputeAuthority(AuthorityHook):
    name = "xj.a8.dispute_authority"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if not q.means("争议") or not q.means("所有权", "使用权", "权属", "土地", "地界", "确权", "归谁", "归属"):
            return False
        # a question about the time limit for suing is answered by the deadline rule
        return asks_authority(q) or not q.has("起诉", "诉讼", "期限", "多久", "几天", "哪天", "多长时间", "法院", "告")

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        options = [
            Option("k2", "乡（镇）之间、县（市）之间、州、市（地）之间的争议", "xj.a8.k2.authority", verb="处理"),
            Option("k3", "地方、兵团、部队、中央驻疆单位之间的争议", "xj.a8.k3.authority", ("xj.a8.k3.major_authority",), verb="处理"),
            Option("k3_major", "上一级人民政府难以处理的争议和重大土地权属争议", "xj.a8.k3.major_authority", verb="处理"),
            Option("k4_units", "单位之间的争议", "xj.a8.k4.units_authority", verb="处理"),
            Option("k4_persons", "个人之间、个人与单位之间的争议", "xj.a8.k4.persons_authority", verb="处理"),
        ]
        by = {o.key: o for o in options}
        chosen: list[Option] = []
        between = re.search(
            r"(乡（镇）|乡镇|乡|镇|县（市）|县|市|州、市（地）|地州|州|地区)(之间|和.{0,8}(乡|镇|县|市|州)之间)|两个?(乡|镇|县|州|地区)|(乡|县|州)与", q.norm
        )
        if word := said(q, "重大", "难以处理"):
            chosen = [by["k3_major"]]
        elif word := said(q, "兵团", "部队", "军队", "驻疆", "军事"):
            chosen = [by["k3"]]
        elif between:
            chosen, word = [by["k2"]], between.group(0)
        elif word := said(q, "个人之间", "个人与单位", "单位与个人", "个人和单位", "单位和个人", "村民之间", "农户之间", "两户", "村民与", "邻居",
                          "个人与村", "村民和"):
            chosen = [by["k4_persons"]]
        elif word := said(q, "单位之间", "单位与单位", "两个单位", "企业之间", "公司之间", "单位和单位"):
            chosen = [by["k4_units"]]
        elif (person := said(q, *PERSON_PARTIES)) and (unit := said(q, *UNIT_PARTIES)):
            # the parties told as who they are ("村委会和邻村一个农户"): a unit against a person
            chosen, word = [by["k4_persons"]], f"{unit}、{person}"
        elif two_units := TWO_UNITS.search(q.norm):
            chosen, word = [by["k4_units"]], two_units.group(0)  # "两个村为一块河滩地吵": collectives are units
        p = ctx.params
        warnings = [
            f"{short(ctx, 'xj.a8.k1.authority')}：先{p.get('xj.a8.k1.authority').quote}。",
            f"{short(ctx, 'xj.a8.k5.status_quo')}：{p.get('xj.a8.k5.status_quo').quote}。",
            f"对处理决定不服的，{p.get('xj.a8.k4.lawsuit_days').quote}（{short(ctx, 'xj.a8.k4.lawsuit_days')}）。",
        ]
        inputs = {"争议双方": chosen[0].when} if chosen else {}
        return [self.answer(ctx, q, options, chosen, inputs, warnings, word=word)]


# ------------------------------------------------------------------ 第四十条 宅基地申请

class HomesteadApplicationAuthority(Hook):
    name = "xj.a40.homestead_authority"
    ANCHOR = "xj.a40.k1.approver"  # the parameter binding this rule to its document

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if not q.has("宅基地") or not q.has("申请", "审批", "批准", "谁批", "报批", "程序", "流程", "手续", "哪里批"):
            return False
        return not q.has("纠纷", "争议")  # a dispute over a homestead is 第八条

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        p = ctx.params
        result = (
            f"由{p.text('xj.a40.k1.approver')}审核批准（{short(ctx, 'xj.a40.k1.approver')}）。程序：{p.text('xj.a40.k1.applicant')}；"
            f"经农村村民集体讨论通过后在本集体范围内公示，“{p.get('xj.a40.k1.publicity_days').quote}”；“{p.get('xj.a40.k1.approver').quote}”。"
        )
        return [Computation(
            rule=self.name, title=f"宅基地申请与审批（{doc_title(ctx, self.ANCHOR)}第四十条）", result=result,
            formula="第四十条：申请 → 集体讨论通过 → 公示（不少于十日）→ 乡（镇）人民政府审核批准",
            citation_ids=cite(ctx, "xj.a40.k1.approver", "xj.a40.k1.applicant", "xj.a40.k1.publicity_days"),
            warnings=[*doc_warnings(q, doc_of(ctx, self.ANCHOR), ctx),
                      "面积标准见第三十九条（按人均耕地分档）；县级以上人民政府农业农村主管部门负责农村宅基地改革和管理有关工作。"],
            details={"authority": p.text("xj.a40.k1.approver")},
        )]


# ------------------------------------------------------------------ 宁夏实施意见（八）整治实施方案审批

class ConsolidationPlanAuthority(AuthorityHook):
    name = "nx.i8.consolidation_plan_authority"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        subject = q.has("综合整治", "全域土地", "土地整治", "整治", "踏勘") and q.has("方案", "增减挂钩", "节余指标", "补划", "踏勘")
        return subject and asks_authority(q)

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        p = ctx.params
        compiles = q.has("编制", "谁编", "编写") and not q.has("批准", "审批", "报批", "谁批")
        special = "nx.i11.survey" if q.has("踏勘") else "nx.i7.compiler" if compiles else None
        if special:
            param = p.get(special)
            return [Computation(
                rule=self.name, title=f"全域土地综合整治（宁夏实施意见（征求意见稿）{param.path}）",
                result=f"{param.quote}（{param.path}）。",
                formula=param.path, citation_ids=cite(ctx, special), warnings=doc_warnings(q, doc_of(ctx, self.listing.anchor), ctx),
                details={"authority": param.text, "option": special.split(".")[-1]},
            )]
        options = [
            Option("plan", "全域土地综合整治实施方案", "nx.i8.approver"),
            Option("quota", "涉及增减挂钩项目跨县域流转节余指标", "nx.i8.cross_county_quota"),
            Option("pbf", "涉及永久基本农田调整的实施方案或补划方案", "nx.i8.pbf_filing", verb="备案（由自治区自然资源主管部门报备）"),
        ]
        chosen = [options[0]]
        if q.has("跨县", "节余指标", "结余指标") and q.has("增减挂钩", "指标"):
            chosen = [options[1]]
        elif q.has("永久基本农田", "基本农田") and q.has("备案", "调整", "补划"):
            chosen = [options[2]]
        return [self.answer(ctx, q, options, chosen, {"事项": chosen[0].when}, [])]


HOOKS: list[Hook] = [
    WastelandAuthority(),
    RecoveryAuthority(),
    FarmlandConversionAuthority(),
    UnusedLandAuthority(),
    TemporaryUseAuthority(),
    SpatialPlanAuthority(),
    DisputeAuthority(),
    HomesteadApplicationAuthority(),
    ConsolidationPlanAuthority(),
]
