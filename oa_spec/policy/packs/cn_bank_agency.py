"""cn-bank text finders for insurance and agency sales (compliance.md §1d): a policy sold in a deposit's
words or as the bank's own product, and a product the bank sells for others named without its issuer.
"""

from __future__ import annotations

from functools import lru_cache

from oa_spec.policy.negation import asked_by_customer, clause_start, in_quotation_marks, negated, sentence
from oa_spec.policy.packs.textkit import (
    claims,
    in_promo,
    named_outside_a_warning,
    names_deposit_insurance,
    products_leaving_out,
    quoted,
    sets_itself_apart,
)
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.text import Match, Text, find_pattern, find_terms, names, normalise, products_near
from oa_spec.policy.vocabulary import OUR_BANK, SERVICE_NOTICE

# --- insurance sold as a deposit --------------------------------------------------------------------------
# Bank-sold insurance must not borrow the words of a deposit (不得套用“本金”“利息”“存入”等概念).
# probe 109: 存满5年; probe 122: a policy sold as a piggy bank (养老钱的“长期存钱罐”)
# probe 170: money said to earn interest in it (一直“生息”), a policy deposited instead of a term deposit (改存保单)
DEPOSIT_WORDS = ("存入", "本金", "利息", "储蓄", "零存整取", "存满", "每年存", "每月存", "存钱罐", "生息", "改存")
DRESSED_AS_BANK = ("存单变保单", "银行推出", "银行和保险公司联合推出", "银行理财新业务", "新存法", "存钱新方式",
                   "存钱的新方式")
# probe 93: 增额终身寿; probe 94: 储蓄险; probe 125: a premium is a policy's (年缴保费1万元)
_POLICY_WORDS = ("保险", "寿险", "年金险", "分红险", "万能险", "保单", "终身寿", "储蓄险", "两全险", "保费")
# A deposit turned into a policy (存单到期不如转成这份两全保险): 存单变保单 in other words.
# The bank presenting a policy as its own launch (本行全新推出…两全保险): 银行推出 in other words.
# (probe 94: a rural bank by its kind, 咱农商行最新推出的养老储蓄险; probe 114: 银行联手大保险公司出品)
_BANK_LAUNCH = Pattern(r"(?:本行|我行|咱行|咱们行|我们行|银行|农商行|农信社|信用社|农合行)"
                          r"(?:今年|近日|最近|本月|新近|刚刚|近期|日前)?(?:(?:联合|联手|携手|与|和|同)[^,，;；。]{1,8}?)?"
                          r"(?:联合|共同|携手)?(?:全新|重磅|隆重|最新|独家|倾情)?(?:推出|新推|新出|新到|出品|上新)")
_INSURER = Pattern(r"保险(?!箱|柜)|人寿|寿险")
# (probe 125: or told in the next sentence, 存单到期别急着续存！转进…增额终身寿)
_DEPOSIT_TO_POLICY = Pattern(r"(?:存单|定期|定存|存款|储蓄)[^。!！?？]{0,16}?[!！]?"
                                r"(?:转成|换成|改成|变成|转为|换为|转投|转进|升级成|升级为)[^。!！?？]{0,16}?(?:保险|保单|寿险|年金|分红险|万能险"
                                r"|终身寿|人寿)"
                                # probe 107: the deposit rolled over into the policy (存单到期后可直接“转存”至…年金保险)
                                r"|(?:存单|定期|定存|存款|储蓄)[^。!！?？]{0,16}?\"?转存\"?(?:至|到|进|成|为)[^,，;；。!！?？]{0,12}?"
                                r"(?:保险|保单|寿险|年金|分红险|万能险|终身寿|人寿)"
                                # the deposit moved elsewhere in a policy's text (把定期换个地方放, 存款挪个窝)
                                r"|(?:存单|定期|定存|存款|储蓄)(?:的钱)?(?:换|挪)个(?:地方|地儿|窝|去处)(?:放|存|搁)?")
# A policy given a deposit's name (“养老存款计划”由安和人寿承保, 推出“五年存单”): the name is the likeness.
_NAME_OF_A_DEPOSIT = r'"[^"]{0,10}(?:存款|存单|储蓄|定存)[^"]{0,10}"'
_DEPOSIT_NAMED = Pattern(rf"(?:推出|新推|这份|这款|这张){_NAME_OF_A_DEPOSIT}"
                         rf"|(?:险|保单){_NAME_OF_A_DEPOSIT}"  # probe 118: the policy by that name (港险“储蓄计划”)
                         rf"|{_NAME_OF_A_DEPOSIT}[^。!！?？]{{0,16}}?承保"
                         # the insurer that underwrites it named later (“…储蓄计划”…。（某某人寿承保）)
                         rf"|{_NAME_OF_A_DEPOSIT}.{{0,80}}?(?:人寿|保险公司|寿险公司)[^,，;；。!！?？]{{0,4}}?承保"
                         # (probe 167's pass: or the underwriter named after its label, a saving's brand ending in 存:
                         # “惠存”五年期…（承保机构：安和人寿）)
                         rf"|(?:{_NAME_OF_A_DEPOSIT}|\"[^\"]{{1,6}}(?:存|储)\").{{0,80}}?承保(?:机构|公司)[:：为是]"
                         # probe 93: the plan so named said later to be a policy (（本计划为…承保的两全保险）)
                         rf"|{_NAME_OF_A_DEPOSIT}.{{0,120}}?(?:本|该|此)计划(?:为|是|系|由)[^。!！?？]{{0,30}}?(?:承保|保险)")
# probe 110: a policy sold by the deposit's name its buyers know it by (那个“五年存单”…其实是…分红险，今年还能办); a
# warning says the same to undo it, so only a promotion's counts
_NICKNAMED = Pattern(rf"{_NAME_OF_A_DEPOSIT}[^。!！?？]{{0,40}}?(?:其实|实际上?|实则)(?:就)?是[^。!！?？]{{0,16}}?"
                     r"(?:保险|分红险|寿险|年金险|万能险|两全险|保单|终身寿)"
                     # probe 113: a policy launched under a wealth product's name, what it is told later, in
                     # brackets or a note (本行新推出的“银保理财”…（实为…两全保险）)
                     r'|"[^"]{0,10}理财"[^"]{0,120}?(?:实为|实则为|其实是|实际(?:上)?是)[^。!！?？]{0,16}?'
                     r"(?:保险|分红险|寿险|年金险|万能险|两全险|保单|终身寿)")


# The same words in English, for bilingual readers (deposit 10,000 a year into the policy and earn interest); a
# denial (is not a deposit, pays no interest) names none of them.
_ENGLISH_DEPOSIT_WORDS = Pattern(r"(?<![a-z])deposit(?:s|ed|ing)?\s+(?:rmb\s*|¥|\$)?\d"
                                 r"|(?<!not )(?<!n't )(?<!never )(?<![a-z])earns?\s+(?:you\s+)?interest(?![a-z])")


# A payout paid into the customer's account (理赔款将存入您指定的银行账户) is no deposit of the policy's.
_INTO_AN_ACCOUNT = Pattern(r"存入[^,，;；。]{0,12}?(?:账户|银行卡|借记卡|卡中|卡内)"
                           # the debit card that pays the premium (保费绑定本行储蓄卡自动扣款) is no deposit either,
                           # nor the savings business kept apart from it (保险与储蓄业务分区办理)
                           r"|储蓄(?:卡|账户)|(?:储蓄|存款)(?:业务)?(?:分区|分开|分柜|隔离)")


def insurance_not_deposit(t: Text) -> list[str]:
    """Deposit words for a policy in its promotion; and a policy likened to a deposit (这份年金险就是升级版的
    定期存款) in any text but a warning, as wealth.not-deposit reads an investment."""
    likened = [] if t.contexts.education else [m for m in claims(t, "not_deposit") if _said_of_a_policy(t, m)
                                               and not names_deposit_insurance(t, m)
                                               and not sets_itself_apart(t, m)]
    # a policy presented as the bank's deposit is the offer itself (【存单变保单】…转存这款保险), a call or not;
    # outside a promotion not in quotation marks (被人以“存单变保单”为由签了保单 reports a scam)
    promoted = in_promo(t, "insurance")
    dressed = [m for m in _dressed_as_the_banks(t) if promoted or not in_quotation_marks(t.norm, m.start)
               ] if named_outside_a_warning(t, "insurance") else []
    words = [m for m in find_terms(t, DEPOSIT_WORDS) if _of_a_policy(t, m.start)
             and not _INTO_AN_ACCOUNT.match(t.norm, m.start)] + find_pattern(t, _NICKNAMED) + [
        m for m in find_pattern(t, _ENGLISH_DEPOSIT_WORDS) if _of_a_policy(t, m.start)] if promoted else []
    return quoted(t, sorted(words + dressed + likened, key=lambda m: m.start))


def _dressed_as_the_banks(t: Text) -> list[Match]:
    """存单变保单 and its kin; a launch by the bank (银行推出) only when its sentence sells a policy (not
    保管箱) or the bank launches it with an insurer (咱行和保险公司联合推出的新存款)."""
    dressed = [m for m in find_terms(t, DRESSED_AS_BANK) + find_pattern(t, _DEPOSIT_TO_POLICY, inner=False)
               if m.term != "银行推出" or _of_a_policy(t, m.start)]
    dressed += [m for m in find_pattern(t, _BANK_LAUNCH) if (_INSURER.search(m.term) or _of_a_policy(t, m.start))
                and not any(d.start <= m.start < d.end for d in dressed)]
    dressed += find_pattern(t, _DEPOSIT_NAMED)
    return dressed


def _said_of_a_policy(t: Text, m: Match) -> bool:
    """The likeness is the policy's: the policy is named before it in its clause, or its sentence is about
    one and the clause names no deposit (把定期转成这份增额终身寿险，钱还是放在银行). The deposit word of the
    likeness is the yardstick, not the sentence's product (交五年、保终身，相当于一张存单)."""
    before = normalise(t.norm[clause_start(t.norm, m.start):m.start])
    # paying money in (每年存入2万元, 攒钱存满五年) is what a policy's premiums are too: it names no deposit product
    around = products_leaving_out(t, m.start, m.end, _as_premiums)
    return (names(before, "insurance") or names(normalise(m.term), "insurance")  # 存款型保险
            or ("insurance" in around and not names(before, "deposit"))
            # (or the text says its product is a policy, in a note: 和存定期一样在柜台就能办。（合作保险公司出品）),
            # its sentence naming no deposit but the yardstick (您那笔大额存单…仍然是存款 is the deposit's own)
            or (t.has(_DECLARED_A_POLICY) and not names(before, "deposit") and not around & _INVESTMENTS
                and "deposit" not in products_leaving_out(t, m.start, m.end, _without_yardsticks)))


_INVESTMENTS = frozenset({"wealth", "fund", "structured", "metal"})
_YARDSTICK = Pattern(r"比[^,，;；。!！?？]{0,6}?(?:定期|存款|存单|活期)")


def _without_yardsticks(norm: str) -> str:
    return _YARDSTICK.sub("", _as_premiums(norm))


_SAVING = Pattern(r"存入|存进|存满|存钱|首存|新存")


def _as_premiums(norm: str) -> str:
    """Paying in (每年存入2万元, 攒钱存满五年) read as paying a premium: it names no deposit product."""
    return _SAVING.sub(lambda found: "交" * len(found.group(0)), norm)


@lru_cache(maxsize=16)  # asked for every deposit word of a text: read the text once, not once a word
def _paid_in(norm: str) -> Text:
    return normalise(_as_premiums(norm))


# A deposit word that is an item of a list (按需选择储蓄、理财、基金或保险产品) names the deposit itself.
_LISTED = Pattern(r"、(?:储蓄|定期|活期)|(?:储蓄|定期|活期)、")


# probe 131: a deposit the policy is measured against (比定期存款划算多了) is the yardstick, not a deposit sold.
# (比一般存款多一份保障: a deposit in general is a yardstick too)
_NO_DEPOSIT_NAMED = Pattern(r"存款保险|保险箱|保险柜"
                            r"|比(?:银行)?(?:的)?(?:一般|普通|传统)?(?:的)?(?:定期|活期|大额)?(?:存款|存单)")
# The text says what its product is: a policy (本产品为年金保险, 该计划是…两全保险); its deposit words
# are said of that policy.
_DECLARED_A_POLICY = Pattern(r"(?:本|该|此)(?:产品|计划)(?:为|是|系|属于?)[^,，;；。!！?？]{0,12}?"
                             r"(?:保险|寿险|年金险|分红险|万能险|两全险)"
                             # or names its underwriter (安澜人寿承保, 承保机构：安和人寿)
                             r"|[^\W\d_]{2,8}(?:人寿|保险)(?:股份)?(?:有限)?(?:公司)?承保|承保(?:机构|公司)[:：为是]"
                             # or is made with or by one (跟华康人寿一起弄的, 合作保险公司出品)
                             r"|(?:跟|和|与|同)[^\W\d_]{2,8}?(?:人寿|保险公司|寿险公司)(?:一起|合作|联合)"
                             r"|(?:保险公司|人寿)(?:出品|提供)")


def _of_a_policy(t: Text, start: int) -> bool:
    """The sentence at `start` names no deposit (存款保险 is the deposit's insurance, not a policy; a deposit
    it is compared with is the yardstick) and sells a policy: it names one, or names no product and follows
    one (年金保险…。满期时本金连同利息一次性返还), or the text says its product is one (本产品为年金保险)."""
    here = _NO_DEPOSIT_NAMED.sub("", sentence(t.norm, start))
    if "存款" in here or "存单" in here or _LISTED.search(t.norm, max(0, start - 1), start + 3):
        return False
    return (any(w in here for w in _POLICY_WORDS) or products_near(_paid_in(t.norm), start) == {"insurance"}
            or t.has(_DECLARED_A_POLICY))


# --- products sold for others (§1d) ---------------------------------------------------------------------
# A fund, a policy or a 理财公司's product that the bank distributes, named (in quotation marks or
# brackets, by its fund code, or by a brand and a fund or policy type): the text says who issues it or
# that the bank only distributes it (商业银行代理销售业务管理办法, 2025).
# A brand is two or more characters that are not pointers, verbs of buying or holding or calls (这款, 申购, 持有, 立即),
# nor a kind of policy (增额终身寿险 is a kind, 安心增额终身寿险 a product; probe 93: 分红型年金险 too),
# nor a verb of learning before a kind.
_NOT_BRAND = "这该本此某每各其款只支个类种份的是为以按将买购选投在和与或了立即申认请点击欢迎火热开放发售定基金问说"
# (a theme is no brand either: ESG债券基金, 碳中和主题理财)
_BRAND = (r"(?<![a-z])(?!持有|配置|投资|关注|赎回|买入|esg|碳中和|新能源|低碳|绿色|环保|光伏)"
          rf"[^\W\d_{_NOT_BRAND}]{{2,8}}(?<!增额)(?<!(?:分红|万能|投连|普通)型)"
          # a kind met, learnt or explained (第一次接触指数基金, 了解债券基金) is no product's brand
          r"(?<!接触)(?<!了解)(?<!认识)(?<!学习)(?<!研究)(?<!听说)(?<!介绍)(?<!讲解)(?<!科普)")
# A quoted question (“有没有稳赚的理财”), words reported (“邻居说某款理财…”) or a term introduced as such
# (所谓“保本理财”) names no product, nor does the 和 between two quoted words (“存款”和“理财”是两个栏目).
_NAME = r"(?<!所谓)\"(?![^\"]*(?:的|有没有|吗|什么|怎么|哪|某|说))(?!存款保险)(?![和与或及跟]\")[^\W_]{1,20}"
_TAB = "栏目|频道|专区|板块|菜单|页面|按钮|入口|模块|标签"
_NAMED_PRODUCT = Pattern(
    # (a quoted term defined with Cantonese 系 for 是, “定期开放”系理财产品开放申购的方式, names no product; 系列 does)
    # (nor a menu's tab, “理财”栏目展示理财产品, nor a word quoted as used, 用“利息”来介绍分红险)
    rf"(?:{_NAME}\"(?!系(?!列))(?!{_TAB})|《[^\W_]{{1,20}}》)[^\W\d_的称说是某款这在和与了来]{{0,6}}(?:基金|(?<!风)险|理财)"
    r"(?!网|站|平台|中心|频道|专区|公司)|《[^\W_]{1,20}(?:基金|(?<!风)险|理财)》"
    # 教育金保险“学业有成”, not a remark quoted after the product (理财“已帮她赚了不少”)
    r"|(?:基金|(?<!风)险|理财)\"(?![^\"]*(?:了|吗|说|帮))[^\W_]{1,20}\"(?!网|站|平台|中心|频道|专区|公司)"
    # (an award's name, “三年期金牛基金”奖, names no product)
    rf"|{_NAME}(?:基金|(?<!风)险|理财)\"(?!奖|称号|榜)"
    r"|\"[^\W_]{1,20}\"(?:固收\+?|固收类|现金管理类?|净值型|短债|中短债|纯债)(?:理财|产品)"  # “月月享”固收+理财
    r"|基金代码|(?<![\d*])\d{6}(?![\d*])"  # (a masked ID, 110101********123X, is no fund code)
    # a fund quoted by its type and share class, without the word 基金 (“新能源先锋混合A”开放申购)
    r"|\"[^\W_]{2,16}?(?:混合|债券|股票|指数|纯债|短债|中短债)型?[a-e]\""
    rf"|{_BRAND}(?:(?:混合|债券|股票|指数|纯债|短债|灵活配置|量化|增强|成长|价值|精选|优选|回报)型?){{1,2}}"
    r"(?:证券投资)?(?:发起式)?基金"
    rf"|{_BRAND}(?:增额)?(?:终身寿险|年金保险|两全保险|年金险|重疾险|医疗险)")
# Words that make "X理财" a kind of product rather than a 理财公司's name (稳健理财, 养老理财, 现金管理类理财).
_NOT_ISSUER = ("稳健|养老|现金|管理|类|型|款|这|该|本|此|的|行|新|热|爆|精选|优选|短期|长期|定期|净值|固收|开放|封闭|"
               "专属|代销")
_ISSUER = Pattern(r"(?:基金管理|基金|理财|保险|人寿|财险|资产管理|证券|信托)(?:股份)?有限(?:责任)?公司"
                     r"|(?:管理人|发行人|发行机构|承保机构|承保公司|保险人|产品发行方)[:：为是]"
                     # (probe 127: the insurer that bears the policy's liability, 由丰裕人寿承担保险责任)
                     r"|由[^,，;；。]{0,16}?(?:公司|基金|人寿|保险|理财|资管)[^,，;；。]{0,6}?(?:发行|管理|承保|设立|承担保险责任)"
                     r"|[^\W\d_]{2,8}(?:人寿|保险|财险|基金|理财|资管)(?:承保|发行|管理)"  # 安平人寿承保
                     r"|(?:本行|我行|咱行)(?:自主)?(?:发行|自营)"  # the bank's own product: the issuer is the bank
                     # a 理财公司 named before its product (青禾理财“稳利180天”)
                     rf"|(?<![\w])(?:(?!{_NOT_ISSUER})[^\W\d_]){{2,4}}理财(?=\")")
_DISTRIBUTOR = Pattern(r"代销|代理销售|代理(?:保险|销售)|本行(?:仅|只)?(?:作为|为|是)?(?:销售|代理)(?:渠道|机构|方)"
                          r"|(?:本行|我行)(?:仅|只|负责)?代理(?!人)"
                          r"|非本行(?:发行|自营)|不是本行(?:发行|自营)|本行不承担[^。]{0,12}(?:兑付|投资|风险|责任)")


# A notice that a product's purchases are suspended or capped (暂停大额申购, 单日申购上限) is the manager's
# disclosure passed on, not a sale of the product.
_SUSPENDED = Pattern(r"暂停(?:办理)?(?:大额|本基金的?)?(?:申购|赎回|转换|定投|定期定额)")
# (unless the suspension is the pitch's deadline: 暂停申购前最后一天，抓紧抢购)
_HURRY = Pattern(r"抢购|抓紧|赶紧|赶快|立即|马上|最后一天|最后机会|手慢无|速来")


# probe 172: a text headed as a reminder of risk (温馨提示：“金安盈”为理财产品，不是存款…可能受损) and calling for
# nothing tells what a product is, it sells none
_RISK_NOTICE = Pattern(r"^【?(?:温馨提示|风险提示|特别提示|重要提示)[】:：]")


# probe 176: a product's periodic report passed on (三季度报告摘要：…以上内容摘自定期报告) is its manager's disclosure
# quoted, not a sale of it, unless the text calls to buy
_PERIODIC_REPORT = Pattern(r"(?:季度|半年度|年度|中期|定期)报告(?:摘要)?|报告摘要|摘自[^,，;；。]{0,8}?(?:报告|公告)")


# A policy named by its insurer (安澜人寿两全保险) names who issues it.
_BY_ITS_ISSUER = Pattern(r"人寿|财险|保险公司|基金公司|理财公司")


def agency_disclosure(t: Text) -> list[str]:
    # (a notice about the customer's own holding sells nothing: 您持有的…将于11月30日到期)
    if (not in_promo(t, "fund", "insurance", "wealth") or t.has(_ISSUER) or t.has(_DISTRIBUTOR)
            or t.has(SERVICE_NOTICE) or (t.has(_SUSPENDED) and not t.has(_HURRY))
            or ((t.has(_RISK_NOTICE) or t.has(_PERIODIC_REPORT)) and not t.contexts.call)):
        return []
    # the bank's own product (本行“安盈”系列理财, 私人银行“臻享”; probe 172: by the bank's name, 瀚海银行“金安盈”)
    # names its issuer: the bank; a name quoted to be denied (您说的“存款型理财”并不存在) names no product
    named = next((m for m in _NAMED_PRODUCT.finditer(t.norm)
                  if not t.norm.endswith((*OUR_BANK, "银行", "农商行", "信用社"), 0, m.start())
                  and not (t.norm.startswith('"', m.start()) and negated(t.norm, m.start() + 1))
                  and not asked_by_customer(t.norm, m.start())  # 问：买理财“零风险”了？
                  and not _BY_ITS_ISSUER.search(m.group(0))), None)
    return [f"“{named.group(0)}”未披露发行机构，也未说明本行为代销机构"] if named else []
