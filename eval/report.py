"""Reports: the console metric tables and a self-contained HTML file with inline SVG charts and every failure."""
from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["failures", "render_text", "write_html"]

RETRIEVAL_METRICS = ("hit@1", "hit@5", "mrr@10", "ndcg@10")
ANSWER_METRICS = (
    ("answer_accuracy", "answer accuracy (all facts)"),
    ("fact_recall", "fact recall"),
    ("computed_exact_match", "computed exact match"),
    ("citation_precision", "citation precision"),
    ("citation_recall", "citation recall"),
    ("correct_refusal_rate", "correct refusals (unanswerable)"),
    ("false_refusal_rate", "false refusals (answerable)"),
    ("overall_accuracy", "overall accuracy"),
)


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max([len(str(h)), *(len(str(r[i])) for r in rows)]) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def render_text(result: Mapping[str, Any]) -> str:
    """The tables `landqa eval` prints: retrieval side by side with ratios, answers, per type."""
    meta, metrics = result["meta"], result["metrics"]
    overall = metrics["overall"]
    retrieval = overall["retrieval"]
    systems = list(retrieval)
    ratio_cols = [s for s in systems if s != "hybrid"] if "hybrid" in retrieval else []
    out = [f"landqa eval — split {meta['split']}, {meta['questions']} questions, commit {meta.get('commit') or '?'}, {meta.get('duration_s')} s"]
    out.append("")
    out.append("Retrieval on gold units (answerable questions; top 10)")
    headers = ["metric", *systems, *(f"hybrid/{s}" for s in ratio_cols)]
    rows = []
    for name in RETRIEVAL_METRICS:
        row = [name, *(_fmt(retrieval[s].get(name)) for s in systems)]
        row += [_fmt(result.get("ratios", {}).get(s, {}).get(name), 2) for s in ratio_cols]
        rows.append(row)
    rows.append(["latency ms (mean)", *(_fmt(retrieval[s].get("latency_ms_mean"), 1) for s in systems), *([""] * len(ratio_cols))])
    out.append(_table(headers, rows))
    answer = overall["answer"]
    if answer.get("overall_accuracy") is not None:
        out.append("")
        out.append("Answers (ask)")
        out.append(_table(["metric", "value"], [[label, _fmt(answer.get(key))] for key, label in ANSWER_METRICS]))
        lat = overall["latency"]
        out.append(
            f"ask latency ms: mean {_fmt(lat.get('ask_ms_mean'), 1)}, p50 {_fmt(lat.get('ask_ms_p50'), 1)}, "
            f"p95 {_fmt(lat.get('ask_ms_p95'), 1)}, max {_fmt(lat.get('ask_ms_max'), 1)}"
        )
    out.append("")
    out.append("By type")
    headers = ["type", "n", "hybrid hit@5", "hybrid mrr", "accuracy", "computed EM", "cit. prec.", "cit. rec.", "refusal"]
    rows = []
    for qtype, block in metrics["by_type"].items():
        hyb = block["retrieval"].get("hybrid", {})
        a = block["answer"]
        refusal = a.get("correct_refusal_rate") if qtype == "unanswerable" else a.get("false_refusal_rate")
        rows.append([qtype, block["n"], _fmt(hyb.get("hit@5")), _fmt(hyb.get("mrr@10")),
                     _fmt(a.get("overall_accuracy")), _fmt(a.get("computed_exact_match")),
                     _fmt(a.get("citation_precision")), _fmt(a.get("citation_recall")), _fmt(refusal)])
    out.append(_table(headers, rows))
    out.append("(refusal: correct refusals for unanswerable, false refusals for the others)")
    out.append("")
    out.append("By document (answerable questions)")
    headers = ["document", "n", *(f"{s} hit@5" for s in systems), "accuracy"]
    rows = [[doc, block["n"], *(_fmt(block["retrieval"].get(s, {}).get("hit@5")) for s in systems), _fmt(block["answer"].get("answer_accuracy"))]
            for doc, block in metrics["by_document"].items()]
    out.append(_table(headers, rows))
    n_fail = len(failures(result["records"]))
    out.append("")
    out.append(f"{n_fail} failing questions listed in the HTML report")
    return "\n".join(out)


# --------------------------------------------------------------------------------------
# failures
# --------------------------------------------------------------------------------------


def _reasons(record: Mapping[str, Any]) -> list[str]:
    reasons = []
    scores = record.get("scores") or {}
    hybrid = record.get("retrieval", {}).get("hybrid")
    if record["type"] == "unanswerable":
        if scores.get("correct_refusal") is False:
            reasons.append("answered an unanswerable question")
        return reasons
    if scores.get("false_refusal"):
        reasons.append("refused")
    elif scores:
        if scores.get("facts_missing"):
            reasons.append("facts missing")
        if scores.get("computed_ok") is False:
            reasons.append("computed result wrong")
        if scores.get("citation_recall") == 0:
            reasons.append("no gold unit cited")
    if hybrid is not None and not hybrid.get("hit@5"):
        reasons.append("gold not in hybrid top 5")
    return reasons


def failures(records: Sequence[Mapping[str, Any]]) -> list[tuple[Mapping[str, Any], list[str]]]:
    """Every question that failed something, with the reasons."""
    found = []
    for record in records:
        reasons = _reasons(record)
        if reasons:
            found.append((record, reasons))
    return found


# --------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------

COLORS = {"bm25": "#8c6d31", "dense": "#6b6ecf", "hybrid": "#2ca02c", "llama-index": "#d62728",
          "accuracy": "#1f77b4", "hit@5": "#2ca02c", "citation": "#9467bd", "refusal": "#ff7f0e"}
_e = html.escape


def _bar_chart(title: str, groups: Sequence[tuple[str, Sequence[tuple[str, float | None]]]], width: int = 760) -> str:
    """Horizontal grouped bars on [0, 1]: one group per row label, one bar per series."""
    bar_h, gap, label_w, pad = 14, 10, 190, 40
    series = list(dict.fromkeys(name for _, bars in groups for name, _ in bars))
    height = len(groups) * (len(series) * bar_h + gap) + pad + 24
    plot_w = width - label_w - 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="{_e(title)}">',
             f'<text x="0" y="14" font-weight="bold" font-size="13">{_e(title)}</text>']
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = label_w + tick * plot_w
        parts.append(f'<line x1="{x:.1f}" y1="22" x2="{x:.1f}" y2="{height - pad + 4}" stroke="#ddd"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - pad + 18}" font-size="10" text-anchor="middle">{tick:g}</text>')
    y = 26
    for label, bars in groups:
        parts.append(f'<text x="{label_w - 6}" y="{y + len(series) * bar_h / 2 + 4:.1f}" font-size="11" text-anchor="end">{_e(label)}</text>')
        values = dict(bars)
        for name in series:
            value = values.get(name)
            w = max(0.0, min(1.0, value or 0.0)) * plot_w
            color = COLORS.get(name, "#7f7f7f")
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{color}"><title>{_e(label)} · {_e(name)}: {_fmt(value)}</title></rect>')
            parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 4}" font-size="10">{_fmt(value, 2)}</text>')
            y += bar_h
        y += gap
    lx = label_w
    for name in series:
        parts.append(f'<rect x="{lx}" y="{height - 14}" width="10" height="10" fill="{COLORS.get(name, "#7f7f7f")}"/>'
                     f'<text x="{lx + 14}" y="{height - 5}" font-size="11">{_e(name)}</text>')
        lx += 24 + 7 * len(name)
    parts.append("</svg>")
    return "".join(parts)


def _metrics_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{_e(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _failure_html(record: Mapping[str, Any], reasons: Sequence[str]) -> str:
    scores = record.get("scores") or {}
    ask = record.get("ask") or {}
    missing = set(scores.get("facts_missing") or [])
    facts = " ".join(f'<span class="fact {"miss" if f in missing else "ok"}">{_e(f)}</span>' for f in record["facts"]) or "<em>(unanswerable: should refuse)</em>"
    computed = ""
    if record.get("computed"):
        results = "; ".join(c["result"] for c in ask.get("computations", [])) or "(no computation)"
        computed = f'<div><b>computed</b>: expected <code>{_e(record["computed"])}</code>, engine: {_e(results)}</div>'
    citations = "".join(
        f'<li class="{"gold" if _is_gold(record, c["id"]) else ""}">{_e(c["id"])} — {_e(c["label"])}{" <b>(quoted)</b>" if c.get("quoted") else ""}</li>'
        for c in ask.get("citations", [])
    )
    hybrid = record.get("retrieval", {}).get("hybrid", {})
    top = ", ".join(hybrid.get("ranked", [])[:5])
    badges = " ".join(f'<span class="badge">{_e(r)}</span>' for r in reasons)
    note = f'<div class="note">note: {_e(record["note"])}</div>' if record.get("note") else ""
    return (
        f'<div class="failure" id="{_e(record["id"])}"><div class="qhead"><b>{_e(record["id"])}</b> '
        f'<span class="type">{_e(record["type"])}</span> <span class="split">{_e(record["split"])}</span> {badges}</div>'
        f'<div class="q">{_e(record["question"])}</div>'
        f'<div><b>gold</b>: {_e(", ".join(record["gold"]) or "—")}</div>'
        f'<div><b>expected facts</b>: {facts}</div>{computed}{note}'
        f'<div><b>answer</b>{" (abstained)" if ask.get("abstained") else ""}:</div><pre>{_e(ask.get("answer", "(not asked)"))}</pre>'
        f'<div><b>citations</b>:</div><ul>{citations}</ul>'
        f'<div class="small"><b>hybrid top 5</b>: {_e(top)}</div></div>'
    )


def _is_gold(record: Mapping[str, Any], unit_id: str) -> bool:
    """Display only: a gold unit, or its article/款/项 (ids nest as a53 > a53.k1 > a53.k1.x2)."""
    return any(g == unit_id or unit_id.startswith(g + ".") or g.startswith(unit_id + ".") for g in record["gold"])


_CSS = """
body{font-family:system-ui,-apple-system,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;max-width:1100px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:right}
td:first-child,th:first-child{text-align:left}
.failure{border:1px solid #ddd;border-radius:6px;padding:8px 12px;margin:10px 0}
.qhead{font-size:13px}.q{font-size:16px;margin:4px 0}.type,.split{background:#eef;padding:1px 6px;border-radius:4px;font-size:12px}
.badge{background:#fdd;color:#900;padding:1px 6px;border-radius:4px;font-size:12px}
.fact{padding:1px 5px;border-radius:4px;margin-right:4px}.fact.ok{background:#dfd}.fact.miss{background:#fcc}
pre{white-space:pre-wrap;background:#f7f7f7;padding:6px;font-size:13px}li.gold{color:#070}.small,.note{font-size:12px;color:#555}
.meta{font-size:13px;color:#444}
"""


def write_html(result: Mapping[str, Any], path: Path) -> None:
    """One self-contained file: summary tables, charts per system/type/document, every failure."""
    meta, metrics = result["meta"], result["metrics"]
    overall = metrics["overall"]
    retrieval = overall["retrieval"]
    systems = list(retrieval)
    body = [f"<h1>landqa evaluation — {_e(meta['split'])} split</h1>",
            f'<p class="meta">{meta["questions"]} questions · commit {_e(str(meta.get("commit")))} · {_e(meta["created"])} · '
            f'embedding {_e(str(meta.get("embedding_model")))} · fusion {_e(str(meta.get("fusion")))} · {_e(meta.get("machine", ""))} · '
            f'{meta.get("duration_s")} s</p>']
    body.append("<h2>Retrieval: engine modes and the llama-index baseline</h2>")
    ratio_cols = [s for s in systems if s != "hybrid"] if "hybrid" in retrieval else []
    rows = []
    for name in RETRIEVAL_METRICS:
        rows.append([name, *(_fmt(retrieval[s].get(name)) for s in systems),
                     *(_fmt(result.get("ratios", {}).get(s, {}).get(name), 2) for s in ratio_cols)])
    rows.append(["latency ms (mean)", *(_fmt(retrieval[s].get("latency_ms_mean"), 1) for s in systems), *([""] * len(ratio_cols))])
    body.append(_metrics_table(["metric", *systems, *(f"hybrid ÷ {s}" for s in ratio_cols)], rows))
    if meta.get("baseline"):
        b = meta["baseline"]
        body.append(f'<p class="small">llama-index baseline: SentenceSplitter defaults → {b["chunks"]} chunks of {b["chunk_chars_mean"]} characters '
                    f'on average ({b["units_per_chunk_mean"]} units each), VectorStoreIndex with the engine\'s embedding model. '
                    "A chunk counts as a hit for every gold unit it holds (≥ half of the unit's characters), "
                    "which favours the baseline.</p>")
    body.append(_bar_chart("Retrieval by system", [(m, [(s, retrieval[s].get(m)) for s in systems]) for m in RETRIEVAL_METRICS]))
    answer = overall["answer"]
    if answer.get("overall_accuracy") is not None:
        body.append("<h2>Answers</h2>")
        lat = overall["latency"]
        rows = [[label, _fmt(answer.get(key))] for key, label in ANSWER_METRICS]
        rows += [["ask latency ms: mean / p50 / p95 / max",
                  f'{_fmt(lat.get("ask_ms_mean"), 1)} / {_fmt(lat.get("ask_ms_p50"), 1)} / {_fmt(lat.get("ask_ms_p95"), 1)} / {_fmt(lat.get("ask_ms_max"), 1)}']]
        body.append(_metrics_table(["metric", "value"], rows))
    body.append("<h2>By question type</h2>")
    rows = []
    chart = []
    for qtype, block in metrics["by_type"].items():
        a, hyb = block["answer"], block["retrieval"].get("hybrid", {})
        refusal = a.get("correct_refusal_rate") if qtype == "unanswerable" else a.get("false_refusal_rate")
        rows.append([qtype, block["n"], *(_fmt(block["retrieval"].get(s, {}).get("hit@5")) for s in systems),
                     _fmt(a.get("overall_accuracy")), _fmt(a.get("computed_exact_match")), _fmt(a.get("citation_precision")),
                     _fmt(a.get("citation_recall")), _fmt(refusal)])
        chart.append((qtype, [("accuracy", a.get("overall_accuracy")), ("hit@5", hyb.get("hit@5")), ("citation", a.get("citation_recall"))]))
    body.append(_metrics_table(["type", "n", *(f"{s} hit@5" for s in systems), "accuracy", "computed EM", "citation precision", "citation recall", "refusal*"], rows))
    body.append('<p class="small">* correct refusals for unanswerable questions, false refusals for the others. Accuracy: all facts present '
                "(and the computed result right) for answerable questions, a refusal for unanswerable ones.</p>")
    body.append(_bar_chart("Per type: accuracy, hybrid hit@5, citation recall", chart))
    body.append("<h2>By document (answerable questions)</h2>")
    rows, chart = [], []
    for doc, block in metrics["by_document"].items():
        a, hyb = block["answer"], block["retrieval"].get("hybrid", {})
        rows.append([doc, block["n"], *(_fmt(block["retrieval"].get(s, {}).get("hit@5")) for s in systems),
                     _fmt(a.get("answer_accuracy")), _fmt(a.get("citation_recall"))])
        chart.append((doc, [("accuracy", a.get("answer_accuracy")), ("hit@5", hyb.get("hit@5")), ("citation", a.get("citation_recall"))]))
    body.append(_metrics_table(["document", "n", *(f"{s} hit@5" for s in systems), "accuracy", "citation recall"], rows))
    body.append(_bar_chart("Per document: accuracy, hybrid hit@5, citation recall", chart))
    failed = failures(result["records"])
    body.append(f"<h2>Failures ({len(failed)})</h2>")
    body.append('<p class="small">Every question that missed a fact, got a computation wrong, refused wrongly, answered an unanswerable question, '
                "cited no gold unit, or whose gold unit was not in the hybrid top 5.</p>")
    body.extend(_failure_html(r, reasons) for r, reasons in failed)
    page = (f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>landqa eval — {_e(meta["split"])}</title>'
            f"<style>{_CSS}</style></head><body>{''.join(body)}</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
