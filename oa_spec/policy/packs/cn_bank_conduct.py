"""cn-bank text finders for marketing conduct and advertising (compliance.md §1e, §2, and §3's bundled consent):
regulator endorsement, inducing terms, personal-WeChat diversion, absolute terms, advertisement labels. Credential
requests and unmasked card numbers are `cn_bank_personal`'s; WeChat platform conduct (§4) is `cn_bank_platform`'s.
"""

from __future__ import annotations

from oa_spec.policy.negation import (
    asked_by_customer,
    clause_end,
    clause_start,
    in_quotation_marks,
    sentence,
)
from oa_spec.policy.packs.textkit import (
    INVESTMENTS,
    SOURCED,
    Spans,
    claims,
    named_outside_a_warning,
    outside,
    quoted,
    said_of_a_product,
)
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.text import (
    Match,
    Text,
    find_pattern,
    find_terms,
    names,
    normalise,
    on_word_boundaries,
    products_near,
)
from oa_spec.policy.vocabulary import ADVICE_BEST, FINANCIAL, PERIOD_DATE

# --- financial marketing in general (§1e) ----------------------------------------------------------------


def regulator_endorsement(t: Text) -> list[str]:
    found = claims(t, "endorsement")
    return quoted(t, found) if t.contexts.promotional else said_of_a_product(t, found, *FINANCIAL)


# (probe 121: or in the other order, said of the product: 这款理财风险低、进出灵活)
_LOW_RISK = Pattern(r"低风险|风险(?:很|极|非常|超)?低(?=[,，、。!！;；])")
_RISK_LABEL = Pattern(r"(?:中|风险等级|风险评级|r[1-5])[:：(（\[【\s]*$")


def inducing(t: Text) -> list[str]:
    found = [m for m in claims(t, "urgency_and_inducement") if on_word_boundaries(t, m)]
    found = [m for m in found if not (m.term in _SALE_CLOCK and _METAL_GOODS.search(sentence(t.norm, m.start)))]
    if not t.contexts.financial_promo:  # an investment sold on freedom from money needs no call (年金险…实现财务自由)
        if not named_outside_a_warning(t, *INVESTMENTS):
            return []
        return quoted(t, [m for m in found if not in_quotation_marks(t.norm, m.start)
                          and any(names(normalise(sentence(t.norm, m.start)), c) for c in INVESTMENTS)])
    found += [m for m in find_pattern(t, _LOW_RISK) if not _RISK_LABEL.search(t.norm[max(0, m.start - 6):m.start])]
    if t.has(_RISK_STATED):  # a disclosed notice counting down its subscription window in days (倒计时1天：…)
        found = [m for m in found if not (m.term == "倒计时" and _WINDOW_DAYS.match(t.norm, m.end))]
    # a card's discount at a merchant shares out a quota (刷卡立减50元，名额有限，先到先得): no product is rushed
    if t.contexts.promo & FINANCIAL == {"card"}:
        found = [m for m in found if m.term not in _QUOTA_SHARED]
    return quoted(t, sorted(found, key=lambda m: m.start))


# A flash sale of the bank's own gold bars priced at the day's gold price (金条秒杀, 最新秒杀价以实时金价为准) sells a
# good, not an investment rushed: its clock and its sale are no inducement and no one else's goods.
_SALE_CLOCK = ("秒杀", "倒计时")
_METAL_GOODS = Pattern(r"金条|金价|足金|积存金|贵金属")


_QUOTA_SHARED = ("先到先得",)
# (a window counted in days, not a rush counted in hours or seconds: 倒计时10秒抢额度, 倒计时5分钟开奖)
_WINDOW_DAYS = Pattern(r"(?:仅|还剩|剩)?\d+个?(?:天|日|工作日)(?![^,，;；。!！]{0,8}?(?:抢|秒杀|开奖|售罄|额度))")
_RISK_STATED = Pattern(r"投资(?:须|需)谨慎|产品有风险")


DIVERSION = ("加微信", "加v", "私聊", "单聊", "微信号", "加客户经理个人微信", "个人微信", "私人微信", "加qq", "个人号",
             "主播小号", "加小号", "个人小号",  # probe 119: a host's second account
             "私人号", "私人账号", "私人微信号")  # a seller's private account (加顾问的私人号)


# (a person's own WeChat: 添加专属客户经理小李的微信)
_PERSONS_WECHAT = Pattern(r"(?:添加|加)[^,，;；。]{0,12}?(?:经理|顾问|专员|管家|小[\u4e00-\u9fff])的?(?:个人|私人)?"
                             r"(?:微信|小v|v信|vx|wx|v(?![a-z\d]))"  # (添加顾问的小V, 加经理的私人V)
                             # (客户经理小王的个人二维码)
                             r"|(?:经理|顾问|专员|管家)(?:小[\u4e00-\u9fff])?的(?:个人|私人)(?:二维码|名片|微信)"
                             # WeChat misspelt (加我个人薇信, 加我vx), or the seller's (加我微信; not 有人加我微信)
                             r"|(?:加|添加)我?的?(?:个人|私人)?(?:薇信|威信|徽信|维信|v信|vx|wx)|(?<![人他她谁友])(?:加|添加)我的?微信")


def diversion(t: Text) -> list[str]:
    """Steering to a personal account is itself the call to act: a financial product need only be named."""
    if not named_outside_a_warning(t, *FINANCIAL):
        return []
    found = find_terms(t, DIVERSION) + find_pattern(t, _PERSONS_WECHAT)
    return quoted(t, sorted((m for m in found if not _NOT_OFFICIAL.match(t.norm, m.end)), key=lambda m: m.start))


# probe 105: a personal account said not to be the bank's channel (个人微信不是官方渠道) warns against it.
_NOT_OFFICIAL = Pattern(r"[^,，;；。!！?？]{0,4}?(?:都|均|并|也)?(?:不是|并非|不属于|非)(?:本行|我行|银行)?的?"
                        r"(?:官方|正规|正式|指定)")


# --- advertisements for others' goods (§2) ---------------------------------------------------------------
# A text that lets the reader buy someone's goods or services is an advertisement for them, and must say
# so (广告法 art. 14: 标明“广告”), however much it reads like a tip or a review. Some ways to buy are
# only for goods (到手价, 包邮, 直播间); the others (立即购买, 下单) may be for the bank's own financial
# products, which the financial rules judge: those count when their sentence names none (a card's
# merchant offer is still the merchant's goods).
# (a live room sells where it offers a way to buy: 直播间下单, not 直播间答疑)
_GOODS_PATH = Pattern(r"购买链接|商品链接|购物车|到手价|券后价?|包邮|旗舰店|团购价?|秒杀(?!专场|活动|场次|会场)价?|拼团"
                         r"|直播间[^。!！?？]{0,10}?(?:下单|购买|抢购|链接|小黄车|上架|价)")
# (a mall is the bank's own where its sentence names the bank's products: 本行贵金属商城购买金条)
# (下单 inside 项下单据 or 名下单位 orders nothing)
_PURCHASE = Pattern(r"(?:立即|马上|点击|去|戳)(?:购买|抢购|下单)|下单(?![据位元])"
                    r"|商城[^。!！?？]{0,10}(?:购买|抢购|价)")
_OWN_PRODUCTS = FINANCIAL - {"card"}
# A flash sale of the bank's own card offer (秒杀场次: 本行信用卡支付享满100减30) sells no one else's goods.
# (probe 136: a canteen coupon taken off when paying by the student card, 用学生卡付款即可抵扣)
_CARD_PAYMENT_OFFER = Pattern(r"(?:信用卡|借记卡|储蓄卡|本行卡|学生卡|校园卡|刷卡)(?:支付|付款|消费)?"
                              r"(?:享|立减|满\d|随机立减|即可抵扣)")


# The bank's own card or token posted free (校园卡在线申请后包邮到宿舍, 补办的银行卡将包邮寄到…) sells no one's goods.
# (a flash sale's event named, 秒杀专场, is no way to buy: its link or price is)
# The way to buy asked about and denied (秒杀活动？不存在的; 包邮？没有的事) offers nothing.
_DENIED_AFTER = Pattern(r"(?:活动|专场)?[?？]\s*(?:不存在|没有|不可能|没这回事|假的)")
_OWN_THING_MAILED = Pattern(r"(?:银行卡|校园卡|学生卡|借记卡|信用卡|储蓄卡|社保卡|新卡|卡片|存单|u盾|密码器|令牌)"
                            r"[^,，;；。!！?？]{0,12}$")


def ad_label(t: Text) -> list[str]:
    if t.contexts.education or "广告" in t.norm:
        return []
    card_offer = _CARD_PAYMENT_OFFER.search(t.norm) is not None
    found = [m for m in find_pattern(t, _GOODS_PATH) if not ((card_offer or _METAL_GOODS.search(sentence(
        t.norm, m.start))) and m.term.startswith("秒杀"))
             and not _DENIED_AFTER.match(t.norm, m.end) and not (
        m.term.startswith("包邮") and _OWN_THING_MAILED.search(t.norm, clause_start(t.norm, m.start), m.start))] + [
        m for m in find_pattern(t, _PURCHASE) if not products_near(t, m.start) & _OWN_PRODUCTS]
    return quoted(t, sorted(found, key=lambda m: m.start))


# --- Advertising Law national symbols (§2) ---------------------------------------------------------------
NATIONAL_SYMBOLS = ("国旗", "国徽", "国歌", "军旗", "军徽", "军歌", "五星红旗", "天安门城楼")


def national_symbols(t: Text) -> list[str]:
    """A national symbol in any promotion, a card's or a points campaign's as much as a product's (probe 124:
    国旗图案限定款联名卡上线，首刷满100元送积分)."""
    promotes = t.contexts.promotional or (not t.contexts.education and bool(t.contexts.promo))
    return quoted(t, find_terms(t, NATIONAL_SYMBOLS)) if promotes else []


# --- Advertising Law cited data (§2) --------------------------------------------------------------------
_STATISTIC = Pattern(r"据统计|(?:调查|调研|统计|研究)(?:显示|表明)|数据显示"
                        r"|累计服务[^,，;；。]{0,8}?(?:超过|超|逾|近)?\d"  # 累计服务小微企业超过20万户
                        # a rate of the bank's customers (续存率超过85%)
                        r"|(?:续存率|复购率|回购率|留存率)[^,，;；。]{0,6}?\d"
                        r"|(?:(?<!\d)\d+(?:\.\d+)?%|[一二三四五六七八九]成(?:以上)?|[半多]数)的?"
                        r"(?:客户|用户|受访者|受访用户|受访客户|人|家庭|投资者|商户|商家|门店|店主|个体户|小微企业|企业主)"
                        # (most applicants hear the same day, 多数客户当日即可获得审批结果, is a hedged expectation)
                        r"(?<!多数客户)(?<!多数的客户)|多数的?客户(?![^,，;；。]{0,4}?(?:当日|当天|一般|通常|即可))")
# (or the body that counted named, 据央行统计, 据人民银行发布的…)
_NAMED_SOURCE = Pattern(r"(?:数据)?来源|出处|引自|数据来自|据[^。!！?？,，]{1,16}?(?:统计|调查|调研|数据|发布|公布)")


# A statistic about the bank's own customers advertises the bank, a call to act or not (数据显示，本行养老金
# 账户客户中九成以上对服务表示满意).
_OF_OUR_CUSTOMERS = Pattern(r"(?:本行|我行|咱行)[^。!！?？]{0,12}?(?:客户|用户|持卡人|企业|商户)"
                               r"|(?:客户|用户|持卡人)[^。!！?？]{0,16}?(?:本行|我行|咱行)")


# probe 146: a statistic of what happened after the service was taken up (接入智能收单后，九成商户月营业额涨了两成)
# measures the bank's service: an advertisement of it, a call to act or not.
_AFTER_OUR_SERVICE = Pattern(r"(?:接入|开通|使用|用了|用上|办理了?|签约|安装|装上)[^。!！?？,，]{1,10}?"
                             r"(?:后|以后|之后)[,，]")


# Customers' preference in figures (超过九成客户选择本行, 9成老客户选择续购) advertises the bank whatever else
# the text does.
_PREFERENCE = Pattern(r"(?:(?<!\d)\d+(?:\.\d+)?%|(?:[一二三四五六七八九]|(?<![\d.])[1-9])成(?:以上)?|[半多]数"
                         r"|(?<!\d)\d+万?多?(?:名|位))"
                         r"的?[^,，;；。!！?？]{0,4}?(?:客户|用户|投资者|会员|持卡人)"
                         r"[^,，;；。!！?？]{0,16}?(?:选择|信赖|满意|好评|推荐|认可|首选|都表示|都说"
                         # probe 108: or liking it best (95%的老年客户更喜欢…, 青睐, 偏爱)
                         r"|喜欢|青睐|偏爱|钟爱|更愿意|认购(?:了)?(?:本|这)(?:系列|款|只|期))"
                         # probe 167: a trade counted as the bank's users (十个骑手里有七个都在用咱们的日结卡)
                         r"|(?:[十百千]|(?<!\d)\d{1,4})个[^,，;；。!！?？]{1,6}?(?:里|中|当中)(?:就)?有(?:[一二三四五六七八九]|\d+)个(?:人)?(?:都)?"
                         r"(?:在用|用的是|用着|选了|选择了?|办了)(?:咱们?|我们|本行|我行|咱行)")


# A share of the cardholders or customers (87%的持卡人认为…) counts the bank's own when the text names them so
# in another sentence (本行信用卡持卡人…。调查显示，87%的持卡人…).
_SHARE_OF_HOLDERS = Pattern(r"(?:(?<![\d.])\d+(?:\.\d+)?%|[一二三四五六七八九]成(?:以上)?)的?(?:持卡人|客户|用户)")


def data_citation(t: Text) -> list[str]:
    if t.has(_NAMED_SOURCE):
        return []
    found = [m for m in find_pattern(t, _STATISTIC, negatable=False)
             if t.contexts.promotional or _OF_OUR_CUSTOMERS.search(sentence(t.norm, m.start))
             or _AFTER_OUR_SERVICE.search(sentence(t.norm, m.start)) or bool(claims(t, "urged_on_figures"))
             or (_SHARE_OF_HOLDERS.search(sentence(t.norm, m.start)) and t.has(_OF_OUR_CUSTOMERS))]
    found += outside(find_pattern(t, _PREFERENCE, negatable=False), found)
    return quoted(t, sorted(found, key=lambda m: m.start))


# --- Advertising Law disparagement (§2) ------------------------------------------------------------------
DISPARAGING = ("其他银行都", "别的银行都", "别家银行都", "其他银行不", "别的银行不", "别家银行不", "比其他银行好",
               "跑路", "不靠谱的银行")
# Another bank named or pointed at (隔壁东方银行, 他们家), then found wanting (才, 只有, 一言难尽, 不如).
_OTHER_BANK = Pattern(r"(?:隔壁|别家|别的|其他|某些|某某|有的|有些|那些|外面的?)[^,，;；。!！?？]{0,6}?"
                         r"(?:银行|城商行|农商行|大行)"
                         r"[^,，;；。!！?？]{0,10}?"
                         r"(?:才|只有|仅有|不如|差|一言难尽|坑|慢|贵|要等|得等|还要等|跌破净值|亏|爆雷|暴雷|卡得|老牛拉破车"
                         r"|动不动(?:就|要|得|让|便)|动辄|限制取款|破净|出过问题|出问题|都在降|说降就降|乱收|崩溃|吃灰|睡大觉|发霉"
                         # probe 124: their points said to lapse or be unredeemable (积分一年就作废，还经常兑不到货)
                         r"|作废|清零|兑不到|兑不了|换不到"
                         # probe 131: their low yields said to hold the reader back (别再被某些国有大行的低收益耽误了)
                         r"|耽误|拖累|低收益"
                         # their contracts said to hide a cost (别家银行的车贷合同里都藏着违约金)
                         r"|藏着|暗藏|猫腻"
                         # their staff said to serve themselves (别家银行的客户经理只盯着提成)
                         r"|只(?:盯着|顾着|想着|惦记着?|认)(?:提成|佣金|业绩|销量|手续费))"
                         r"|别(?:再)?被(?:某些|有些|别家|其他|那些)[^,，;；。!！?？]{0,6}?(?:银行|城商行|农商行|大行)"
                         r"[^,，;；。!！?？]{0,10}?(?:耽误|拖累|坑)"
                         r"|(?:别家|别的银行|其他银行|其他行|隔壁)[^。!！?？]{0,14}?(?:都得|都要|还得)(?:自掏腰包|自己掏钱|另外付费)"
                         # probes 123, 170: the other bank's customers mocked (交智商税) or paying their own way
                         r"|(?:别家|别的银行|其他银行|其他行|隔壁)[^,，;；。!！?？]{0,8}?(?:交智商税|当冤大头|被当韭菜|被割韭菜|挨宰|被宰"
                         r"|白花冤枉钱|花冤枉钱)"
                         # set against another bank's failing in the next clause (不像有些村镇银行，动不动就限制取款)
                         r"|不像(?:隔壁|别家|别的|其他|某些|有的|有些|那些)[^,，;；。!！?？]{0,6}?(?:银行|城商行|农商行)[,，]"
                         r"[^。!！?？]{0,10}?(?:动不动(?:就|要|得|让|便)|限制取款|跑路|爆雷|暴雷|出问题|说降就降)"
                         r"|他们(?:家)?的?[^,，;；。!！?？]{0,8}?(?:一言难尽|不行|差|坑|不如)"
                         # probe 126: their products said to have fallen below par (他们那几款理财去年好几只跌破净值)
                         r"|他们(?:家)?的?[^,，;；。!！?？]{0,12}?(?:跌破净值|破净|爆雷|暴雷)"
                         # probe 121: their price said higher than ours (他们的经营贷利率比我们高出一大截)
                         r"|他们(?:家)?的?[^,，;；。!！?？]{0,8}?比(?:我们|我行|本行|咱们?)[^,，;；。!！?？]{0,2}?(?:高|贵|差|慢|多收)"
                         # compared to another bank and found better (比隔壁那几家股份制银行实在多了)
                         r"|比(?:隔壁|别家|别的|其他|某些|那[几些]家|外面)[^,，;；。!！?？]{0,8}?(?:银行|城商行|农商行|大行|家)"
                         r"[^,，;；。!！?？]{0,6}?(?:多|高|好|强|划算|实在|便宜|低|省|快)"
                         # probe 131: or than the big banks as a group (比四大行同类产品高出一截)
                         r"|比(?:四大|五大|六大|国有)(?:大)?行[^,，;；。!！?？]{0,8}?(?:多|高|好|强|划算|实在|便宜|低|省|快)"
                         r"|别再把钱(?:放|存)在?(?:别家|别的银行|其他银行)"
                         r"|别再把[^,，;；。]{0,6}?(?:放|存)在?[^,，;；。]{0,10}?(?:暴雷|爆雷|跑路|倒闭)的(?:小)?银行"
                         r"|别再把钱(?:放|存)在?(?:那些)?小银行|(?:就该|就要|一定要)选对银行"
                         # probe 114: money kept elsewhere told to leave (别再把钱放在那些城里大银行吃低息了)
                         r"|别再把钱(?:放|存)在?(?:那些|那几家)?[^,，;；。!！?？]{0,4}?(?:大银行|大行|城商行|股份行)"
                         r"|(?:暴雷|爆雷|跑路|倒闭)的(?:小)?银行"
                         # probe 117: small banks said to fail (小银行的理财说倒就倒), not denied (不会倒闭)
                         r"|小(?:银行|行)的?[^,，;；。!！?？]{0,8}?(?<!不)(?<!不会)(?<!没)(?:说倒就倒|倒闭|跑路|爆雷|暴雷|靠不住)"
                         # probe 93: set beside a named other bank and found better (和城东那家农商银行比，利率高出一截)
                         r"|(?:和|跟|与)[^,，;；。!！?？]{0,6}?(?:那[几些]?家|隔壁|别家|别的|其他|某些)[^,，;；。!！?？]{0,6}?"
                         r"(?:银行|城商行|农商行|大行)比[,，]?(?![^。!！?？]{0,4}?(?:哪个|哪家|谁))[^。!！?？]{0,12}?(?:高出|高|多|强|好|划算)"
                         # probe 115: set apart from a named bank's trouble (不同于东陵银行私行部去年那场…兑付风波)
                         r"|(?:不同于|不像|有别于)[^,，;；。!！?？]{0,10}?(?:银行|城商行|农商行)[^,，;；。!！?？]{0,16}?"
                         r"(?:风波|爆雷|暴雷|丑闻|兑付危机|跑路|出事|违约)"
                         # probe 125: the other bank's offer said worth less than ours (别家存三年不如我家存两年)
                         r"|(?:别家|别的银行|其他银行|隔壁)[^,，;；。!！?？]{0,8}?不如(?:我家|我们|我行|本行|咱家|咱们?)"
                         # a named bank the reader is told to leave, then run down (别去隔壁东港银行办了，他们家
                         # 乱收手续费; 别把养老钱放在XX银行了，他们的养老理财都在亏)
                         r"|别(?:再)?(?:去|把[^,，;；。]{0,6}?(?:放|存)在)[^,，;；。!！?？]{0,8}?银行[^。!！?？]{0,8}?(?:他们|他家|那家)"
                         r"[^,，;；。!！?？]{0,10}?(?:乱收|崩溃|在亏|亏钱|坑人|不靠谱|黑心)"
                         # probe 167: the other banks' fees set against ours (别的银行办卡还要收年费…，咱这儿一分不收);
                         # probe 168: or their demands (其他银行的装修贷都要看半天流水，我们这儿省心多了)
                         r"|(?:别的|其他|别家|隔壁)(?:银行|行)[^。!！?？]{0,12}?(?:还要|还得|都要|要)(?:收|扣|交|看|查|等|跑)"
                         r"[^。!！?？]{0,12}?(?:咱们|咱|我们|我行|本行|我家)(?:这儿|这里|这边|家)?[^,，;；。!！?？]{0,2}?"
                         r"(?:一分不收|分文不收|一分钱不收|不收|全免|免费|(?:省心|省事|方便|简单|轻松|快)多了)")


def disparagement(t: Text) -> list[str]:
    if t.contexts.education:
        return []
    found = find_terms(t, DISPARAGING)
    found += outside(find_pattern(t, _OTHER_BANK, inner=False), found)  # 别家 is no negator
    return quoted(t, sorted(found, key=lambda m: m.start))


# --- personal data as the price of taking part (§3) ------------------------------------------------------
_BUNDLED = Pattern(r"(?:填写|留下|提供|输入|绑定|上传)(?:您的)?(?:手机号|手机号码|电话号码|身份证号?|身份证号码)"
                      r"[^。!！?？]{0,20}?(?:才能|才可|方可|后即可|即可)(?:开始)?(?:参与|参加|领取|抽奖|报名|签到|答题)"
                      r"|同意接收(?:营销|推广)(?:信息|短信|消息)[^。!！?？]{0,6}?(?:后|才能|即可|方可)(?:领取|参与|参加|抽奖)"
                      r"|(?:参与|参加|领取|抽奖)[^。!！?？]{0,10}?前[^。!！?？]{0,12}?(?:请先|须先|需先|先)[^。!！?？]{0,12}?"
                      r"(?:勾选)?同意接收(?:营销|推广)"
                      r"|(?:手机号|身份证|同意接收)[^。!！?？]{0,30}?(?:否则|未(?:勾选|同意|填写)者?)(?:无法|不能)"
                      r"(?:参加|参与|领取|抽奖|答题)"
                      # probe 93: identity registered before one may take part (参与答题前需完成实名登记(身份证号))
                      r"|(?:参与|参加|答题|抽奖|领取)[^。!！?？]{0,6}?前[^。!！?？]{0,4}?(?:需|须|要)(?:先)?(?:完成|进行|办理)?"
                      r"(?:实名)?(?:登记|认证|注册)[^。!！?？]{0,24}?(?:身份证|手机号)")


def bundled_consent(t: Text) -> list[str]:
    return quoted(t, find_pattern(t, _BUNDLED, inner=False))


# --- Advertising Law absolute terms (§2) -----------------------------------------------------------------
ABSOLUTES = ("国家级", "世界级", "最高级", "最佳", "最好", "最优", "最强", "最大", "最低价", "最便宜", "第一", "no.1",
             "no1", "top1", "唯一", "首个", "首家", "独家", "顶级", "极致", "极品", "绝对", "全网最", "全国最",
             "全球最", "最安全", "史上最", "有史以来最", "首选", "独一无二", "绝无仅有", "史无前例", "销量冠军",
             "全国首家",
             "全球首发", "世界领先", "填补国内空白", "最先进", "最具", "独一份", "全市最", "全城最", "全省最", "天花板",
             "无出其右", "业内顶尖", "行业顶尖", "业界顶尖", "无人能及", "遥遥领先", "头把交椅", "找不出第二家",
             "找不到第二家", "独此一家", "仅此一家", "别无分号", "万能",
             "头牌", "no·1", "no•1",  # the top act, and No. 1 with a middle dot
             "巅峰级", "殿堂级")  # the summit or hall-of-fame grade, beside 国家级 and 世界级
# SAMR 2023 guide: time and order words, consumer tips, and disclosures the card and deposit rules require.
ABSOLUTE_EXEMPT = ("最佳时间", "最佳时机是先", "最低档", "最佳方法", "最佳方式", "最佳做法", "最佳办法", "最佳期限",
                   "第一季度", "第一次", "第一步", "最佳还款时间", "最佳还款日",
                   "第一批", "第一时间", "第一期",
                   "第一个工作日", "最低还款额", "最高偿付限额", "最低保证利率", "保证利率", "最低保证", "最高年化利率",
                   "最低起购", "最低起存", "最长期限", "最高可贷", "额度最高", "最大限度", "最大程度", "万能险",
                   "万能型", "万能账户", "最大跌幅", "最大回撤", "最大涨幅", "最高点", "最低点", "最低持有期",
                   # a structured deposit's floor, which §1b asks to be shown (可能仅获得最低收益; probe 108)
                   "最低收益",
                   "第一书记", "首选账户", "首选收款", "国家级非物质文化遗产", "国家级非遗",
                   "国家级新区", "国家级开发区", "国家级高新区", "最大可达", "最高可达",
                   # a title the state grants (国家级代表性传承人) and a brewing or keeping tip (最佳水温)
                   "国家级代表性传承人", "国家级传承人", "最佳水温", "最佳温度", "最佳湿度", "最佳赏味期", "最佳饮用期",
                   # 绝对不会索要验证码 is an emphatic no, not a claim; 最好选在工作日 advice
                   "绝对不", "绝对没有", "绝对化", "最好选", "最好在", "最好先", "最好不要", "最好是",
                   # a way to repay advised (最佳还款方式怎么选, 最好的办法是按时全额还款)
                   "最佳还款方式", "最佳还款方法", "最好的办法是", "最好的方法是", "最好的做法是")
# Thanks are not claims about a product (您的转发是对我们最大的鼓励), nor is "one of the most" (之一), nor a
# person's own lesson (probe 127: 他说最大的体会是：借钱前先把账算清楚).
_GRATITUDE = Pattern(r"最(?:大|好|高)的?(?:鼓励|支持|动力|肯定|褒奖|荣幸|心愿|愿望|感谢|体会|感受|感触|感悟|心得)")
_GOAL = Pattern(r"(?:追求|致力于|力争|力求|争取|努力)[^，。；！？,.;!?]{0,14}$")


# A factual security notice (我行唯一官方客服热线, 理财产品的唯一销售渠道为本行网点) and an award with its
# source and date are not advertising claims (SAMR 2023 guide).
# probe 94: 最好 opening a clause, or after the one advised, is advice (到账后，最好分成几份)
_FACTUAL_ONLY = Pattern(ADVICE_BEST.pattern + r"|唯一(?:的)?(?:正版|正规|合法)?(?:官方|客服|热线|网站|电话|指定|官网"
                           r"|(?:销售|购买|办理|申请|下载|安装)?(?:渠道|途径|入口|通道))"
                           # what the customer alone must bring or do (唯一需要您准备的…, 唯一的要求是本人到场)
                           r"|唯一(?:需要|要|需|须)(?:您|你)?(?:准备|携带|带|提供|做|注意|确认)|唯一(?:的)?(?:要求|条件|前提)(?:是|为|就是)"
                           # a limit a rule sets (每人只能开立唯一一个个人养老金资金账户)
                           r"|(?:只能|仅能|只可|仅可|只允许|仅允许|限)(?:开立|开设|开通|持有|绑定|办理|拥有|选择|设立)?唯一"
                           # advice (最好避开上午十点), a floor (最低按1.20%计算), a top doubted (最高的不一定)
                           r"|最好(?:是)?(?:避开|错开|别|不要|先|提前|带上|携带|及时|尽早|尽量|核对|确认|留意|注意|咨询|拨打|本人)"
                           r"|最(?:低|高)按\d|最[^\W\d_]{1,3}的[^,，;；。!！?？]{0,8}?(?:不一定|未必|不见得|并不一定|不等于)"
                           # the best time asked about as a tip (换车的最佳时机怎么选？)
                           r"|最佳[^,，;；。!！?？]{0,4}?(?:时机|时间|时点)[^。!！?？]{0,6}?(?:怎么|如何|何时|哪个|什么)[^。!！]{0,6}?[?？]"
                           # probe 169: the best time to come by (最佳出行时间); 173: a way to handle it (最佳处理方式)
                           r"|最佳(?:的)?(?:出行|办理|办事|到访|来访|前来|到店|到网点|来网点)(?:时间|时段)|最佳(?:的)?(?:处理|应对|解决|操作|维权|保管|取证)(?:方式|方法|办法|做法|途径|步骤)"
                           # an identifier that names one thing (每个钱包编号对应唯一的钱包, 唯一有效的身份证明)
                           r"|对应(?:一个)?唯一|唯一(?:有效|合法)?(?:的)?(?:登记|注册|备案|产品|账户|识别)?(?:编号|编码|标识|识别码|代码|凭证|身份(?:号|码|编码|标识|证明|证件)|证件|号码|联系方式)"
                           # probe 128: the one party a contract names (澜庭信托为该家族信托的唯一受托人)
                           r"|唯一(?:的)?(?:受托人|托管人|保管人|受益人|管理人|委托人|继承人|借款人|投保人|被保险人|持有人)"
                           # history with its year (1952年，江州县成立首个农村信用社)
                           r"|(?:19|20)\d{2}年[^。!！?？]{0,16}?(?:首个|首家|第一家|第一个)"
                           # the bank's own first (本行在江北区的首家…), not a market's (本行推出全国首款)
                           r"|(?:本行|我行)(?:(?!全国|全球|全市|全省|全城|国内|业内|行业|同业|市场)[^,，;；。]){0,12}?"
                           r"(?:首|第一)(?:家|个|批|只|款)(?!推出|上线|发行|发布|开通|实现|获批|落地|试点)"
                           r"|第一(?:个|次|步|批|期|天|周|月|季度?|年|时间|书记|届|轮|阶段|部分|条|款|章|节|课|讲|篇|站|场|页"
                           r"|份|张|笔|套|本|桶金|餐|顿|口|杯)"  # (开学第一餐: a first meal, not a rank)
                           # an ordinal day or period (每月首个工作日, 首期还款, 首年免年费)
                           r"|首个?(?:工作日|交易日|营业日|自然日|开放日|还款日|账单日)|首(?:月|期|年|日|周)"
                           # probe 131: a limited design or issue, the only one of a period (本年度唯一一款节日限定卡面)
                           r"|(?:本年度|本年|今年|年内|本季度?|本月|本期|当天|当日)(?:的)?唯一(?:一[款张次个枚套])?(?:的)?"
                           r"[^,，;；。!！?？]{0,6}?(?:限定|纪念|限量)")


_OFFICIAL_NOTICE = Pattern(r"以[^。,，]{1,12}?(?:公示|公告|公布)(?:的?(?:信息|结果|名单))?为准")
# A word in quotation marks then said to be only a name or less than it sounds (万能险的“万能”只是险种名称) is
# explained, not claimed.
_EXPLAINS = Pattern(r'"(?:二字|两个字|一词|这个词)?'
                    r"(?:只是|仅是|仅仅是|不过是|并不|并非|不代表|不等于|不意味着|是指|指的是)")


def _explained_word(t: Text, m: Match) -> bool:
    return in_quotation_marks(t.norm, m.start) and bool(_EXPLAINS.match(t.norm, m.end))


def absolute_terms(t: Text) -> list[str]:
    """The listed absolutes and none-other-like-it said outright (没有哪家比我们更划算, 标杆中的标杆) in any text
    but a warning; in a text that promotes something, also any 最 + a quality (全城最低的房贷利率) and
    first/only claims (全国首款), from claims.yaml's absolutes_general. Verifiable
    limits (最高可借, 最低起购, 额度最高20万), goals (致力于…最), thanks and 之一 are not claims (没有之一 is)."""
    if (t.has(SOURCED) or t.has(_OFFICIAL_NOTICE)) and t.has(PERIOD_DATE):
        return []  # a verifiable fact with its source and time (SAMR 2023 guide: 截至2026年11月…以乡人社所公示为准)
    exempt = (find_terms(t, ABSOLUTE_EXEMPT, negatable=False) + find_pattern(t, _FACTUAL_ONLY, negatable=False)
              + find_pattern(t, _GRATITUDE, negatable=False))
    found = find_terms(t, ABSOLUTES)
    if not t.contexts.education:
        found += outside(claims(t, "absolutes_said"), found)
    if t.contexts.promotional:
        found += outside(claims(t, "absolutes_general"), found)
    exempt_spans = Spans(exempt)
    kept = [m for m in found
            if not exempt_spans.cover(m)
            and not _GOAL.search(t.norm[max(0, m.start - 18):m.start])
            and not (t.contexts.education and in_quotation_marks(t.norm, m.start))  # 【合规培训】禁用“最好”
            and not _explained_word(t, m)
            and not asked_by_customer(t.norm, m.start)  # 宝子们问哪款理财最好？: the viewer asks
            and "之一" not in t.norm[m.end:clause_end(t.norm, m.end)].replace("没有之一", "")]
    return quoted(t, sorted(kept, key=lambda m: m.start))
