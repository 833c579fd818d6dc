"""cn-bank text finders for credit (compliance.md §1c): how loans and credit cards are priced, the
terms they are sold on, and whom they are sold to. Each finder reads one text and says what it found.
"""

from __future__ import annotations

from collections.abc import Iterator

from oa_spec.policy.negation import asked_by_customer, clause_start, in_quotation_marks, negated, scripted, sentence
from oa_spec.policy.packs.textkit import UNPRICED, about, claims, in_promo, named_outside_a_warning, quoted
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.rules import Hit
from oa_spec.policy.subjects import AccountView
from oa_spec.policy.text import Text, find_pattern, find_terms, names, normalise, offered, products_near
from oa_spec.policy.vocabulary import (
    AMOUNT,
    DAILY_PRICE,
    FRACTION,
    FRAUD_FRAME,
    PER_DAY,
    PER_MONTH,
    PER_PERIOD_AMOUNT,
    PERCENT,
    SERVICE_NOTICE,
    SUBJECTS,
)

# Loan prices quoted per day, per month, per 10,000 yuan or as a daily amount (人民银行公告〔2021〕3号).
# (a rate said in points: 利率3.5个点起)
_PRICE = Pattern(r"日息(?!差)|日利率|月息(?!差)|月利率|利息低至|费率|每万元|万元每天|千分之"
                    r"|(?:利率|利息)[^,，;；。]{0,4}?\d+(?:\.\d+)?个点|(?:利率|利息)[^,，;；。]{0,12}?(?:低|少|便宜)了?\d+(?:\.\d+)?个(?:百分)?点"
                    # probe 110: a rate said only roughly (只担一点几的利率, 利率也就几个点)
                    r"|(?:[一二两三四五六七八九]|\d)点几(?:个点)?的?(?:利率|利息)|(?:利率|利息)[^,，;；。]{0,4}?(?:(?:[一二两三四五六七八九]|\d)点几|几个点)"
                    rf"|(?:{PER_DAY}|{PER_MONTH}|每周)[^,，;；。]{{0,6}}?(?:利息|费用|成本)"
                    rf"|利息[^,，;；。]{{0,8}}?{AMOUNT}"
                    rf"|(?:{PER_DAY})[^,，;；。]{{0,6}}?{AMOUNT}"
                    r"|(?<!起)按(?:天|日)计息"
                    # a daily payment per 10,000 yuan (万元日供两块七, 2.7元/万元/天)
                    r"|日供|元/?万元?/?(?:天|日)(?!内|后|起)"  # (自记账日起按日计息 is a card's standard disclosure)
                    # the day's cost as an everyday purchase (一万元用一天 = 一个煎饼果子), a monthly payment
                    # as a meal, a saving or the little more it costs (每月还款比一顿火锅还少, 每月比现在少还800元,
                    # 贷10万每月只多还300多, 每期还款仅约2966元, 每期只需还3,050元, 一万块一个月才几十块)
                    r"|(?<!\d)\d字头"  # 利率已经是3字头
                    r"|(?<![\d.])万[1-9](?![\d.%万千百])"  # 日息万5: the trade's shorthand for 万分之五
                    # probe 146: the shorthand in characters after the interest word (利息打到了“万三”以内)
                    r"|(?:日息|利息|利率|息费)[^,，;；。]{0,4}?万[二三四五六七八九](?![万千百十元块])"
                    r"|还款?比一(?:顿|杯|个|碗|份)[^,，;；。]{0,4}?还(?:少|便宜)|(?:每月|每个月|月供)[^,，;；。]{0,4}?[少多](?:还|付)\d+"
                    r"|(?:用|借)(?:一|1)天\s*[,，]?还?(?:=|等于|相当于|就是|才|只要|不到|顶多)\s*一(?:个|杯|根|碗|顿|瓶|份)"
                    r"|每期(?:还款|还|应还)?(?:仅需|只需|只要|仅)?(?:约|大约)?\d+(?:\.\d+)?元|每期(?:仅需|只需|只要|仅|只)还款?(?:约|大约)?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:元|块|(?=[!！~～。]|$))"
                    r"|月供(?:低至|仅需|只需|只要|仅|才)(?:每月)?(?:约|大约)?\d+(?:\.\d+)?元"
                    r"|每月(?:只需|仅需|只要|仅|只)还款?(?:约|大约)?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:元|块|(?=[!！~～。]|$))"
                    # probe 121: a monthly payment said to be under a figure (每月还款不到4400元), a cost per month
                    # as a sum (费用每个月才六毛钱一百块)
                    # (Hong Kong pays a loan back as 供款: 每月供款只需1,680元)
                    r"|每月(?:还款|供款)(?:不到|才|仅需|只需|只要|仅)(?:约|大约)?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?元"
                    # probe 127: a plain monthly repayment, roughly (每个月还1760元左右，12个月还清)
                    rf"|(?:一万|1万|万元)(?:块|元)?钱?(?:{PER_MONTH}|{PER_DAY})(?:才|只要|只需|仅需|仅|就)?(?:约|大约)?{AMOUNT}|(?:{PER_MONTH})(?:还款?|要还|应还)(?:约|大约)?{AMOUNT}|(?:{PER_MONTH})(?:只需|仅需|只要|仅|只)?还(?:息|利息)(?:约|大约)?{AMOUNT}"
                    rf"|(?:费用|利息|成本)[^,，;；。]{{0,2}}?(?:{PER_MONTH})[^,，;；。]{{0,4}}?{AMOUNT}"
                    # the interest as a small sum, the sum first (总共才9块钱利息, 只要5元利息)
                    rf"|(?:才|只要|只需|仅需|仅|只|不到)(?:约|大约)?{AMOUNT}钱?的?(?:利息|息费)"
                    # probe 128: a sum per sum lent per period (资金占用费按每百万元每月2600元计收)
                    rf"|每(?:百万|十万|万|千)元(?:{PER_DAY}|{PER_MONTH})[^,，;；。]{{0,4}}?{AMOUNT}"
                    r"|借\d+万?元?[^,，;；。]{0,6}?(?:每天|[一1]天|每个?月|[一1]个月|一周|月息)"
                    # probe 123: a sum borrowed for some days priced as its total (借3000元用7天，总共只花8块4毛钱)
                    rf"|借\d+万?(?:元|块)?[^。!！?？]{{0,4}}?\d+(?:天|个月)[^。!！?？]{{0,4}}?(?:总共|一共|合计|总计|只|仅|才)"
                    rf"[^。!！?？,，]{{0,4}}?(?:{AMOUNT}|(?:\d+(?:\.\d+)?|[一二两三四五六七八九十几]+)万(?:元|块))"
                    # probe 91: a day priced in 块, 毛, 分 (1万块1天只要1块5, 1天2分钱), a monthly payment from a figure
                    r"|(?<!\d)\d{1,6}万(?:元|块)?(?:用)?[一1]天|[一1]天(?:只要|仅需|只需|才|不到)?\d+(?:\.\d+)?(?:块|毛|分钱)|月供\d+(?:\.\d+)?元起"
                    # the price of a day as a small thing bought (日均一杯豆浆钱, 每天也就少喝一杯奶茶的钱; probe 120: a
                    # month's, 每月不到一顿火锅钱)
                    r"|(?:每天|一天|日均|每日|每月|月均|利息)[^,，;；。]{0,8}?(?:一|两|半)(?:杯|瓶|碗|个|根|顿|餐|份|盒|包|桌)[^,，;；。]{0,4}?钱"
                    # probe 122: a month's interest as a sum (每月只要付46块钱利息; 利息只相当于两桌年夜饭钱 above)
                    rf"|(?:{PER_DAY}|{PER_MONTH})[^,，;；。]{{0,4}}?{AMOUNT}钱?的?利息"
                    # probe 115: a year's interest as a round sum in words (用满一年，利息也就三万出头)
                    # (or in the everyday word, 一年下来利钱也就一千出头; a monthly payment so put, 月供三千出头)
                    r"|(?:利息|利钱)(?:也就|才|只要|只有|不过|仅)[^,，;；。]{0,2}?(?:\d+|[一二两三四五六七八九十几]+)[千万](?:出头|多|来块|左右)"
                    r"|月供[^,，;；。\d]{0,3}?(?:\d+|[一二两三四五六七八九十几]+)[百千](?:出头|多|来块|左右)"
                    # probe 167: the interest said to be less than an everyday expense (利息还不够加一次油)
                    r"|(?:利息|利钱|息费)(?:还|都|也)?(?:不够|不到|抵不上|比不上)(?:加一次油|一箱油|一顿饭|一包烟|一张电影票"
                    r"|一(?:杯|碗|顿|份)[^,，;；。!！?？]{0,4}?钱?)")

# The annual rate named, but not only to be asked for (年化利率详询客户经理 shows none).
# Nor one deferred to the approval (具体年化利率以审批结果为准; 以合同为准 beside a rate shows one) or asked (是多少？).
_ANNUAL_NAMED = Pattern(r"(?:年化|年利率)(?![^,，;；。\d]{0,6}?(?:详询|请咨询|咨询|请询"
                        r"|以[^,，;；。\d]{0,4}?(?:审批|审核|授信|评估)[^,，;；。\d]{0,4}?为准|多少[?？]))")


# probe 118: an annual rate that is not the loan's: a deposit's named in its own clause (定期存款年利率2.15%；
# 同步推出装修贷，每万元每月利息仅需25元), or a subsidy's (再享年化1%的贴息补贴)
_SUBSIDY_RATE = Pattern(r"[^,，;；。]{0,10}?的(?:贴息|补贴|财政贴息|利息补贴)")
_NOT_CREDIT = ("deposit", "wealth", "fund", "structured")


def _of_the_loan(t: Text, start: int) -> bool:
    clause = normalise(t.norm[clause_start(t.norm, start):start])
    if any(names(clause, c) for c in _NOT_CREDIT) and not (names(clause, "loan") or names(clause, "card")):
        return False
    return not _SUBSIDY_RATE.match(t.norm, start)


# probe 100: a loan sold at a price (日利率低至万分之1.2, 借1万元每天只需1元) inside a service notice or a
# year-end reminder is still a promotion of it: the notice does not take the price's duty away.
# (probe 115: roughly, 每天的利息仅约1.1元; or likened to a small thing, 一天的成本还不到一杯咖啡钱)
_SOLD_AT = Pattern(r"(?:低至|仅需|只需|仅要|只要|仅为?)(?:约|大约)?(?:万分之|千分之|\d)"
                   r"|(?:成本|利息|费用)[^,，;；。]{0,3}?不到一(?:杯|瓶|碗|个|根|顿|餐|份)")


# (a card that only pays for what is priced, 体检套餐每天只需0.9元，刷本行信用卡支付, prices no credit)
_PAID_BY_CARD = Pattern(r"(?:刷|用|使用)(?:本行|我行)?的?信用卡(?:支付|付款|结算|缴纳|缴费|买单)")


def _sold_in_passing(t: Text) -> bool:
    t = t.without(_PAID_BY_CARD)
    return not t.has(FRAUD_FRAME) and any(
        _of_credit(t, m.start()) and not negated(t.norm, m.start()) and not in_quotation_marks(t.norm, m.start())
        for m in _SOLD_AT.finditer(t.norm))


# probe 121: a share of the people polled (受访个体户中62%表示…, 62%的客户) is a statistic, not a price
_POLLED = Pattern(r"(?:受访|被调查|调查|调研|问卷)[^。!！?？%]{0,12}?\d+(?:\.\d+)?%"
                  r"|(?<![\d.])\d+(?:\.\d+)?%的(?:受访|被调查|客户|用户|个体户|商户|小微企业|企业|人)"
                  # probe 131: a statistic's change on the year (境外消费笔数同比增长23%) prices nothing
                  r"|(?:同比|环比)(?:增长|上升|下降|提升|减少|增加|上涨|下跌|增|降)了?(?:约)?\d+(?:\.\d+)?%")


def apr_disclosure(t: Text) -> list[str]:
    if not in_promo(t, "loan", "card") and not _sold_in_passing(t):
        return []
    polled = t.without(_POLLED).without(UNPRICED)
    priced = polled.has(PERCENT) or t.has(FRACTION) or t.has(DAILY_PRICE) or t.has(_PRICE)
    priced = priced or (t.has(_FEE_PER_INSTALMENT) and "card" not in t.contexts.subjects)
    if priced and not t.has(_ANNUAL_NAMED):
        return ["有价格信息但未展示年化利率"]
    # a loan's own price (每万元每月利息, 月利率) beside only another's annual rate shows none of its own
    if (t.has(_PRICE) or t.has(DAILY_PRICE)) and not any(
            _of_the_loan(t, m.start()) for m in _ANNUAL_NAMED.finditer(t.norm)):
        return ["有价格信息但未展示年化利率"]
    # the annual rate must hold every cost of the loan: a fee charged on top of it (另按月收取0.1%的账户管理费)
    # leaves the rate shown short of the real one
    extra = next((m for m in _FEE_ON_TOP.finditer(t.norm) if not negated(t.norm, m.start())), None)
    if extra is not None and t.has(_ANNUAL_FIGURE):
        return [f"年化利率之外另收费用：“{extra.group(0)}”"]
    return []


# A loan priced by the fee of each instalment or month (借1万元分12期 每期手续费仅37.5元: about 8% a year, probe 125;
# 每月手续费只要150块); a card's instalment fee is card.apr-display's.
_FEE_PER_INSTALMENT = Pattern(r"每(?:期|月)(?:手续费|服务费|管理费)(?:仅需|只需|只要|仅|才)?(?:约|大约)?"
                              r"\d+(?:\.\d+)?(?:元|块)")


_FEE_ON_TOP = Pattern(r"(?:另|另外|额外|另行)(?:按月|每月|按年|每年|按期|每期|一次性)?(?:收取|加收|收)"
                      r"[^,，;；。]{0,6}?\d+(?:\.\d+)?%?[^,，;；。]{0,4}?(?:管理费|服务费|手续费|咨询费|担保费|费用)")
# 享30天免息, 免息30天: a free period; a 免息券 is a coupon whose cap is its own disclosure. 年化利率0% is free
# said so, and 首期免息 with the 2nd instalment's rate stated is disclosed (probe 168: 利息全免; 计算的利息全免 is not).
_INTEREST_FREE = Pattern(r"(?:(?<![天日])免息|(?<![\d.])0(?:利)?息|零息|(?<!的)利息(?:全部|统统|一律)?(?:全免|免收)"
                         r"|(?<![天日])免(?:收|除)利息)(?!期|还款期|天数|\d+天|券)")
_ANNUAL_ZERO = Pattern(r"年化利率[^,，;；。]{0,4}?0(?:\.0+)?%|首期[^。]{0,30}?(?:\d期起|其余|此后)[^。]{0,9}年化")
# the condition before it (新客首笔借款30天内按期还款可享免息), or the instalments it is limited to (probe 113:
# 前12期免息, a free period counted in instalments or months)
_FREE_ON_CONDITION = Pattern(r"首笔|(?<!\d)\d+天内|按期还款|按时还款|全额还款"
                             r"|(?:前|首)(?:\d+|[一二三四五六七八九十两]{1,3})(?:期|个月)")


def loan_misleading(t: Text) -> list[str]:
    """A misleading term is itself the offer (照样给您批贷款): any text naming a loan counts, but a warning,
    a notice about the customer's own account and a policy loan's terms (国家助学贷款在校期间免息)."""
    notice = t.has(SERVICE_NOTICE) and not t.has(_PRE_APPROVED)
    if not named_outside_a_warning(t, "loan") or notice or t.has(_POLICY_LOANS):
        return []
    # 不看征信/不用还 start with 不, so negation would hide them: match these without it, but not
    # in an anti-fraud sentence (请勿相信“无需征信”的广告). Outside a promotion, a term in quotation marks is
    # named, not said (“人人可贷”的粗放时代结束).
    named_only = not in_promo(t, "loan")
    free = [] if t.has(_ANNUAL_ZERO) else [  # 实际年化利率为0%: free, said so; or free on a condition stated
        m for m in find_pattern(t, _INTEREST_FREE)  # (有免息活动吗？ the customer asks)
        if not _FREE_ON_CONDITION.search(t.norm, clause_start(t.norm, m.start), m.start)
        and not asked_by_customer(t.norm, m.start)]
    found = [m for m in claims(t, "loan_misleading", inner=False) + free
             if not _SETTLED.search(t.norm, clause_start(t.norm, m.start), m.start)
             and not (named_only and in_quotation_marks(t.norm, m.start))
             and not (in_quotation_marks(t.norm, m.start) and _EXPLAINED.match(t.norm, m.end))]
    return quoted(t, about(t, found, "loan"))


# probe 128: a line pre-approved for the reader to draw on (您的贷款授信额度预审已完成…可直接激活使用) is an offer,
# though it says 您的贷款 as a notice about the customer's own loan does.
_PRE_APPROVED = Pattern(r"预审(?:已)?(?:完成|通过)|预授信|预批额度|(?:即)?可(?:直接)?激活(?:使用)?")


# A quoted term said to be less than it sounds is being explained (“免息”不等于不用还, “零门槛”并不代表不审核).
_EXPLAINED = Pattern(r'"?(?:并|也)?(?:不等于|不代表|不意味着|不是说|≠)')


# After the loan is repaid nothing is owed: 结清后就不用还了 states a fact, it promises nothing.
_SETTLED = Pattern(r"结清|还清|已还")


# State-subsidised student credit is the sanctioned kind, not consumer credit aimed at students.
_POLICY_LOANS = Pattern(r"(?:国家|生源地|校园地)?(?:信用)?助学贷款|创业担保贷款")
# Said of a policy loan already named: its kind (政策性贷款), its renewal (续贷), the loan named again
# (贷款利息由财政贴息), its disbursement (本行负责放款), its borrowers (学生和家长作为共同借款人, probe 117), its
# prudence prompt and its credit record (按时还款，避免影响个人征信), its amount's rule (具体额度以当年政策为准),
# its repayment in instalments (分期还款, probe 175), unless as another kind of loan (消费贷款, 信用贷款).
_POLICY_LOAN_WORDS = Pattern(r"政策性贷款|续贷|(?<![消费信用经营房车])贷款|理性借贷|放款|(?:共同)?借款人"
                                r"|(?:影响|记入|纳入)(?:个人)?征信|(?:具体|贷款|借款)?额度(?=以|按|根据|由当年)|分期(?:还款|偿还|归还)")


# Students named to be turned away (在校学生不属于支持范围, 在校学生请勿申请, 学生朋友请不要借贷消费, 识别为学生的将
# 终止审批, 应予以拒绝), refused credit (不向无稳定收入的学生发放信用卡), or now at work (毕业季…刚入职的年轻人).
_EXCLUDED = Pattern(r"[^,，;；。]{0,10}?(?:不属于[^,，;；。]{0,6}?(?:范围|对象)|不在[^,，;；。]{0,6}?范围"
                       r"|(?:请勿|请不要|不要|不得|不能|不可|无法)(?:申请|办理|作为借款人|借贷|贷款|借款)"
                       r"|不予(?:受理|办理|审批)|终止审批|除外|谢绝|恕不|剔除|排除|严格(?:核实|审核))"
                       r"|的?(?:父母|家长|监护人|子女|儿女|孙辈|孙子|孙女)"  # 留学生的父母, 在读子女, 上大学的孙辈
                       # probe 121: the shops at the school gate, their owners addressed (校门口的文具店、奶茶店老板)
                       r"|的[^,，;；。!！?？]{0,12}?(?:店|摊|铺|档口)[^,，;；。!！?？]{0,3}?(?:老板|店主|摊主|经营者|商户)"
                       # probe 146: or the businesses around it (校园周边商户专场)
                       r"|周边的?[^,，;；。!！?？]{0,6}?(?:商户|商家|店铺|门店|小店|店主|摊主|老板|经营者|个体户)"
                       r"|[^。!！?？]{0,16}?(?:应|须)?予以拒绝|[^。!！?？]{0,8}?(?:刚入职|已入职|职场新人)")
_REFUSED_TO = Pattern(r"(?:不|不再|停止|禁止|严禁)(?:向|对|给|为|面向)[^,，;；。]{0,12}$"
                         r"|(?:剔除|排除)[^,，;；。]{0,4}$")
# The parents borrow for the student (可由家长作为借款人申请留学贷款): the credit is theirs.
_PARENTS_BORROW = Pattern(r"(?:家长|父母|监护人|直系亲属)(?:作为|为|是)借款人"
                             r"|借款人(?:须|需|应)?为[^。!！?？]{0,24}?"
                             r"(?:家长|父母|监护人|直系亲属)|由(?:家长|父母|监护人)(?:申请|办理|借款)"
                             r"|(?:家长|父母)(?:可)?(?:用|以)本人名义(?:申请|办理)"
                             r"|(?:家长|父母)(?:可|可以)?申请[^。!！?？]{0,12}?贷款[^。!！?？]{0,4}?借款人(?:须|需|应)?为")


# A text that says it markets no credit to students (本行不向学生开展信用卡营销, 这款消费贷不对在校生开放) names
# them to explain the rules (在校学生申请信用卡须…第二还款来源), not to court them.
# (the students may be qualified first: 不为无稳定收入的在校学生办理信用卡)
_REFUSES_STUDENTS = Pattern(r"不(?:向|对|面向|为)(?:[^,，;；。]{0,10}?的)?"
                               r"(?:在校|全日制)?(?:大学生|学生|在校生)(?:群体|客户|个人)?"  # (不面向学生个人。)
                               r"(?:开展|进行|提供|发放|营销|推销|推广|开放|授信|放贷|办理|发卡|核发|(?=[,，;；。!！]|$))"
                               # probe 115: students as a class turned away (；在校学生暂不受理；, ，在校期间不受理。)
                               r"|(?<![^,，;；。:：!！?？])(?:(?:在校|全日制)?(?:大学生|学生|在校生)(?:客户|群体)?|在校期间)"
                               r"暂?(?:不予|恕不|不)(?:受理|办理|授信|开放)|(?:大学生|学生|在校生)(?:均|暂|一律)?(?:不在|不属于)"
                               r"[^,，;；。]{0,6}?(?:范围|对象|之列)")  # (在校学生不在办理范围内)


# probe 93: fees paid in priced instalments (学费可分12期，年化利率…), or used now and repaid later (先上课后还款)
_PAY_LATER = Pattern(r"分\d+期[^。!！?？]{0,24}?年化利率|先(?:上课|用|买|享受|学)后(?:还|付)")


def student_loan(t: Text) -> list[str]:
    if t.has(_POLICY_LOANS):
        t = t.without(_POLICY_LOANS).without(_POLICY_LOAN_WORDS)
    # 不向学生发放贷款 offers none; nor a prudence prompt (理性借贷) alone, an FX quota (便利化额度, 学费超出额度的)
    # or credit withheld from a debit card (没开通任何透支或借贷功能); parents who borrow take the credit themselves
    prompted = t.without(_PRUDENCE).without(_FX_QUOTA).without(_WITHHELD)
    if (not (offered(prompted, "loan") or offered(prompted, "card") or t.has(_PAY_LATER))
            or not in_promo(t, "loan", "card")
            or t.has(_PARENTS_BORROW) or t.has(_REFUSES_STUDENTS)):
        return []
    aimed = [m for m in claims(t, "students") if not _EXCLUDED.match(t.norm, m.end)
             and not _REFUSED_TO.search(t.norm, clause_start(t.norm, m.start), m.start)]
    # the reader addressed as a student (住宿舍的你想…？, 同学们) is the audience of the whole text, whatever the
    # sentence that addresses them names (a gold bar the loan is to buy)
    return quoted(t, [m for m in aimed if _ADDRESSED.match(t.norm, m.end)] or about(t, aimed, "loan", "card"))


_ADDRESSED = Pattern(r"的(?:你|您)(?!的|们的)|们[,，!！:：]")
_FX_QUOTA = Pattern(r"(?:便利化|购汇|结汇)额度(?:[^。!！?？]{0,40}?超(?:出|过)?额度)?|超(?:出)?额度(?:购汇|结汇|办理)")
_WITHHELD = Pattern(r"(?:没有?|未|不|无)(?:开通|开|办|带|设)?(?:任何)?(?:透支|借贷|信用|授信)"
                    r"(?:[或和、及](?:透支|借贷|信用))?(?:功能|额度)")
_ANNUAL_SHOWN = Pattern(r"(?:年化|年利率)[^。;；]{0,16}?\d|(?<![不无免没]收)(?<![不无免]另收)(?<!没有|不收|不计)利息")


# (a fixed payment per month prices the instalments too: 借5,000元分12期，每月只需还450元)
# (the cost of what the money pays for, 如需医疗费用帮助, nor a fee abroad, 境外手续费, prices no credit)
_FEE = Pattern(r"(?<!境外)手续费|费率|服务费|(?<!医疗|治疗|手术|住院|看病|就医|体检|装修|旅游|学习|培训)费用"
                  r"|每(?:月|期)(?:只需|仅需|只要|仅|只)?(?:多(?=[还付交]))?[还付交]?\d+(?:\.\d+)?元|每期[^,，;；。]{0,12}?\d+(?:\.\d+)?%")


def card_apr(t: Text) -> list[str]:
    """Instalments priced by fee alone; an annual rate only referred to (年化利率见办理页面) is not shown. A fee
    refused (不会…收取任何手续费) prices nothing."""
    if in_promo(t, "card") and find_pattern(t, _FEE) and not t.has(_ANNUAL_SHOWN):
        return ["分期只展示手续费/费率，未以利息或年化利率展示"]
    # the cost itself still charged as a fee per instalment (按每期0.5%的分期手续费收取), an annual rate beside it
    if in_promo(t, "card") and (fee := next((m for m in _INSTALMENT_FEE.finditer(t.norm)
                                             if not negated(t.norm, m.start())), None)):
        return [f"分期资金使用成本以手续费收取：“{fee.group(0)}”"]
    return []


# (or the cost said to be charged in the form of a fee: 费用以手续费形式按月收取; probe 113: or billed with each
# instalment, 手续费随每期账单收取; a bare 每期手续费率0.6% beside the annual rate may only convert it; probe 111: or
# said to be no interest but a fee, 不算利息，只收服务手续费; probe 138: or the fee sold as the price)
_INSTALMENT_FEE = Pattern(r"每期(?:收取?)?\d+(?:\.\d+)?%的?(?:分期)?手续费"
                          r"|分期手续费[^,，;；。]{0,4}?每期\d+(?:\.\d+)?%"
                          r"|以手续费(?:的)?形式(?:按月|按期|每月|每期)?收取"
                          r"|手续费(?:随|按|于)每(?:期|月)(?:账单)?(?:收取|扣收|扣除)"
                          r"|(?:不算|不是|不叫|不收|没有)利息[^。!！?？]{0,6}?(?:只|仅)(?:收取?)[^,，;；。]{0,4}?手续费"
                          # the fee sold as the price (每期手续费低至0.25%, 手续费再打7折): it is what is charged
                          r"|每期手续费率?(?:仅需|只需|仅|只|低至|才)\d+(?:\.\d+)?%|手续费(?:再|还|可|直接)?打[\d一二三四五六七八九]折")


def student_audience(view: AccountView) -> Iterator[Hit]:
    students = view.settings.student_tags
    for loc, module in view.index.modules():
        if module.kind == "loan" and view.in_segment(module.audience.tags, students):
            yield Hit(view.address("module", module.id), (*loc, "audience"), "贷款模块面向学生标签")
    for item in view.texts:
        if item.source == "streams" and "loan" in item.text.contexts.subjects and view.in_segment(
                item.audience, students):
            yield Hit(item.address, item.loc, "贷款内容推送给学生标签：" + "、".join(item.audience))


# 人民银行公告〔2021〕3号: the annual rate says how it is computed (单利, or 复利 = IRR), and no daily or
# monthly figure is shown more prominently than it; first in the text is the reading of "more prominently".
_ANNUAL_FIGURE = Pattern(r"(?:年化|年利率)[^,，;；。!！?？]{0,12}?\d+(?:\.\d+)?%")
_METHOD = Pattern(r"单利|复利|irr|内部收益率|实际年利率|实际年化")
# a daily or monthly rate with its figure (日利率0.02%, 月息低至六厘), not the word in a question about it nor in a
# formula (日利率×365)
_PERIODIC_PRICE = Pattern(r"(?:日息|日利率|日费率|月息|月利率|月费率)[^，,。；;！!？?\d年×*]{0,6}?"
                             r"(?:\d|[一二三四五六七八九两])|万分之|每万元|万元每天|千分之|" + PER_PERIOD_AMOUNT)


def apr_method(t: Text) -> list[str]:
    """Loan or card promotion that shows an annual rate: labelled 单利 or 复利, and not preceded by a
    daily or monthly price (a missing annual rate is loan.apr-disclosure's). Promotion means a call to
    act, a price sold as low (低至, 仅需, N%起) or the bank's own credit product priced (本行信用卡账单分期每期利息
    折合日利率…); a text explaining what a daily rate comes to is not one."""
    if not in_promo(t, "loan", "card") or not (t.contexts.call or t.has(_SELLING_PRICE) or t.has(_OWN_CREDIT)):
        return []
    annual = next((m for m in _ANNUAL_FIGURE.finditer(t.norm)
                   if _of_credit(t, m.start()) and _of_the_loan(t, m.start())), None)
    if annual is None or _PROVIDENT_FUND.search(sentence(t.norm, annual.start())) or _LPR_PRICED.match(
            t.norm, annual.end(), annual.end() + 16):
        return []
    # (a rate of 0% has no method to state: 免息分期，年化利率0%)
    out = [] if _METHOD.search(t.norm) or _ZERO_RATE.search(annual.group(0)) else [
        f"“{annual.group(0)}”未注明单利或复利"]
    periodic = next((m for m in _PERIODIC_PRICE.finditer(t.norm, 0, annual.start())
                     if not _EXAMPLE.search(sentence(t.norm, m.start())) and not negated(t.norm, m.start())
                     and (not in_quotation_marks(t.norm, m.start()) or scripted(t.norm, m.start()))), None)
    if periodic is not None:
        out.append(f"“{periodic.group(0)}”先于年化利率展示")
    return out


# A housing provident fund loan's rate is the fund's, set by policy: the bank lends it on the fund's behalf.
_PROVIDENT_FUND = Pattern(r"公积金(?:个人)?(?:住房)?贷款|住房公积金")
# A mortgage's rate set off the LPR by so many basis points (年利率3.05%（LPR减30个基点）) is the contract's floating
# formula, not an APR display (LPR加点定价 names no formula).
_LPR_PRICED = Pattern(r"[^。!！?？]{0,4}?lpr(?:基础上)?(?:加|减|\+|-|上浮|下浮)"
                         r"(?:\d+|[一二三四五六七八九十百]+)个?(?:基点|bp)")
_ZERO_RATE = Pattern(r"(?<![\d.])0(?:\.0+)?%")
# A rate in a worked example (比如月费率0.5%的等额分期…) prices nothing the text sells.
_EXAMPLE = Pattern(r"比如|例如|假设|举个例子|打个比方")
_SELLING_PRICE = Pattern(r"低至|仅需|只需|仅要|只要|仅(?:为)?\d|[\d%]起"
                         r"|【[^】]{0,8}?(?:日息|日利率|月息|月利率|万分之)[^】]{0,10}】")  # (a price as the headline)
# (its brand: “家装贷”; a plan offered: 融资方案：…; not all loans said to: 本行贷款产品均明示年化利率; nor 本行提醒)
_OWN_CREDIT = Pattern(r"(?:本行|我行)(?!提醒|提示|建议)[^,，;；。]{0,8}?(?:信用卡|贷款?|分期)"
                      r"(?![^,，;；。]{0,4}?(?:均|都|一律))|\"[^\"]{1,8}贷\"|(?:融资|贷款|信贷|授信|借款)(?:方案|产品)[:：]")


def _of_credit(t: Text, start: int) -> bool:
    """The figure at `start` prices a loan or card: the product its clause names, else its sentence's."""
    clause = normalise(t.norm[clause_start(t.norm, start):start])
    named = {c for c in ("loan", "card", "deposit", "wealth", "fund", "structured") if names(clause, c)}
    return bool((named or products_near(t, start)) & {"loan", "card"})


# Every loan promotion reminds the borrower to borrow within their means (industry practice; 消保办法
# art. 10; the 金融产品网络营销管理办法 bans inducing over-borrowing). Urging it (想借就借, 先享受后付款)
# without the reminder is quoted; a plain offer without it is named.
_PRUDENCE = Pattern(r"理性(?:借贷|借款|负债|消费|使用)|合理(?:借贷|借款|使用|负债|消费)|适度(?:借贷|负债)|谨慎借贷"
                       r"|按需(?:借款|借贷|贷款)|量入为出|量力而(?:行|借)|按(?:时|期)(?:足额)?还(?:款|上|清)|过度(?:借贷|负债|消费)"
                       r"|逾期[^。!！?？]{0,12}征信|(?:根据|结合|评估)(?:自身|个人|您的)?(?:实际)?(?:还款|偿债)能力"
                       r"|珍惜(?:个人)?信用|借定唔借|还得起先好借|还得到先好借|还唔还到")  # the last: Hong Kong's


def borrow_responsibly(t: Text) -> list[str]:
    if t.has(_PRUDENCE) or t.has(FRAUD_FRAME) or t.contexts.education:
        return []
    urged = about(t, claims(t, "borrowing_urged"), "loan", "card") if in_promo(t, "loan", "card") else []
    if urged:
        return [f"{q}，缺少理性借贷提示（如：请理性借贷，量入为出，按时还款）" for q in quoted(t, urged)]
    return ["贷款宣传缺少理性借贷提示（如：请理性借贷，量入为出，按时还款）"] if _offers_a_loan(t) else []


# An invitation to borrow, or a call (or 详询, not after a pricing rule alone) with a price: an offer, not a
# process note (审批需要查询征信), a rate explained (日息万分之五折合年化约18%) or a state-subsidised loan.
_INVITATION = Pattern(r"(?:立即|马上|欢迎|即可|在线|快来|赶快|赶紧|现可)(?:申请|办理|借款)|咨询办理"
                         r"|(?:来|到)(?:网点|柜台|营业厅|支行|我行|本行)(?:咨询)?(?:申请|办理)"  # 欢迎养殖户来网点申请
                         # (就能借吗？ and 能不能借 ask)
                         r"|(?<!不)(?:可借|能借|可贷)(?![^,，;；。!！?？]{0,6}?[?？])|借款最高")


def _offers_a_loan(t: Text) -> bool:
    # (probe 92: a policy loan's renewal, 已获得贷款的在校生请…完成续贷申请, offers no other loan)
    t = t.without(_POLICY_LOANS).without(_POLICY_LOAN_WORDS) if t.has(_POLICY_LOANS) else t
    if not in_promo(t, "loan") or not find_terms(t, SUBJECTS["loan"]):
        return False
    priced = (t.without(_POLLED) if t.has(_POLLED) else t).has(PERCENT) or t.has(FRACTION)
    invited = any(not negated(t.norm, m.start()) for m in _INVITATION.finditer(t.norm))  # 并非人人可贷 invites no one
    return invited or (priced and (t.contexts.call or t.has(_SELLING_PRICE) or "详询" in t.norm))
