"""Reports: the console metric tables and a self-contained HTML file with inline SVG charts and every failure."""
from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["external_failures", "failures", "render_external_text", "render_text", "write_html"]

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
    ("ask_gold_first", "gold unit first among ask citations"),
    ("ask_gold_top5", "gold unit in the ask's top 5 citations"),
)


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max([len(str(h)), *(len(str(r[i])) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[Any]) -> str:
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def render_text(result: Mapping[str, Any]) -> str:
    """The tables `landqa eval` prints: retrieval side by side with ratios, answers, per type; then the external split."""
    meta = result["meta"]
    parts = [] if result.get("metrics") is None else [_render_own_text(result)]
    if result.get("external") is not None:
        parts.append(render_external_text(result))
    if not parts:
        parts.append(f"landqa eval — split {meta['split']}: nothing evaluated")
    return "\n\n".join(parts)


def _render_own_text(result: Mapping[str, Any]) -> str:
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
# the external split
# --------------------------------------------------------------------------------------

# (label, external metric, own-split metric path or None): the external split next to the split evaluated with it.
EXTERNAL_ROWS = (
    ("required facts present (answerable)", "facts_present", ("overall", "answer", "answer_accuracy")),
    ("correct refusals (unanswerable)", "correct_refusals", ("overall", "answer", "correct_refusal_rate")),
    ("false refusals (answerable)", "false_refusals", ("overall", "answer", "false_refusal_rate")),
    ("gold unit first among ask citations", "gold_first", ("overall", "answer", "ask_gold_first")),
    ("gold unit in the ask's top 5 citations", "gold_top5", ("overall", "answer", "ask_gold_top5")),
    ("gold unit first, hybrid search", "search_hit@1", ("overall", "retrieval", "hybrid", "hit@1")),
    ("gold unit in top 5, hybrid search", "search_hit@5", ("overall", "retrieval", "hybrid", "hit@5")),
    ("multi-part fully answered", "multi_fully_answered", ("by_type", "multi-unit", "answer", "overall_accuracy")),
)


def _dig(node: Any, path: Sequence[str]) -> Any:
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def _rate(block: Mapping[str, Any] | None) -> str:
    """'0.560 (38/68)' for a rate block {'rate', 'k', 'n'}."""
    if not block or block.get("rate") is None:
        return "–"
    return f"{block['rate']:.3f} ({block['k']}/{block['n']})"


def external_rows(result: Mapping[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the side-by-side table: own split (when evaluated) and external."""
    ext = result["external"]["metrics"]["overall"]
    own = result.get("metrics")
    split = result["meta"]["split"]
    headers = ["metric", *([f"own {split} split"] if own else []), "external split"]
    rows = []
    for label, key, own_path in EXTERNAL_ROWS:
        row = [label]
        if own:
            row.append(_fmt(_dig(own, own_path)) if own_path else "–")
        row.append(_rate(ext.get(key)))
        rows.append(row)
    return headers, rows


def external_type_rows(metrics: Mapping[str, Any]) -> list[list[Any]]:
    rows = []
    for qtype, block in metrics["by_type"].items():
        refusal = block["correct_refusals"] if qtype == "abstain" else block["false_refusals"]
        rows.append([qtype, block["n"], _rate(block["facts_present"]), _fmt(block.get("fact_group_recall")),
                     _rate(refusal), _rate(block["gold_first"]), _rate(block["gold_top5"])])
    return rows


EXTERNAL_TYPE_HEADERS = ["type", "n", "facts present", "fact groups", "refusal*", "gold first", "gold top 5"]


def _external_notes(ext: Mapping[str, Any]) -> list[str]:
    m = ext["metrics"]
    needs = m["needs"]
    notes = [f"references (needs) resolved to units: {needs['resolved']} of {needs['total']}"
             + (f"; unresolved: {', '.join(needs['unresolved'])}" if needs["unresolved"] else "")]
    kinds = m.get("answer_kind")
    notes.append("answer_kind: " + (", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) if kinds else "not in the response yet"))
    notes.append("follow-ups asked " + ("with their history" if m["history_supported"] else "without history (engine.ask takes no history yet)"))
    lat = m["latency"]
    notes.append(f"ask latency ms: p50 {_fmt(lat.get('ask_ms_p50'), 1)}, p95 {_fmt(lat.get('ask_ms_p95'), 1)}")
    return notes


def render_external_text(result: Mapping[str, Any]) -> str:
    """The external split: side by side with the own split, then per type; or why it was skipped."""
    ext = result["external"]
    if ext.get("skipped"):
        return f"External split: SKIPPED — {ext['skipped']}"
    out = [f"External split — {ext['questions']} questions written outside the project ({ext['path']}); "
           "measured through ask (top 5), never tuned on, not gated"]
    headers, rows = external_rows(result)
    out.append(_table(headers, rows))
    out.append("")
    out.append(_table(EXTERNAL_TYPE_HEADERS, external_type_rows(ext["metrics"])))
    out.append("(refusal: correct refusals for abstain, false refusals for the others)")
    out.extend(_external_notes(ext))
    out.append(f"{len(external_failures(ext['records']))} failing external questions listed in the HTML report")
    return "\n".join(out)


def _external_reasons(record: Mapping[str, Any]) -> list[str]:
    s = record["scores"]
    reasons = []
    if s.get("correct_refusal") is False:
        reasons.append("answered an unanswerable question")
    if s.get("false_refusal"):
        reasons.append("refused")
    elif s.get("groups_missing"):
        reasons.append("facts missing")
    if s.get("gold_top5") is False:
        reasons.append("no gold unit in the top 5 citations")
    return reasons


def external_failures(records: Sequence[Mapping[str, Any]]) -> list[tuple[Mapping[str, Any], list[str]]]:
    return [(r, reasons) for r in records if (reasons := _external_reasons(r))]


def _external_failure_html(record: Mapping[str, Any], reasons: Sequence[str]) -> str:
    ask = record["ask"]
    missing = {tuple(g) for g in record["scores"].get("groups_missing") or []}
    groups = " ".join(f'<span class="fact {"miss" if tuple(g) in missing else "ok"}">{_e(" | ".join(g))}</span>' for g in record["expect"])
    history = "".join(f"<li>{_e(t['role'])}: {_e(t['content'])}</li>" for t in record.get("history") or [])
    citations = "".join(f'<li>{_e(c["id"])} — {_e(c["label"])}{" <b>(quoted)</b>" if c.get("quoted") else ""}</li>' for c in ask["citations"])
    badges = " ".join(f'<span class="badge">{_e(r)}</span>' for r in reasons)
    return (
        f'<div class="failure"><div class="qhead"><b>{_e(record["id"])}</b> <span class="type">{_e(record["type"])}</span> {badges}</div>'
        + (f"<ul class=\"small\">{history}</ul>" if history else "")
        + f'<div class="q">{_e(record["question"])}</div>'
        f'<div><b>needs</b>: {_e(", ".join(record["needs"]) or "—")}</div>'
        f'<div><b>expected (one of each group)</b>: {groups or "<em>(should refuse)</em>"}</div>'
        f'<div><b>answer</b>{" (abstained)" if ask["abstained"] else ""}{" · " + _e(str(ask["answer_kind"])) if ask.get("answer_kind") else ""}:</div>'
        f'<pre>{_e(ask["answer"])}</pre><div><b>citations</b>:</div><ul>{citations}</ul></div>'
    )


def external_html(result: Mapping[str, Any]) -> list[str]:
    """The external section of the HTML report."""
    ext = result["external"]
    body = ["<h2>External split (questions written outside the project)</h2>"]
    if ext.get("skipped"):
        body.append(f"<p><b>Skipped</b>: {_e(ext['skipped'])}</p>")
        return body
    body.append(f'<p class="small">{ext["questions"]} questions from {_e(ext["path"])}, asked through <code>engine.ask</code> '
                "(top 5) as /api/ask does; measured only: never tuned on and not gated. A fact group is present when one of its "
                "alternatives is in the answer (numbers, 万, full/half width and 、/ compared by meaning); gold units come from "
                "resolving each reference against the ingested units' labels and heading paths.</p>")
    headers, rows = external_rows(result)
    body.append(_metrics_table(headers, rows))
    body.append(_metrics_table(EXTERNAL_TYPE_HEADERS, external_type_rows(ext["metrics"])))
    body.append('<p class="small">* correct refusals for abstain, false refusals for the others.</p>')
    body.append("<ul class=\"small\">" + "".join(f"<li>{_e(n)}</li>" for n in _external_notes(ext)) + "</ul>")
    chart = [(t, [("accuracy", b["facts_present"]["rate"]), ("hit@5", b["gold_top5"]["rate"])]) for t, b in ext["metrics"]["by_type"].items()]
    body.append(_bar_chart("External, per type: facts present, gold unit in the top 5 citations", chart))
    failed = external_failures(ext["records"])
    body.append(f"<h3>External failures ({len(failed)})</h3>")
    body.extend(_external_failure_html(r, reasons) for r, reasons in failed)
    return body


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
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{color}">'
                         f"<title>{_e(label)} · {_e(name)}: {_fmt(value)}</title></rect>")
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
    facts = (" ".join(f'<span class="fact {"miss" if f in missing else "ok"}">{_e(f)}</span>' for f in record["facts"])
             or "<em>(unanswerable: should refuse)</em>")
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
    """One self-contained file: summary tables, charts per system/type/document, every failure; the external split beside."""
    meta = result["meta"]
    body = [f"<h1>landqa evaluation — {_e(meta['split'])} split</h1>",
            f'<p class="meta">{meta["questions"]} questions · commit {_e(str(meta.get("commit")))} · {_e(meta["created"])} · '
            f'embedding {_e(str(meta.get("embedding_model")))} · fusion {_e(str(meta.get("fusion")))} · {_e(meta.get("machine", ""))} · '
            f'{meta.get("duration_s")} s</p>']
    if result.get("metrics") is not None:
        body += _own_html(result)
    if result.get("external") is not None:
        body += external_html(result)
    page = (f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>landqa eval — {_e(meta["split"])}</title>'
            f"<style>{_CSS}</style></head><body>{''.join(body)}</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)


def _own_html(result: Mapping[str, Any]) -> list[str]:
    meta, metrics = result["meta"], result["metrics"]
    overall = metrics["overall"]
    retrieval = overall["retrieval"]
    systems = list(retrieval)
    body: list[str] = []
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
                  " / ".join(_fmt(lat.get(k), 1) for k in ("ask_ms_mean", "ask_ms_p50", "ask_ms_p95", "ask_ms_max"))]]
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
    headers = ["type", "n", *(f"{s} hit@5" for s in systems), "accuracy", "computed EM", "citation precision", "citation recall", "refusal*"]
    body.append(_metrics_table(headers, rows))
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
    return body
