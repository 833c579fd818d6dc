"""cn-bank text finders for financial marketing (compliance.md §1): wealth, funds, deposits, structured
deposits, precious metals and FX (loans and cards are cn_bank_credit's, insurance and agency sales
cn_bank_agency's). Each finder reads one text and says what it found.
"""

from __future__ import annotations

import datetime

from oa_spec.policy.negation import (
    asked_by_customer,
    clause_end,
    clause_start,
    in_quotation_marks,
    sentence,
    sentence_bounds,
)
from oa_spec.policy.packs import unnamed
from oa_spec.policy.packs.cn_bank_invest import NO_ADVICE
from oa_spec.policy.packs.textkit import (
    INVESTMENTS,
    MARKET_RATE,
    SOURCED,
    about,
    claims,
    compared,
    in_promo,
    named_outside_a_warning,
    names_deposit_insurance,
    near,
    own_product,
    products_leaving_out,
    quoted,
    said_of_a_product,
    sets_itself_apart,
)
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.text import Match, Text, find_pattern, find_terms, names, normalise, offered, products_near
from oa_spec.policy.vocabulary import FINANCIAL, PERCENT, PERIOD_DATE

# --- wealth and funds (§1a) ------------------------------------------------------------------------------
WEALTH_DISCLAIMER = (("理财非存款",), ("产品有风险",), ("投资须谨慎", "投资需谨慎"))


def wealth_disclaimer(t: Text) -> list[str]:
    if not in_promo(t, "wealth") or not (offered(t, "wealth") or "wealth" in t.contexts.disclaimed):  # (marks.py)
        return []
    missing = [group[0] for group in WEALTH_DISCLAIMER if not t.has_any(group)]
    return ["缺少：" + "、".join(missing)] if missing else []


def guaranteed_return(t: Text) -> list[str]:
    found = guarantees(t)
    return said_of_a_product(t, about(t, found, *INVESTMENTS), *INVESTMENTS) or unnamed.guarantee(t, found)


# A structured deposit's floor rate stated as a figure (保底收益率1.30%、最高2.85%) is the disclosure §1b asks
# for, not a promise of a return.
_FLOOR_FIGURE = Pattern(r"率?(?:为|是|[:：])?(?:年化)?\d")
_FIGURE_BEFORE = Pattern(r"\d%(?:为|是)(?:本期)?$")  # 1.50%为保底收益率


# ... and so is the floor named beside the ceiling, or as what may be all that is paid (在保底利率和最高利率之间浮动,
# 最终也可能只拿到保底利率).
_FLOOR_EXPLAINED = Pattern(r"保底(?:利率|收益率)?(?:和|与|至|到|-|—)最高|(?:只|仅)(?:能)?(?:拿到|获得|取得)保底")


# probe 94: a policy's cooling-off period (犹豫期15天内退保无损失) is the law's refund, not a promised return.
_COOLING_OFF = Pattern(r"犹豫期[^,，;；。!！?？]{0,12}$")


def guarantees(t: Text) -> list[Match]:
    return [m for m in claims(t, "guarantee", inner=False)
            if not _COOLING_OFF.search(t.norm, clause_start(t.norm, m.start), m.start)
            and not (m.term.startswith("保底") and "structured" in products_near(t, m.start)
                    and (_FLOOR_FIGURE.match(t.norm, m.end)
                         or _FIGURE_BEFORE.search(t.norm, max(0, m.start - 16), m.start)
                         or t.has(_FLOOR_EXPLAINED)))]  # (为什么有“保底利率”？…在保底利率和最高利率之间浮动)


WEALTH_DESCRIPTORS = ("高收益", "有保障", "避险", "避风港", "避风头", "避避风头")
_NEAR_PRINCIPAL = Pattern(r"(?:安全|保证|承诺|保险).{0,4}?(?:本金|收益|回报)"
                             r"|(?:本金|收益|回报).{0,4}?(?:安全|保证|承诺|保险)"
                             # a high return in other words (回报相当丰厚)
                             r"|(?:收益|回报)[^,，;；。!！?？]{0,4}?(?:丰厚|可观|诱人|惊人)"
                             # safety in a metaphor (本金像进了金库, 给钱包穿上防弹衣, 躲开风雨、守住家底, safe & sound)
                             r"|(?:像|如同|好比)[^,，;；。!！?？]{0,6}?金库|防弹衣|护身符|躲(?:开|过|避)风雨|守住家底"
                             r"|safe\s*(?:&|and)\s*sound|principal\s*stays\s*safe|安全垫|锁进金库"
                             # a return said to be sure or well above the rest (回报有着落, 收益比同类高出一大截)
                             r"|(?:回报|收益|本金)有着落|收益[^,，;；。!！?？]{0,6}?高出一大截"
                             # a high return as what the product is for (主打的就是收益高)
                             r"|(?:主打|卖点|优势|特点)[^,，;；。!！?？]{0,4}?收益高(?![低于])"
                             # probe 168: the principal said safe in everyday words (本金稳稳当当, 本金妥妥的)
                             r"|本金[^,，;；。!！?？]{0,3}?(?:稳稳当当|稳稳的|妥妥的?|安安稳稳|稳如泰山)")


def forbidden_descriptors(t: Text) -> list[str]:
    """In a wealth promotion, or said of the bank's own wealth product outside one (这款固收+理财里避避风头, 给您
    的本金加一道保险, 放咱“安心宝”理财里，本金安全)."""
    promo = in_promo(t, "wealth")
    if not promo and (t.contexts.education or "wealth" not in t.contexts.subjects):
        return []
    # 保证回报 is also a guarantee (wealth.no-guaranteed-return): the catalogue names it under both bases
    found = [m for m in find_terms(t, WEALTH_DESCRIPTORS) + find_pattern(t, _NEAR_PRINCIPAL)
             if not asked_by_customer(t.norm, m.start) and not _of_another_product(t, m)]
    return quoted(t, found if promo else [m for m in found if _said_of_our_wealth(t, m)])


def _said_of_our_wealth(t: Text, m: Match) -> bool:
    """Outside a promotion: said of the bank's own wealth product (not the deposit a comparison's 前者 names),
    unquoted, in a sentence that promises nothing (…本金安全及收益水平均不作任何承诺)."""
    return (own_product(t, m) and "wealth" in (compared(t, m.start) or products_near(t, m.start))
            and not in_quotation_marks(t.norm, m.start) and not _NO_PROMISE.search(sentence(t.norm, m.start)))


# (均不作任何承诺 after the words: a disclaimer naming what it does not promise)
_NO_PROMISE = Pattern(r"不(?:作|做)出?(?:任何)?(?:承诺|保证)|不(?:承诺|保证)")


def _of_another_product(t: Text, m: Match) -> bool:
    """The descriptor's sentence is about another product (如果您更看重本金安全，可以了解定期存款)."""
    products = products_near(t, m.start) & FINANCIAL
    return bool(products) and not products & {"wealth", "fund"}


# (a deposit it is measured against names none: 比活期多一点收益、又像存款一样随用随取, its kind named between or not:
# 比对公活期多赚一点的“…”; a deposit by its kind said to be one, 零存整取是存款, is a deposit telling what it is)
_DEPOSIT_WORDS = Pattern(r"(?<!比)(?<!比对公)(?<!比对私)(?<!比银行)"
                         r"(?:存款|定期|存单|储蓄|活期|零存整取|整存整取|存本取息|通知存款)")
_NOT_DEPOSITS = ("wealth", "insurance", "fund", "metal", "fx")


def not_deposit(t: Text) -> list[str]:
    """An investment or insurance product called a deposit. The product is the one named before the
    claim in its clause (这款理财就是存款), else the sentence's; a deposit called a deposit (大额存单属于存款,
    养老储蓄是存款产品) is not a claim, while in a comparison (比存款还安全) the deposit is the yardstick.
    Calling an investment a deposit misleads with or without a call to act; a warning (别把理财当成存款) is
    education."""
    # probe 114: a text with a wealth product's own warning and no other investment named presents that product,
    # whatever deposit words its brand holds (「金穗定期宝」…到期自动续存。理财非存款，产品有风险)
    unnamed = (t.has(_WEALTH_WARNING) and not t.contexts.education
               and not (t.contexts.subjects - t.contexts.disclaimed) & set(_NOT_DEPOSITS))
    if not unnamed and not named_outside_a_warning(t, *_NOT_DEPOSITS):
        return []
    found = []
    for m in claims(t, "not_deposit"):
        if names_deposit_insurance(t, m):
            continue
        start = clause_start(t.norm, m.start)
        before = normalise(t.norm[start:m.start])
        if _a_deposit_said_to_be_one(t, m):
            continue
        named = {c for c in _NOT_DEPOSITS if names(before, c) or (m.term.startswith(("理财", "基金", "保险"))
                 and names(normalise(m.term), c))}  # 理财…存三个月: the product begins the claim
        # the sentence's products, or those without the likeness, whose deposit word is only its yardstick
        # (您就把它当成一张利率高一点的定期存单)
        near = products_near(t, m.start) | products_leaving_out(t, m.start, clause_end(t.norm, m.end))
        # a product pointed at (您就把它当成一张定期单子) in a sentence whose only product is the yardstick deposit:
        # the text's own investment is meant
        pointed = (near <= {"deposit"} and t.contexts.subjects & set(_NOT_DEPOSITS)
                   and (_POINTER.search(before.norm) or _BRAND_HEADING.search(t.norm, max(0, start - 12), start)
                        # (probe 167: or its brand earlier in the sentence, money moved into it: 转进“安和天天宝”，
                        # 想取就取，跟活期没两样)
                        or _MOVED_INTO_BRAND.search(t.norm, sentence_bounds(t.norm, m.start)[0], m.start)
                        or m.term.startswith(_CALLED_IT)))
        if named or m.term.startswith("比") or (  # 比存款还安全: a deposit is the yardstick
                not _DEPOSIT_WORDS.search(before.norm) and (near & set(_NOT_DEPOSITS) or pointed or unnamed)):
            found.append(m)
    return quoted(t, found)


# probe 130: the clause after a brand and its colon is about the brand (试吓「湾区添息宝」:就当系一张三个月定期)
_BRAND_HEADING = Pattern(r'"[^"]{2,8}"[:：]$')
# (probe 175: or named earlier in the sentence and the money put into it, “学涯季季享”…钱放进去跟存定期一样省心)
_MOVED_INTO_BRAND = Pattern(r'(?:转进|转入|放进|放入|存进|存入|放在|买入)"[^"]{2,8}"'
                            r'|"[^"]{2,8}"[^。!！?？]{0,40}?(?:钱|资金)?(?:放|投|转|存)进去')
_POINTER = Pattern(r"它|这款|这只|这份|该产品|这个产品|\"[^\"]{2,8}\"")  # probe 118: or by its brand (钱放在“朝朝盈”)
# probe 146: the product pointed at by the likeness itself, by a pronoun or as a quoted name (老板们叫它“企业专属存单”,
# 管它叫定存, “升级版活期”)
_CALLED_IT = ("叫它", "管它叫", "称它", "称之为", '"')
_WEALTH_WARNING = Pattern(r"(?<![\"“])理财非存款[,，、]产品有风险")


def _a_deposit_said_to_be_one(t: Text, m: Match) -> bool:
    """The sentence begins with a deposit and names an investment only to deny it (大额存单不是理财，是实打实的存款)."""
    if sets_itself_apart(t, m) or compared(t, m.start) == {"deposit"}:  # 这是存款产品，不是理财; …后者才是存款
        return True
    lo = sentence_bounds(t.norm, m.start)[0]
    lo = max(lo, t.norm.rfind("】", lo, m.start) + 1)  # a keyword label (关键词回复【存单式理财】：) begins no sentence
    lead = normalise(t.norm[lo:m.start])
    denied = [c for c in _NOT_DEPOSITS if names(lead, c)]
    return names(lead, "deposit") and bool(denied) and not any(offered(lead, c) for c in denied)


_PERFORMANCE_WORDS = ("收益", "年化", "业绩", "回报", "涨幅", "上涨", "增长率", "净值增长", "成立以来", "近1月",
                      "近3月", "近6月", "近一年")
# (probe 126: 不代表任何产品未来表现 says the same of a market figure)
_PAST_PERFORMANCE = Pattern(r"过往业绩不(?:代表|预示)其?未来表现|不(?:代表|预示)(?:任何|本|该)产品的?未来表现")


# A benchmark's figures (业绩比较基准：年化2.00%–2.80%) are a target, a labelled assumption (假设年化
# 收益率为3%) an illustration, and a period's range still to come (本期收益率区间为1.00%–3.00%) a structured
# deposit's terms: none is past performance.
# (each part bounded, as a sentence is: the pattern is tried at every position of the text)
_NOT_PERFORMANCE = Pattern(r"(?:业绩)?比较基准[^。;；]{0,200}|[^。;；]{0,100}(?:假设|模拟数据)[^。;；]{0,100}"
                           r"|(?:本期|预期|到期)(?:年化)?收益率?区间[^。;；]{0,100}"
                           r'|(?:谨防|警惕)"[^"]{0,30}"'  # probe 119: a scam's slogan quoted
                           # a loan's price, not a fund's return (质押贷款年化利率(单利)由4.2%下调至3.9%)
                           r"|(?:年化|日|月)?利率(?:\([单复]利\))?[^,，;；。%]{0,6}?\d+(?:\.\d+)?%"
                           r"(?:[^,，;；。%]{0,6}?\d+(?:\.\d+)?%)?|" + MARKET_RATE.pattern)


def _performance_shown(t: Text) -> bool:
    return near(t.without(_NOT_PERFORMANCE), PERCENT, _PERFORMANCE_WORDS)


def past_performance(t: Text) -> list[str]:
    # (probe 174: a product named by its brand alone, 「灶火·周周享」近一年年化收益率3.12%, is the wealth product whose
    # own warning the text prints, 理财非存款，产品有风险, unquoted and outside a lesson)
    warned = not t.contexts.education and any(not in_quotation_marks(t.norm, m.start() + 1)
                                              for m in _WEALTH_WARNING.finditer(t.norm))
    if not (in_promo(t, "wealth") or warned) or t.has(_PAST_PERFORMANCE) or not _performance_shown(t):
        return []
    return ["展示收益数据但缺少“过往业绩不代表其未来表现”"]


_BENCHMARK_CAVEAT = Pattern(r"不构成[^。;；]{0,20}承诺|不代表[^。;；]{0,20}收益|不等于[^。;；]{0,20}收益"
                            r"|不是预期收益|(?:不是|并非|并不是)[^。;；]{0,10}?(?:实际收益|收益承诺)|而非[^。;；]{0,6}?承诺"
                            # probe 122: 既不是已实现的收益，也不是保证给您的收益
                            r"|(?:不是|并非|并不是)(?:已经?|已)?(?:实现|保证|承诺)[^。;；,，]{0,6}?收益"
                            r"|(?:可能|或将?|有可能)(?:达不到|低于|无法达到|不及)[^。;；]{0,4}?(?:业绩)?比较基准"
                            # the benchmark said to be no rate (业绩比较基准不是利率，别拿它跟存款利息比)
                            r"|比较基准(?:并不是|不是|并非|不等于|不同于)(?:存款的?|定期的?)?(?:利率|利息)")


# A benchmark shown: with its figure, or in a product's promotion (not a text explaining what one is).
_BENCHMARK_SHOWN = Pattern(r"比较基准[^。;；!！?？]{0,12}?\d")


def benchmark(t: Text) -> list[str]:
    """A wealth product's benchmark reads as a target yield; a fund's is the index it is compared with
    (本基金业绩比较基准收益率4.1%), shown beside its own return, and needs no caveat."""
    fund_only = "fund" in t.contexts.subjects and "wealth" not in t.contexts.subjects
    shown = t.has(_BENCHMARK_SHOWN) or in_promo(t, "wealth")
    if "比较基准" in t.norm and shown and not fund_only and not t.has(_BENCHMARK_CAVEAT):
        return ["“业绩比较基准”未说明不构成收益承诺"]
    return []


def testimonial(t: Text) -> list[str]:
    # Someone's gain from an investment product is itself a sales argument: no call to act is needed,
    # only a text that is not a warning (他人的收益不代表您的收益 is the education that quotes it). A story
    # that names its product by a brand only is about the product its own risk warning names.
    # (the warning quoted names it, 宣传材料须标注“理财非存款，产品有风险”; one after a story's closing quotation
    # mark, 老两口旅游的钱有了。”理财非存款…, is the text's own: probe 117)
    warned = not t.contexts.education and any(not in_quotation_marks(t.norm, m.start() + 1)
                                              for m in _PRODUCT_WARNING.finditer(t.norm))
    # (probe 114: a product by its brand that paid out a dividend or a maturity sum, 领了「鑫福来」的一笔满期金, is an
    # investment, however unnamed its kind)
    warned = warned or (t.has(_BRAND_PAYOUT) and not t.contexts.education)
    found = [m for m in [*claims(t, "testimonial"), *claims(t, "testimonial_said", inner=False)]
             if not asked_by_customer(t.norm, m.start)
             and not _NO_ENDORSEMENT.search(t.norm, clause_start(t.norm, m.start), m.start)]
    if not warned and not named_outside_a_warning(t, *INVESTMENTS):
        return unnamed.testimonial(t, found)
    return quoted(t, found if warned else about(t, found, *INVESTMENTS))


# (宣传材料均不使用客户、专家或名人的推荐证明: endorsements said to be left out)
_NO_ENDORSEMENT = Pattern(r"(?:不|未|禁止|严禁|杜绝)(?:得)?(?:使用|包含|含有|含|采用|引用|出现)[^。!！?？]{0,12}$")
_BRAND_PAYOUT = Pattern(r'(?:买|领)了?"[^"]{1,10}"[^。!！?？]{0,30}?(?:分红|满期金|生存金|收益|回报)')
_PRODUCT_WARNING = Pattern(r"(?:理财非存款[,，、]产品有风险|基金有风险[,，、]投资[须需]谨慎)")
_WEALTH_WARNING = Pattern(r"理财非存款[,，、]产品有风险")


_FUND_RISK = Pattern(r"基金有风险|投资[须需]谨慎")
# (in other words: 货币基金不等于把钱存银行, 不等同于银行存款)
_MONEY_FUND_CAVEAT = Pattern(r"不等于(?:将资金作为)?存款"
                             r"|(?:不等于|不等同于?|不同于|并不是|不是)(?:把钱|将资金)?(?:存(?:在|进|到)?银行|银行存款|存款)")
_MONEY_FUND = Pattern(r"货币(?:市场)?(?:型)?基金|货币[a-e](?![a-z])")  # 汇川货币A: a share class


def fund_disclaimer(t: Text) -> list[str]:
    # (a money fund likened to a deposit, 货币基金就是活期的升级版, is presented as one, a call or not)
    likened = t.has(_MONEY_FUND) and not t.contexts.education and bool(claims(t, "not_deposit"))
    if not (in_promo(t, "fund") or likened) or ((t.has(_KEEP_SECRETS) or t.has(_ROLE_NOTICE))
                                                and not t.has(_FUND_PITCHED)):
        return []
    missing = []
    if not t.has(_FUND_RISK):
        missing.append("基金有风险，投资须谨慎")
    if _performance_shown(t) and not t.has(_PAST_PERFORMANCE):
        missing.append("过往业绩不代表其未来表现")
    # (not in market information that advises nothing: 本文为市场信息，不构成投资建议)
    if t.has(_MONEY_FUND) and not t.has(_MONEY_FUND_CAVEAT) and (t.contexts.call or not t.has(NO_ADVICE)):
        missing.append("购买货币基金不等于将资金作为存款")
    return ["缺少：" + "、".join(missing)] if missing else []


# A notice that the bank never asks for a code or a password, with funds named only as the service it is about
# (基金申购、赎回请仅在手机银行内操作; 认购新基金前要做风险测评), pitches no fund: its words of buying are steps.
_KEEP_SECRETS = Pattern(r"(?:不会|绝不会?|从不|不)[^。!！?？]{0,12}?(?:索要|索取|要求您?提供|询问)"
                        r"[^。!！?？]{0,10}?(?:验证码|密码)"
                        r"|(?:请勿|切勿|不要)[^。!！?？]{0,12}?(?:发送|提供|透露|告诉)[^。!！?？]{0,8}?"
                        r"(?:身份证号|银行卡号|卡号|验证码|密码)")
# ... nor does a notice of the bank's role in what it distributes (本行不承担产品的投资、兑付和风险管理责任).
_ROLE_NOTICE = Pattern(r"(?:本行|我行)(?:不|并不|均不)承担[^。!！?？]{0,16}?(?:责任|风险)")
_FUND_PITCHED = Pattern(r"\d%|(?<!\d)\d{6}(?!\d)|\"[^\"]{2,12}\"(?!频道|栏目|专区|页面|菜单|入口|板块)|《[^》]{2,20}》"
                        r"|[^\W\d_]{2,8}(?:混合|债券|股票|指数|纯债|短债|货币|联接)型?(?:证券投资)?基金|立即|马上|抢购|限时|点击")


# Since 资管新规 a bank wealth product shows its 业绩比较基准, not an expected return (预期收益率).
EXPECTED_YIELD = ("预期收益率", "预期年化收益率", "预期年化收益", "预期年化", "预期收益", "预计收益", "预计年化")
_EXPECTED_FIGURE = Pattern(r"(?:预计|估计|预估)[^,，;；。!！?？]{0,8}?(?:能)?(?:拿到|收益|赚|达到)"
                              r"[^,，;；。!！?？]{0,4}?\d")


def expected_yield(t: Text) -> list[str]:
    if not in_promo(t, "wealth"):
        return []
    found = find_terms(t, EXPECTED_YIELD) + find_pattern(t, _EXPECTED_FIGURE)
    return quoted(t, about(t, [m for m in found if not asked_by_customer(t.norm, m.start)
                               and not _named_without_figure(t, m)], "wealth"))


def _named_without_figure(t: Text, m: Match) -> bool:
    """The words in quotation marks with no figure in their clause (很多人对“预期收益率”仍有印象) are named, not
    quoted as the product's return (“预期年化收益率”4.5%)."""
    return in_quotation_marks(t.norm, m.start) and not _DIGIT.search(t.norm, m.end, clause_end(t.norm, m.end))


_DIGIT = Pattern(r"\d")


# Simulated figures must say so (理财销售文本: 模拟数据须注明).
_SIMULATED = Pattern(r"(?:模拟|测算|回测|推算)[^。!！?？]{0,40}?\d")


def simulated_data(t: Text) -> list[str]:
    if not in_promo(t, "wealth", "fund") or t.has_any(("模拟数据", "模拟测算数据", "测算数据仅供参考")):
        return []
    return quoted(t, find_pattern(t, _SIMULATED, inner=False))


# A rating or award names who gave it and when (理财: 第三方评价机构的名称和发布渠道与日期; 广告法 art. 11).
RATINGS = ("获评", "荣获", "荣膺", "榜单", "金牛奖", "五星评级", "五星评价", "晨星评级", "评为", "获奖", "排名第",
           "称号", "奖杯", "拿到五星", "获得五星", "评级中拿到", "荣登", "上榜")  # probe 126: 荣登…榜前三


def rating_citation(t: Text) -> list[str]:
    if not in_promo(t, "wealth", "fund") or (t.has(SOURCED) and t.has(PERIOD_DATE)):
        return []
    return quoted(t, about(t, find_terms(t, RATINGS), "wealth", "fund"))


# Fund performance as a probability of gain (正收益概率) is a slogan, not a disclosure (公募基金销售行为规范, draft).
GAIN_ODDS = ("正收益概率", "盈利概率", "赚钱概率", "正收益率达", "胜率")


# A period too short to judge (under six months), or under a year shown as an annual rate.
_SHORT_PERIOD = Pattern(r"(?:近|最近|过去)(?:[1-5]|[一二两三四五])个?月"
                           r"|(?:近|最近|过去)(?:\d+|[一二两三四五六七八九十]+)(?:天|日|周)"
                           r"|(?:近|最近|过去)(?:[6-9]|1[01]|[六七八九]|十一?)个?月[^。;；]{0,10}?年化|近半年[^。;；]{0,10}?年化")


# ... or a dated span under six months (2026年8月1日至10月31日，该基金净值增长12.6%)
_DATED_SPAN = Pattern(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?(?:至|到|-|—|~|～)"
                      r"(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?")


def _short_spans(t: Text) -> list[Match]:
    out = []
    for m in _DATED_SPAN.finditer(t.norm):
        y1, m1, d1, y2, m2, d2 = m.groups()
        try:
            days = (datetime.date(int(y2 or y1), int(m2), int(d2 or 28))
                    - datetime.date(int(y1), int(m1), int(d1 or 1))).days
        except ValueError:
            continue
        if 0 <= days < 182:
            out.append(Match(m.group(0), m.start(), m.end()))
    return out


def performance_window(t: Text) -> list[str]:
    if not in_promo(t, "fund"):
        return []
    shown = [m for m in [*find_pattern(t, _SHORT_PERIOD), *_short_spans(t)]
             if near(normalise(sentence(t.norm, m.start)), PERCENT, _PERFORMANCE_WORDS)]
    return quoted(t, about(t, sorted(find_terms(t, GAIN_ODDS) + shown, key=lambda m: m.start), "fund"))
