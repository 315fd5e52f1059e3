"""Question analysis: normalisation, filler, the asked slot, parts of a multi-part question."""
from __future__ import annotations

import pytest

from qa.cues import asks_something, detect_slot
from qa.normalize import normalize, strip_filler
from qa.question import analyse, focus_of, split_parts, subject_of


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("違法佔用土地，罰款多少？", "违法占用土地，罚款多少？"),  # traditional -> simplified
        ("占用２０００平方米", "占用2000平方米"),  # full-width digits
        ("宅 基 地 申 请 公 示 几 天", "宅基地申请公示几天"),  # layout spaces
        ("罚多少?", "罚多少？"),  # ASCII punctuation -> the Chinese form the cues use
        ("喀什“一张图”建设到哪一步了", "喀什一张图建设到哪一步了"),  # a short quoted term is the term
        ("巴楚二〇二六年度供地计划", "巴楚2026年度供地计划"),  # a year written in characters
        ("二零二五年底前", "2025年底前"),
        ("三四亩地", "三四亩地"),  # (not a year)
        # a space between two long runs parts two sentences; one inside or between key words is layout
        ("巴楚今年住宅用地供多少公顷 喀什十四五一共供应多少", "巴楚今年住宅用地供多少公顷，喀什十四五一共供应多少"),
        ("永久基本农田 占用 罚款", "永久基本农田占用罚款"),
        ("巴楚工业园区的工业用地出让给哪家了 成交价多少", "巴楚工业园区的工业用地出让给哪家了成交价多少"),  # a short tail
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_filler_clauses_are_dropped_and_content_kept() -> None:
    text = normalize("您好，我是县局耕保股的。请问临时用地最长能用几年？麻烦尽快回复，谢谢！")
    assert strip_filler(text) == "临时用地最长能用几年？"
    # request frames and urgency are not the question
    framed = normalize("主任叫我咨询一下，我这边有件事想请教，临时用地最长几年？比较急！")
    assert strip_filler(framed) == "临时用地最长几年？"
    # a clause break left at the end by a dropped clause goes too: the question still ends in 吗
    assert strip_filler(normalize("您好，我是乡镇所的。临时用地能续期吗，急用，辛苦了。")) == "临时用地能续期吗"
    # a clause about the matter stays even when it starts like an introduction
    assert "基本农田" in strip_filler("我们村在基本农田上盖了猪圈，这个罚多少？")


@pytest.mark.parametrize(
    ("question", "kind", "family"),
    [
        ("在耕地上建厂行不行", "verdict", None),
        ("宅基地面积可以超过标准吗", "verdict", None),
        ("临时用地由谁批准", "authority", None),
        ("权属争议处理决定不服的，多久内起诉", "period", "duration"),
        ("期限从哪天起算", "date", None),
        ("非法占地每平方米罚多少钱", "quantity", "money"),
        ("供应总量是多少公顷", "quantity", "area"),
        ("工矿仓储用地占比多少", "quantity", "share"),
        ("补偿费用包括哪些", "list", None),
        ("什么是一次性开发", "definition", None),
        ("国土空间规划", "lookup", None),
        ("城乡公示地价体系由哪几种地价组成", "list", None),  # which ones, not how many
        ("开发荒山能拆成几个小项目分别报县里批吗", "verdict", None),  # in a 吗-question 几个 means "several"
        ("征收补偿费包括什么", "list", None),  # the 么 of 什么 asks nothing yes-or-no
        ("这个要多少钱么", "quantity", "money"),
        ("实施办法最近一回修订是啥时候", "date", None),  # colloquial question words are cues too
        ("闲置土地咋处理", "procedure", None),
    ],
)
def test_slot(question: str, kind: str, family: str | None) -> None:
    slot = detect_slot(question)
    assert (slot.kind, slot.family) == (kind, family)


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("宅基地申请公示几天", ["宅基地申请公示几天"]),
        ("供应的工矿用地分布在哪几个乡镇", ["供应的工矿用地分布在哪几个乡镇"]),  # one question phrase
        ("县级国土空间总体规划谁编谁批", ["县级国土空间总体规划谁编", "县级国土空间总体规划谁批"]),
        ("巴楚县商服用地和交通运输用地分别计划供应多少？", ["巴楚县商服用地计划供应多少？", "交通运输用地计划供应多少？"]),
        ("对于耕地保护，新疆办法和宁夏意见有什么不同", ["对于耕地保护，新疆办法怎么规定？", "对于耕地保护，宁夏意见怎么规定？"]),
        (
            "村里要在永久基本农田上挖塘，办法怎么规定？喀什规划怎么考核这类行为？",
            ["村里要在永久基本农田上挖塘，办法怎么规定？", "村里要在永久基本农田上挖塘，喀什规划怎么考核这类行为？"],
        ),
    ],
)
def test_split_parts(question: str, parts: list[str]) -> None:
    assert split_parts(question) == parts


def test_a_part_that_names_no_place_inherits_the_question_route(corpus) -> None:
    analysis = analyse("巴楚县商服用地和交通运输用地分别计划供应多少？", corpus)
    assert analysis.is_multi_part
    assert all(part.route.doc_ids == analysis.route.doc_ids for part in analysis.parts)


def test_the_question_is_read_once_into_case_facts(corpus) -> None:
    analysis = analyse("未經批准佔用一般耕地２０００平方米罰多少？", corpus)
    assert analysis.text == "未经批准占用一般耕地2000平方米罚多少？"
    assert [a.sqm for a in analysis.case.areas] == [2000]
    assert analysis.slot.family == "money"


def test_a_long_story_around_one_question_is_asked_about_its_asking_sentence() -> None:
    story = (
        "我是乡里的干部，情况比较复杂。我们乡有个村前年被征收了三百多亩地，一些老人不会干别的，县里和一家建筑公司谈好，"
        "由公司负责安置这些人，也签了协议。现在有人说安置补助费应该给村集体，有人说发给个人，争了很久。"
        "我想问：由其他单位安置的，安置补助费应该支付给谁？"
    )
    assert focus_of(story) == "由其他单位安置的，安置补助费应该支付给谁？"
    # a short question whose asking sentence leans on the one before keeps its context
    assert focus_of("在永久基本农田上挖湖造景。新疆怎么规定？") == "在永久基本农田上挖湖造景。新疆怎么规定？"
    # an asking sentence pointing back at the story asks about the story
    pointing = "县里想把几个村的宅基地收回来统一建楼，有的农户不愿意搬，乡里说不搬就断水断电。这种做法合规吗"
    assert focus_of(pointing) == pointing


def test_a_follow_up_with_its_own_question_is_about_its_own_words(corpus) -> None:
    history = [{"role": "user", "content": "新疆办法里耕地保护由谁负总责？"}, {"role": "assistant", "content": "第十四条"}]
    analysis = analyse("那上级每隔多长时间考核？", corpus, history=history)
    assert analysis.resolved and "耕地保护" in analysis.text  # the topic is carried for search and routing
    assert "考核" in analysis.subject_tokens and "总责" not in analysis.subject_tokens  # what was asked before is not
    assert "每隔" not in analysis.subject_tokens  # "每隔多长时间" asks how often
    # a follow-up that only swaps a fact keeps the whole question as its subject
    swapped = analyse("那基本农田呢？", corpus, history=[{"role": "user", "content": "占用一般耕地500平方米罚多少？"}])
    assert "平方米" in swapped.text and "基本农田" in swapped.subject


def test_a_text_named_by_a_later_part_does_not_reach_back(corpus) -> None:
    first, second = analyse("耕地开垦费按办法按谁的规定交，新疆规划要怎么调整这个标准", corpus).parts
    assert second.route.doc_ids == ["xj-plan"]
    assert first.route.doc_ids is not None and "xj-measures" in first.route.doc_ids
    # a text named first carries to the parts after it
    parts = analyse("新疆办法里临时用地最长几年，谁批准？", corpus).parts
    assert [p.route.doc_ids for p in parts] == [["xj-measures"], ["xj-measures"]]


def test_two_texts_named_together_are_asked_one_by_one(corpus) -> None:
    parts = analyse("对拆旧建新，新疆办法和宁夏意见有什么要求", corpus).parts
    assert [p.text for p in parts] == ["对拆旧建新，新疆办法有什么要求", "对拆旧建新，宁夏意见有什么要求"]
    assert [p.route.doc_ids for p in parts] == [["xj-measures"], ["nx-consolidation"]]
    # one text under two names is one question
    assert analyse("十四五规划里耕地保有量多少", corpus).parts == []


def test_a_part_of_only_asking_words_is_asked_of_the_part_before(corpus) -> None:
    parts = analyse("巴楚今年住宅用地比特殊用地多出多少公顷？比重相差几个点？", corpus).parts
    assert [p.raw for p in parts] == ["巴楚今年住宅用地比特殊用地多出多少公顷？", "比重相差几个点？"]
    assert "住宅用地" in parts[1].text and "特殊用地" in parts[1].text
    # a part that names its own subject keeps it
    parts = analyse("巴楚县商服用地和交通运输用地分别计划供应多少？", corpus).parts
    assert parts[1].text == "交通运输用地计划供应多少？"


def test_the_name_of_a_searched_document_is_left_out_of_the_lexical_search(corpus) -> None:
    # the title and preamble repeat the name; what is asked of the text is the rest
    named = analyse("新疆实施办法哪一天开始施行", corpus)
    assert named.route.doc_ids == ["xj-measures"]
    assert "新疆" not in named.search_text and "施行" in named.search_text
    assert "办法" in named.name_tokens and "施行" not in named.name_tokens
    # a question about the document itself (its status) keeps the name that finds its title
    status = analyse("巴楚供地计划是不是正式印发的", corpus)
    assert status.search_text == status.text
    # no document named: nothing to leave out
    plain = analyse("宅基地申请要公示几天", corpus)
    assert plain.search_text == plain.text and not plain.name_tokens


def test_texts_named_side_by_side_share_what_follows_them(corpus) -> None:
    parts = analyse("新疆规划和喀什规划对耕地占补平衡分别怎么说", corpus).parts
    assert [p.route.doc_ids for p in parts] == [["xj-plan"], ["kashgar-plan"]]
    assert all("占补平衡" in p.text for p in parts)


def test_noun_phrases_each_naming_an_aspect_are_asked_one_by_one() -> None:
    assert split_parts("应急测绘响应时限和测量标志普查周期") == ["应急测绘响应时限", "测量标志普查周期"]
    # one aspect shared by a list is one question; a question word keeps the message whole
    assert split_parts("住宅用地和工矿用地面积") == ["住宅用地和工矿用地面积"]
    assert len(split_parts("测绘响应时限和普查周期是多少")) == 1


def test_a_clause_opening_with_a_question_word_asks_of_what_the_one_before_asked() -> None:
    assert split_parts("巴楚在矿产布局里属于哪个成矿带、哪个勘查区") == ["巴楚在矿产布局里属于哪个成矿带", "巴楚在矿产布局里属于哪个勘查区"]


def test_a_count_of_the_members_is_no_member() -> None:
    parts = split_parts("耕地保护和土地执法两块分别干了啥")
    assert parts == ["耕地保护干了啥", "土地执法干了啥"]


def test_a_question_about_a_document_itself_reads_its_title_and_signature(corpus) -> None:
    issuer = analyse("新疆土地资源十四五规划是谁印发的", corpus)
    assert "xj-plan:title" in issuer.route.explicit_ids and "xj-plan:signature" in issuer.route.explicit_ids
    # a question about what the document regulates is not about the document
    matter = analyse("新疆土地资源十四五规划对耕地保护怎么说", corpus)
    assert not matter.route.explicit_ids


def test_quoted_terms_survive_layout_spaces_and_traditional_characters() -> None:
    from qa.normalize import quoted_terms

    assert quoted_terms("那个“ 一碼” 管理指啥") == ["一码"]


def test_until_which_day_asks_a_date_not_a_place() -> None:
    assert detect_slot("批了两年没开发，到哪天可以收回").kind == "date"


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        # a bracketed list names the members of one thing asked about; it asks nothing itself
        ("克孜河治理工程（疏附段、疏勒段）长度和投资分别是多少", ["克孜河治理工程（疏附段、疏勒段）长度是多少", "投资是多少"]),
        ("附件1里两个评估项目（国有建设用地、农用地定级），一共投了多少钱？", ["附件1里两个评估项目（国有建设用地、农用地定级），一共投了多少钱？"]),
    ],
)
def test_a_bracketed_list_is_not_split_into_parts(question: str, parts: list[str]) -> None:
    assert split_parts(question) == parts


def test_a_part_leaning_on_the_one_before_is_also_read_with_it(corpus) -> None:
    analysis = analyse("被征地农民社保费用要存到哪？管理使用的办法又由谁制定？", corpus)
    leaning = analysis.parts[1].with_context
    assert leaning is not None and "被征地农民社保费用" in leaning.text
    # 还是 / 还差 / 又占了 lean on nothing
    assert all(p.with_context is None for p in analyse("所有权和使用权是分开发证，还是统一登记？还差几天？", corpus).parts)


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        # "有几户…不签" tells of a few households, it asks nothing; "有几个、" asks how many
        ("村里有几户一直不肯签协议，这种情况由谁作决定？", 1),
        ("附件1里防沙治沙的项目有几个、一共投资多少？", 2),
    ],
)
def test_an_indefinite_few_is_no_question(question: str, parts: int) -> None:
    assert len(split_parts(question)) == parts


@pytest.mark.parametrize("question", ["单独建的地下车库，能单独取得地下建设用地使用权不？", "村民建房要符合村庄规划不"])
def test_a_yes_no_question_split_around_its_act(question: str) -> None:
    assert detect_slot(question).kind == "verdict"


def test_how_far_something_reaches_is_no_area() -> None:
    assert detect_slot("结余指标能在多大范围内调剂使用").kind == "lookup"
    assert detect_slot("宅基地每户最多能批多大").family == "area"


def test_members_listed_in_the_clause_before_each_are_asked_one_by_one() -> None:
    assert split_parts("表1里耕地保有量和林地保有量，2025年分别定的多少") == ["表1里耕地保有量，2025年定的多少", "林地保有量，2025年定的多少"]
    # a 的-phrase shared by the members is no list of two things
    assert len(split_parts("疏勒县和伽师县的乡镇规划编制项目，平均每个乡镇各摊多少钱？")) == 1


def test_a_speaker_naming_their_place_is_not_filler() -> None:
    from qa.normalize import strip_filler

    assert "乌恰县" in strip_filler("我是乌恰县的，想问一下宅基地公示几天")
    assert strip_filler("我是乡镇所的，想问一下宅基地公示几天") == "宅基地公示几天"


@pytest.mark.parametrize("question", ["征地那几个公告至少得贴在哪儿", "村里好几块地被占了，该找谁处理"])
def test_a_few_things_pointed_at_are_no_question_of_how_many(question: str) -> None:
    slot = detect_slot(question)
    assert slot.family != "count" and slot.family != "money"


def test_how_many_times_is_a_multiple() -> None:
    assert detect_slot("罚款是开垦费的几倍").family == "share"


def test_a_part_naming_only_a_text_is_asked_of_the_subject_before(corpus) -> None:
    analysis = analyse("土地整理新增的耕地能不能用于占补平衡？新疆办法和宁夏意见各是咋规定的", corpus)
    assert len(analysis.parts) == 3
    assert all("占补平衡" in p.text for p in analysis.parts[1:])
    assert "新疆办法" not in analysis.parts[2].text  # each text is asked on its own


@pytest.mark.parametrize(
    ("question", "asked_of"),
    [("规划里对盐碱地是咋提的？", "盐碱地"), ("宁夏那个意见里有没有提到耕地占补平衡？", "耕地占补平衡"), ("新疆办法有没有讲临时用地最长能用几年", "临时用地")],
)
def test_words_asking_what_a_text_says_are_not_the_subject(question: str, asked_of: str) -> None:
    subject = subject_of(question, detect_slot(question))
    assert asked_of in subject
    assert not any(word in subject for word in ("提", "讲", "有没有"))


def test_asking_sentences_naming_their_own_texts_are_the_parts_as_written(corpus) -> None:
    # not one copy of the whole message per text named
    analysis = analyse("新疆办法和宁夏意见都说到永久基本农田：新疆那边禁止在永农上搞哪些活动？宁夏整治时调整永农的规模有啥上限？", corpus)
    assert len(analysis.parts) == 2
    assert "宁夏整治" not in analysis.parts[0].text and "禁止" not in analysis.parts[1].text
    # texts named side by side in one sentence are the members
    assert len(analyse("喀什规划和自治区规划对增减挂钩节余指标跨省调剂分别怎么说", corpus).parts) == 2


def test_the_rules_read_the_texts_and_units_named_as_routing_read_them(corpus) -> None:
    analysis = analyse("自治区土地资源十四五规划里附件1第27项多少钱", corpus)
    assert analysis.case.documents == tuple(analysis.route.named_doc_ids)
    assert analysis.case.explicit_ids == tuple(analysis.route.explicit_ids)


def test_places_are_read_by_the_names_the_texts_use(corpus) -> None:
    # 塔县 is the staff's name for 塔什库尔干县: routing, retrieval and the rules read the full name
    analysis = analyse("塔县村庄规划项目投资多少", corpus)
    assert "塔什库尔干县" in analysis.text
    assert "kashgar-plan" in (analysis.route.doc_ids or [])


def test_a_list_named_by_a_heading_of_the_text_named_is_its_items(corpus) -> None:
    # 四、重点工程 of the 新疆 plan has three parts: the answer quotes each
    analysis = analyse("自治区土地资源十四五规划里列了哪几项重点工程", corpus)
    assert analysis.route.explicit_ids == ["xj-plan:h4.i1", "xj-plan:h4.i2", "xj-plan:h4.i3"]
    # not for a question naming no text, nor for a lookup
    assert analyse("重点工程有哪几项", corpus).route.explicit_ids == []
    assert analyse("自治区土地资源十四五规划的重点工程谁负责", corpus).route.explicit_ids == []


@pytest.mark.parametrize(
    ("clause", "kind"),
    [
        ("补偿登记期限过了", "lookup"),  # the clause says something of the period; it asks nothing
        ("补偿登记过了期限一直没办的", "lookup"),  # 一直 goes on saying; 一般 would go on asking
        ("探矿权到期了要延续", "lookup"),
        ("附件1里喀什市大比例尺地形图重点区域更新那个项目", "lookup"),
        ("有3户怎么都谈不拢征地补偿安置协议", "lookup"),  # 怎么都: whatever was tried
        ("被征地村民没几个有意见", "lookup"),
        ("两个村为这块地吵了好几年", "lookup"),  # 好几年: a few years, no question of how many
        ("村里十几户已经签了协议", "lookup"),  # 十几, 几十: round figures
        ("补偿款几十万都发下去了", "lookup"),
        ("审批期限是多久", "period"),
        ("宅基地审批期限？", "period"),
        ("宁夏整治能调多少比例的基本农田", "quantity"),
        ("耕地占补的比例和要求", "quantity"),
    ],
)
def test_a_noun_of_what_is_asked_asks_only_where_the_clause_asks_it(clause: str, kind: str) -> None:
    assert detect_slot(clause).kind == kind
    assert asks_something(clause) == (kind != "lookup")


@pytest.mark.parametrize(
    ("question", "kind", "family"),
    [
        # an A-not-A choice asks yes or no whatever the verb ("给不给", "赔不赔"), beating a story's 几
        ("有几户抢种了树苗，这些树苗赔不赔", "verdict", None),
        ("乡里收不收这笔钱", "verdict", None),
        # 在不在 asks whether something is so (within a scope), not whether it may be done
        ("土地征收在不在督察范围里", "lookup", None),
        # 多大 asking of a share is a share, not an area
        ("整治时基本农田能按多大比例调整", "quantity", "share"),
        # a bare 多少 ending a clause on a kind of money asks an amount of it
        ("征了8亩地，安置补助费能拿多少", "quantity", "money"),
        ("这个村的耕地有多少", "quantity", None),
    ],
)
def test_what_a_question_asks(question: str, kind: str, family: str | None) -> None:
    slot = detect_slot(question)
    assert (slot.kind, slot.family) == (kind, family)


def test_statement_clauses_make_no_parts(corpus) -> None:
    assert analyse("补偿登记期限过了还有几户没来，办登记的机构能不能找公证处到现场做个公证", corpus).parts == []
    assert analyse("探矿权到期了要延续，需要交哪些材料？", corpus).parts == []


def test_a_part_of_how_or_where_words_is_asked_of_the_part_before(corpus) -> None:
    # "主要放在哪" and "总金额多少万" name no subject: 主要/放在 say where, 总金额 is an aspect
    analysis = analyse("巴楚今年交通运输用地计划供多少公顷，主要放在哪", corpus)
    assert "交通运输用地" in analysis.parts[1].text
    analysis = analyse("附件1里叶城县的那个地形图更新项目多少万？总金额多少万", corpus)
    assert "地形图" in analysis.parts[1].text


def test_what_a_named_part_says_is_its_title_and_what_stands_under_it(corpus) -> None:
    analysis = analyse("喀什规划第六章第三节讲的是啥", corpus)
    assert analysis.route.explicit_ids[0] == "kashgar-plan:c6.s3"
    assert "kashgar-plan:c6.s3.p1" in analysis.route.explicit_ids and "kashgar-plan:c6.s3.box6" in analysis.route.explicit_ids
    # a question about something inside the part searches it as before
    assert analyse("喀什规划第六章第三节里三率达标率定的多少", corpus).route.explicit_ids == []


def test_asking_only_whether_a_text_says_it_is_no_question_of_its_own(corpus) -> None:
    # "…各分多少？有规定吗": the parts are the two amounts, asked as amounts; whether a text says so is the answer
    analysis = analyse("集体经营性建设用地入市以后，卖地的收益村集体和村民个人各分多少？有规定吗", corpus)
    assert analysis.slot.kind == "quantity"
    assert len(analysis.parts) == 2 and all(part.slot.kind == "quantity" for part in analysis.parts)


def test_an_alternative_question_asks(corpus) -> None:
    # "A还是B？" asks which: its sentence is a part of its own; 还是 meaning "still" asks nothing
    assert asks_something("征收补偿款是发给个人还是给村集体？")
    assert not asks_something("没批的话还是要依法处理。")
    parts = analyse("临时用地是按年交费还是一次交清？另外宁夏的整治意见对资金有啥要求", corpus).parts
    assert len(parts) == 2


def test_a_few_things_in_a_story_clause_ask_nothing(corpus) -> None:
    # "想挖几个塘搞…": a few ponds, the clause goes on past them; the message asks only its last sentence
    story = "有户人家想在承包的基本农田里挖几个塘搞养殖，说能多挣点。村里拿不准。这个能批不"
    assert analyse(story, corpus).parts == []
    # "批了几个项目，" ends with what it counts: it asks how many
    assert len(split_parts("县里批了几个项目，分别投资多少")) == 2


def test_whose_it_is_in_a_quarrel_told_asks_nothing() -> None:
    # "为这块地归谁吵了好几年": the matter of the quarrel, not a question; the message asks its last clause
    story = "两家为这块地归谁吵了好几年 现在一家想先盖房 能不能盖"
    assert split_parts(story) == [story]
    assert detect_slot(story).kind == "verdict"


def test_a_speaker_clause_telling_a_date_is_no_filler() -> None:
    # "我是8月25号收到通知的" tells when; "我是乡镇所的" only who asks
    assert strip_filler("我是乡镇所的，宅基地公示几天") == "宅基地公示几天"
    assert "8月25号" in strip_filler("乡政府作了处理决定，我是8月25号收到通知的，还能起诉吗")
