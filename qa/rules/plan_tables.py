"""The plan tables as data: the Bachu supply total and structure parsed from their units, and the parameter ids binding the plan rules."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from qa.rules.extract import SQM_PER
from qa.rules.params import ParamSet, default_params

if TYPE_CHECKING:
    from ingest.pipeline import Corpus

# the parameters binding these hooks to their documents (params.toml): the units and tables they read
TOTAL, STRUCTURE, PERIOD = "bachu.h3.total", "bachu.h3.structure", "bachu.h2.period"
PROJECTS, INDICATORS = "kashgar.att1.table", "kashgar.t1.table"
MU_PER_HA = SQM_PER["公顷"] / SQM_PER["亩"]  # 15


@dataclass(frozen=True)
class SupplyItem:
    name: str
    hectares: Fraction
    printed_share: Decimal  # percent as printed
    printed_share_text: str


@dataclass(frozen=True)
class SupplyPlan:
    total_ha: Fraction
    total_ha_text: str
    total_mu_printed: Decimal
    items: list[SupplyItem]


def _dec(text: str) -> Decimal:
    return Decimal(text)


def bachu_plan(corpus: Corpus, params: ParamSet | None = None) -> SupplyPlan:
    """Parse the total (三、（一）) and the structure (三、（二）) of the Bachu supply plan from the ingested units."""
    params = params or default_params()
    total_unit, structure_unit = params.get(TOTAL).unit_id, params.get(STRUCTURE).unit_id
    total_text = corpus.unit(total_unit).text
    m = re.search(r"控制在([\d.]+)公顷（约?([\d.]+)亩）", total_text)
    if not m:
        raise ValueError(f"{total_unit}: total not found in {total_text[:60]!r}")
    items = [
        SupplyItem(name, Fraction(_dec(ha)), _dec(share), share)
        for name, ha, share in re.findall(r"([\u4e00-\u9fa5]+?用地)([\d.]+)公顷，占比([\d.]+)%", corpus.unit(structure_unit).text)
    ]
    if not items:
        raise ValueError(f"{structure_unit}: no land-use items found")
    return SupplyPlan(Fraction(_dec(m.group(1))), m.group(1), _dec(m.group(2)), items)


def share_matches(printed: Decimal, exact: Fraction) -> bool:
    """Does a printed percentage equal the exact one rounded to the printed number of decimals?"""
    places = max(0, -int(printed.as_tuple().exponent))
    lo = printed - Decimal(5).scaleb(-places - 1)
    hi = printed + Decimal(5).scaleb(-places - 1)
    return Fraction(lo) <= exact <= Fraction(hi)
