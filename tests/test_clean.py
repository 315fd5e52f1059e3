"""Cleaning: conversion artifacts out, recorded with exact offsets; nothing else dropped."""
from __future__ import annotations

import pytest

from ingest.blocks import to_blocks
from ingest.clean import CleanResult, clean_text


def _check_offsets(raw: str, result: CleanResult) -> None:
    for span in result.removed:
        assert raw[span.start : span.end] == span.text
    for line in result.lines:
        assert "\n" not in raw[line.start : line.end]


def test_bookmarks_are_removed_with_their_offsets() -> None:
    raw = "前言\n[bookmark: _Toc1][bookmark: _Toc2]第一章 总则\n正文[bookmark: _GoBack]继续。\n"
    result = clean_text(raw)
    _check_offsets(raw, result)
    # The space in "第一章 总则" sits between two CJK characters: a stray space too.
    assert [line.text for line in result.lines] == ["前言", "第一章总则", "正文继续。", ""]
    assert [span.reason for span in result.removed] == ["bookmark", "bookmark", "stray_space", "bookmark"]
    assert result.removed[0].start == raw.index("[bookmark: _Toc1]")


def test_a_line_of_bookmarks_only_leaves_nothing() -> None:
    raw = "甲。\n [bookmark: _Toc1] [bookmark: _Toc2]\n乙。"
    result = clean_text(raw)
    _check_offsets(raw, result)
    assert result.lines[1].text == ""
    assert {span.reason for span in result.removed} == {"bookmark", "stray_space"}


@pytest.mark.parametrize("page", ["I", "iv", "12", "- 3 -", "第3页", "  7  "])
def test_lone_page_numbers_are_removed(page: str) -> None:
    raw = f"上一页的句子，\n{page}\n下一页继续。"
    result = clean_text(raw)
    _check_offsets(raw, result)
    assert result.lines[1].removed
    assert result.removed == [result.removed[0]] and result.removed[0].reason == "page_number"
    assert result.removed[0].text == page


def test_numbers_that_are_not_page_numbers_stay() -> None:
    raw = "\t12\n2025年\n1.5\n12345\n"
    result = clean_text(raw)
    assert [line.text for line in result.lines] == ["\t12", "2025年", "1.5", "12345", ""]
    assert result.removed == []


def test_table_of_contents_entries_are_removed() -> None:
    raw = "目 录\n\n一、发展基础.....\t1\n(一)发展基础\t1\n二、总体要求.....\t4\n\n正文标题\n一、发展基础\t不是目录"
    result = clean_text(raw)
    _check_offsets(raw, result)
    assert [span.reason for span in result.removed] == ["toc", "toc", "toc"]
    assert result.lines[0].text == "目 录"  # the heading itself is kept
    assert [line.text for line in result.lines[6:]] == ["正文标题", "一、发展基础\t不是目录"]


def test_stray_spaces_between_cjk_and_digits() -> None:
    raw = "2021 年 11 月\n到 2025 年，耕地\n第一条　根据\n单位 GDP\nEnglish words stay"
    result = clean_text(raw)
    _check_offsets(raw, result)
    assert [line.text for line in result.lines] == ["2021年11月", "到2025年，耕地", "第一条　根据", "单位GDP", "English words stay"]
    assert all(span.reason == "stray_space" for span in result.removed)


def test_table_cells_keep_their_tab() -> None:
    raw = "\t序号\n\t\n\t[bookmark: x]值 \n"
    result = clean_text(raw)
    _check_offsets(raw, result)
    assert [line.text for line in result.lines[:3]] == ["\t序号", "\t", "\t值"]
    assert result.lines[1].is_cell and result.lines[1].is_blank


def test_crlf_line_ends() -> None:
    raw = "第一行\r\n第二行\r\n"
    result = clean_text(raw)
    assert [line.text for line in result.lines] == ["第一行", "第二行", ""]
    assert result.lines[0].end == 3


def test_nothing_else_is_dropped() -> None:
    raw = "［注］本文（2021—2025）有“引号”、《书名》：数字1,234.5%；English (text)。\n\t格 子\n"
    result = clean_text(raw)
    kept = "".join(line.text for line in result.lines)
    removed = "".join(span.text for span in result.removed)
    assert sorted(kept.replace("\t", "") + removed) == sorted(raw.replace("\n", "").replace("\t", ""))


def _blocks(raw: str) -> list[str]:
    lines = clean_text(raw).lines
    return [b.text for b in to_blocks(lines, lambda t: t.startswith(("一、", "（")), lambda t: t.startswith("一、") and "。" not in t)]


def test_blocks_rejoin_a_sentence_broken_by_a_page() -> None:
    assert _blocks("这是一个被分页打断的句子，\n\n3\n\n后半句在下一页。\n下一段。") == ["这是一个被分页打断的句子，后半句在下一页。", "下一段。"]
    # A word broken in two.
    assert _blocks("市场配置作用明显增强。利\n\n用土地储备专项债。") == ["市场配置作用明显增强。利用土地储备专项债。"]


def test_blocks_do_not_join_structure_or_headings() -> None:
    assert _blocks("一、总体要求\n正文。") == ["一、总体要求", "正文。"]
    assert _blocks("未完的句子\n（一）新的一项。") == ["未完的句子", "（一）新的一项。"]


def test_blocks_record_all_spans() -> None:
    raw = "前半，\nI\n后半。"
    blocks = to_blocks(clean_text(raw).lines, lambda t: False, lambda t: False)
    assert len(blocks) == 1
    assert blocks[0].spans == [(0, 3), (6, 9)]
    assert blocks[0].blank_before == 0
