"""cn-bank text finders for marketing conduct, advertising, personal data and WeChat platform conduct
(compliance.md §1e, §2-§4): regulator endorsement, inducing terms, personal-WeChat diversion,
absolute terms, advertisement labels, credential requests, unmasked card numbers, induced sharing,
following and clicking.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from oa_spec.policy.negation import (
    clause_end,
    clause_start,
    in_quotation_marks,
    negated,
    sentence,
    sentence_bounds,
)
from oa_spec.policy.packs.textkit import SOURCED, claims, inside_ordinary_word, named_outside_a_warning, quoted
from oa_spec.policy.rules import Hit
from oa_spec.policy.subjects import AccountView
from oa_spec.policy.text import Match, Text, find_pattern, find_terms, on_word_boundaries, products_near
from oa_spec.policy.vocabulary import FINANCIAL, JOB_ADVERT, PERIOD_DATE, UNRELATED, URL_IN_TEXT_NORM

# --- financial marketing in general (§1e) ----------------------------------------------------------------


def regulator_endorsement(t: Text) -> list[str]:
    return quoted(t, claims(t, "endorsement")) if t.contexts.promotional else []


_LOW_RISK = re.compile(r"低风险")
_RISK_LABEL = re.compile(r"(?:中|风险等级|风险评级|r[1-5])[:：(（\[【\s]*$")


def inducing(t: Text) -> list[str]:
    if not t.contexts.financial_promo:
        return []
    found = [m for m in claims(t, "urgency_and_inducement") if on_word_boundaries(t, m)]
    found += [m for m in find_pattern(t, _LOW_RISK) if not _RISK_LABEL.search(t.norm[max(0, m.start - 6):m.start])]
    return quoted(t, sorted(found, key=lambda m: m.start))


DIVERSION = ("加微信", "加v", "私聊", "单聊", "微信号", "加客户经理个人微信", "个人微信", "私人微信", "加qq", "个人号")


def diversion(t: Text) -> list[str]:
    """Steering to a personal account is itself the call to act: a financial product need only be named."""
    return quoted(t, find_terms(t, DIVERSION)) if named_outside_a_warning(t, *FINANCIAL) else []


# --- advertisements for others' goods (§2) ---------------------------------------------------------------
# A text that lets the reader buy someone's goods or services is an advertisement for them, and must say
# so (广告法 art. 14: 标明“广告”), however much it reads like a tip or a review. Some ways to buy are
# only for goods (到手价, 包邮, 直播间); the others (立即购买, 下单) may be for the bank's own financial
# products, which the financial rules judge: those count when their sentence names none (a card's
# merchant offer is still the merchant's goods).
_GOODS_PATH = re.compile(r"购买链接|商品链接|购物车|到手价|券后价?|包邮|直播间|旗舰店|团购价?|秒杀价?|拼团"
                         r"|商城[^。!！?？]{0,10}(?:购买|下单|抢购|价)")
_PURCHASE = re.compile(r"(?:立即|马上|点击|去|戳)(?:购买|抢购|下单)|下单")
_OWN_PRODUCTS = FINANCIAL - {"card"}


def ad_label(t: Text) -> list[str]:
    if t.contexts.education or "广告" in t.norm:
        return []
    found = find_pattern(t, _GOODS_PATH) + [
        m for m in find_pattern(t, _PURCHASE) if not products_near(t, m.start) & _OWN_PRODUCTS]
    return quoted(t, sorted(found, key=lambda m: m.start))


# --- Advertising Law national symbols (§2) ---------------------------------------------------------------
NATIONAL_SYMBOLS = ("国旗", "国徽", "国歌", "军旗", "军徽", "军歌", "五星红旗", "天安门城楼")


def national_symbols(t: Text) -> list[str]:
    return quoted(t, find_terms(t, NATIONAL_SYMBOLS)) if t.contexts.promotional else []


# --- Advertising Law cited data (§2) --------------------------------------------------------------------
_STATISTIC = re.compile(r"据统计|调查显示|数据显示|研究表明|累计服务\d"
                        r"|(?:(?<!\d)\d+(?:\.\d+)?%|[一二三四五六七八九]成|[半多]数)的?(?:客户|用户|受访者|人|家庭|投资者)")
_NAMED_SOURCE = re.compile(r"(?:数据)?来源|出处|引自|数据来自")


# Customers' preference in figures (超过九成客户选择本行) advertises the bank whatever else the text does.
_PREFERENCE = re.compile(r"(?:(?<!\d)\d+(?:\.\d+)?%|[一二三四五六七八九]成|[半多]数|(?<!\d)\d+万?(?:名|位))"
                         r"的?(?:客户|用户|投资者)"
                         r"[^,，;；。!！?？]{0,6}?(?:选择|信赖|满意|好评|推荐|认可|首选)")


def data_citation(t: Text) -> list[str]:
    if t.has(_NAMED_SOURCE):
        return []
    found = find_pattern(t, _STATISTIC, negatable=False) if t.contexts.promotional else []
    found += [m for m in find_pattern(t, _PREFERENCE, negatable=False)
              if not any(f.start < m.end and m.start < f.end for f in found)]
    return quoted(t, sorted(found, key=lambda m: m.start))


# --- Advertising Law disparagement (§2) ------------------------------------------------------------------
DISPARAGING = ("其他银行都", "别的银行都", "别家银行都", "其他银行不", "别的银行不", "别家银行不", "比其他银行好",
               "跑路", "不靠谱的银行")
# Another bank named or pointed at (隔壁东方银行, 他们家), then found wanting (才, 只有, 一言难尽, 不如).
_OTHER_BANK = re.compile(r"(?:隔壁|别家|别的|其他|某些|有的|外面的?)[^,，;；。!！?？]{0,6}?(?:银行|城商行|农商行|大行)"
                         r"[^,，;；。!！?？]{0,10}?"
                         r"(?:才|只有|仅有|不如|差|一言难尽|坑|慢|贵|要等|得等|还要等|跌破净值|亏|爆雷|暴雷|卡得|老牛拉破车)"
                         r"|他们(?:家)?的?[^,，;；。!！?？]{0,8}?(?:一言难尽|不行|差|坑|不如)"
                         # compared to another bank and found better (比隔壁那几家股份制银行实在多了)
                         r"|比(?:隔壁|别家|别的|其他|某些|那[几些]家|外面)[^,，;；。!！?？]{0,8}?(?:银行|城商行|农商行|大行|家)"
                         r"[^,，;；。!！?？]{0,6}?(?:多|高|好|强|划算|实在)"
                         r"|别再把钱(?:放|存)在?(?:别家|别的银行|其他银行)"
                         r"|别再把[^,，;；。]{0,6}?(?:放|存)在?[^,，;；。]{0,10}?(?:暴雷|爆雷|跑路|倒闭)的(?:小)?银行"
                         r"|(?:暴雷|爆雷|跑路|倒闭)的(?:小)?银行")


def disparagement(t: Text) -> list[str]:
    if not t.contexts.promotional:
        return []
    found = find_terms(t, DISPARAGING)
    found += [m for m in find_pattern(t, _OTHER_BANK, inner=False)  # 别家 is no negator
              if not any(f.start < m.end and m.start < f.end for f in found)]
    return quoted(t, sorted(found, key=lambda m: m.start))


# --- personal data as the price of taking part (§3) ------------------------------------------------------
_BUNDLED = re.compile(r"(?:填写|留下|提供|输入|绑定|上传)(?:您的)?(?:手机号|手机号码|电话号码|身份证号?|身份证号码)"
                      r"[^。!！?？]{0,20}?(?:才能|才可|方可|后即可|即可)(?:开始)?(?:参与|参加|领取|抽奖|报名|签到|答题)"
                      r"|同意接收(?:营销|推广)(?:信息|短信|消息)[^。!！?？]{0,6}?(?:后|才能|即可|方可)(?:领取|参与|参加|抽奖)"
                      r"|(?:参与|参加|领取|抽奖)[^。!！?？]{0,10}?前[^。!！?？]{0,12}?(?:请先|须先|需先|先)[^。!！?？]{0,12}?"
                      r"(?:勾选)?同意接收(?:营销|推广)"
                      r"|(?:手机号|身份证|同意接收)[^。!！?？]{0,30}?(?:否则|未(?:勾选|同意|填写)者?)(?:无法|不能)"
                      r"(?:参加|参与|领取|抽奖|答题)")


def bundled_consent(t: Text) -> list[str]:
    return quoted(t, find_pattern(t, _BUNDLED, inner=False))


# --- Advertising Law absolute terms (§2) -----------------------------------------------------------------
ABSOLUTES = ("国家级", "世界级", "最高级", "最佳", "最好", "最优", "最强", "最大", "最低价", "最便宜", "第一", "no.1",
             "no1", "top1", "唯一", "首个", "首家", "独家", "顶级", "极致", "极品", "绝对", "全网最", "全国最",
             "全球最", "最安全", "史上最", "首选", "独一无二", "绝无仅有", "史无前例", "销量冠军", "全国首家",
             "全球首发", "世界领先", "填补国内空白", "最先进", "最具", "独一份", "全市最", "全城最", "全省最", "天花板",
             "无出其右", "业内顶尖", "行业顶尖", "业界顶尖", "无人能及", "遥遥领先", "头把交椅", "找不出第二家",
             "找不到第二家", "独此一家", "仅此一家", "别无分号", "万能")
# SAMR 2023 guide: time and order words, consumer tips, and disclosures the card and deposit rules require.
ABSOLUTE_EXEMPT = ("最佳时间", "最佳方法", "最佳期限", "第一季度", "第一次", "第一步", "第一批", "第一时间", "第一期",
                   "第一个工作日", "最低还款额", "最高偿付限额", "最低保证利率", "保证利率", "最低保证", "最高年化利率",
                   "最低起购", "最低起存", "最长期限", "最高可贷", "额度最高", "最大限度", "最大程度", "万能险",
                   "万能型", "万能账户", "最大跌幅", "最大回撤", "最大涨幅", "最高点", "最低点",
                   "第一书记", "首选账户", "首选收款", "国家级非物质文化遗产", "国家级非遗",
                   "国家级新区", "国家级开发区", "国家级高新区", "最大可达", "最高可达",
                   "绝对不", "绝对没有")  # 绝对不会索要验证码 is an emphatic no, not a claim
# Thanks are not claims about a product (您的转发是对我们最大的鼓励), nor is "one of the most" (之一).
_GRATITUDE = re.compile(r"最(?:大|好|高)的?(?:鼓励|支持|动力|肯定|褒奖|荣幸|心愿|愿望|感谢)")
_GOAL = re.compile(r"(?:追求|致力于|力争|努力)[^，。；！？,.;!?]{0,8}$")


# A factual security notice (我行唯一官方客服热线) and an award with its source and date are not
# advertising claims (SAMR 2023 guide).
_FACTUAL_ONLY = re.compile(r"唯一(?:的)?(?:官方|客服|热线|网站|电话|指定|官网)"
                           # an identifier that names one thing (每个钱包编号对应唯一的钱包)
                           r"|对应(?:一个)?唯一|唯一(?:的)?(?:编号|标识|识别码|代码|凭证)"
                           # history with its year (1952年，江州县成立首个农村信用社)
                           r"|(?:19|20)\d{2}年[^。!！?？]{0,16}?(?:首个|首家|第一家|第一个)"
                           # the bank's own first (本行在江北区的首家…), not a market's (本行推出全国首款)
                           r"|(?:本行|我行)(?:(?!全国|全球|全市|全省|全城|国内|业内|行业|同业|市场)[^,，;；。]){0,12}?"
                           r"(?:首|第一)(?:家|个|批|只|款)"
                           r"|第一(?:个|次|步|批|期|天|周|月|季度?|年|时间|书记|届|轮|阶段|部分|条|款|章|节|课|讲|篇|站|场|页"
                           r"|份|张|笔|套|本|桶金)"
                           # an ordinal day or period (每月首个工作日, 首期还款, 首年免年费)
                           r"|首个?(?:工作日|交易日|营业日|自然日|开放日|还款日|账单日)|首(?:月|期|年|日|周)")


def absolute_terms(t: Text) -> list[str]:
    """The listed absolutes and none-other-like-it said outright (没有哪家比我们更划算, 标杆中的标杆) in any text
    but a warning; in a text that promotes something, also any 最 + a quality (全城最低的房贷利率) and
    first/only claims (全国首款), from claims.yaml's absolutes_general. Verifiable
    limits (最高可借, 最低起购, 额度最高20万), goals (致力于…最), thanks and 之一 are not claims (没有之一 is)."""
    if t.has(SOURCED) and t.has(PERIOD_DATE):
        return []
    exempt = (find_terms(t, ABSOLUTE_EXEMPT, negatable=False) + find_pattern(t, _FACTUAL_ONLY, negatable=False)
              + find_pattern(t, _GRATITUDE, negatable=False))
    found = find_terms(t, ABSOLUTES)
    if not t.contexts.education:
        found += [m for m in claims(t, "absolutes_said") if not any(f.start < m.end and m.start < f.end for f in found)]
    if t.contexts.promotional:
        found += [m for m in claims(t, "absolutes_general")
                  if not any(f.start < m.end and m.start < f.end for f in found)]
    kept = [m for m in found
            if not any(e.start <= m.start and m.end <= e.end for e in exempt)
            and not _GOAL.search(t.norm[max(0, m.start - 12):m.start])
            and "之一" not in t.norm[m.end:clause_end(t.norm, m.end)].replace("没有之一", "")]
    return quoted(t, sorted(kept, key=lambda m: m.start))


# --- personal information in texts (§3) ------------------------------------------------------------------


# Entering a password in the bank's own app or at a counter, or showing an ID card in person, is how
# banking works; a request to send it here (reply, message, upload, tell us) is what scammers make.
# 网银登录密码 names the secret, not where it is typed.
_OWN_CHANNEL = re.compile(r"(?:手机银行|网上银行|网银|官方app|本行app|我行app|app内)"
                          r"(?!(?:的)?(?:登录|交易|支付|查询)?密码)|atm|柜台|柜面|网点|密码键盘|密码器|携带|出示|原件|本人到"
                          r"|按(?:页面|系统|app)?提示")
# Photographing or uploading happens in the bank's own app too (在本行App中拍摄身份证…加密上传); the other
# verbs send the secret to whoever asks here.
_SEND = re.compile(r"发|回复|回覆|告知|告诉|提供|报|留言|私信")


# A link to follow is nobody's own channel (请点击链接重新输入手机银行登录密码).
_LINK = re.compile(r"链接|网址")


def credential(t: Text) -> list[str]:
    found = [m for m in claims(t, "credential")
             if (_SEND.search(m.term) or not _own_channel(sentence(t.norm, m.start))) and not _keyword(t, m)]
    return quoted(t, found)


def _own_channel(sentence_text: str) -> bool:
    return bool(_OWN_CHANNEL.search(sentence_text)) and not _LINK.search(sentence_text)


def _keyword(t: Text, m: Match) -> bool:
    """回复“密码重置”: the secret's name begins a keyword to send, in quotation marks; a template of fields
    (回复“姓名+身份证号”) or the bare name (回复“验证码”) still asks for the secret."""
    if not in_quotation_marks(t.norm, m.end - 1) or t.norm[m.end:m.end + 1] in ('"', ""):
        return False
    close = t.norm.find('"', m.end)
    return "+" not in t.norm[t.norm.rfind('"', 0, m.end):close]


# written in groups too (6217 8800 1234 5678 901): single spaces between digits are read through
_CARD_OR_ID = re.compile(r"(?<![\dx*])\d(?: ?\d){15,18}(?: ?x)?(?![\dx*])")


# A transaction's or an order's own number is no card or ID number (交易流水号2026112409…).
_SERIAL = re.compile(r"(?:流水号|订单号|单号|编号|交易号|回单号|凭证号)[:：\s]*$")


def card_masking(t: Text) -> list[str]:
    urls = [(u.start(), u.end()) for u in URL_IN_TEXT_NORM.finditer(t.norm)]
    found = [m for m in find_pattern(t, _CARD_OR_ID, negatable=False)
             if not any(s <= m.start < e for s, e in urls) and not _SERIAL.search(t.norm, max(0, m.start - 8), m.start)]
    numbers = [m.term.replace(" ", "") for m in found]
    return [f"“{n[:4]}…{n[-4:]}”（{len(n)} 位）" for n in numbers if len(n) <= 19]


# --- WeChat platform rules (§4) --------------------------------------------------------------------------
_SHARE = re.compile(r"分享(?!会|嘉宾|沙龙|讲座|了)|转发|转给|转至|转到(?:朋友圈|[^,，;；。]{0,4}群)|"
                    r"发(?:到|至|在)?朋友圈|"
                    r"发到[^,，;；。]{0,6}群|(?:甩|丢|扔|推|贴)(?:到|进)[^,，;；。]{0,6}群|"
                    r"(?:带去|带到|晒到|贴到|发去|send去|send到)[^,，;；。]{0,4}?朋友圈|往朋友圈(?:一)?(?:甩|发|丢|贴)|"
                    r"(?:凑够|凑满|凑齐)[^,，;；。]{0,4}?(?:人|位|个赞|个like)|组队|"
                    r"(?:你的|您的)?专属(?:二维码|链接|海报|邀请码)|"
                    r"(?<![晾暴])晒(?!谷|场|太阳|被|衣|干|伤|黑)|邀请好友|拉新|"
                    r"拉[^,，;；。]{0,3}新朋友|"
                    r"(?:发给|推荐给|喊上|叫上|拉上|带上)[^,，;；。]{0,6}?(?:好友|朋友|家人|亲友|同事|同学|邻居|群|小伙伴|伙伴|闺蜜|室友)|"
                    r"(?:推荐|介绍|邀请|邀|拉|带)[^,，;；。]{0,4}?(?:好友|朋友|家人|亲友|同事|新人|新用户|新客户)|"
                    r"(?:好友|朋友|家人|亲友)[^,，;；。]{0,4}?(?:帮忙|帮我|帮你|帮您|点亮|点一下)|点亮|"
                    r"(?:好友|朋友|亲友|帮我|帮忙)助力|助力(?:值|券|卡|好友)|砍价|砍一刀|集赞|集齐[^,，;；。]{0,4}赞|集满[^,，;；。]{0,4}赞|点赞|集卡|集福|打卡分享|截图给|截图发|"
                    r"截图回复|帮忙扩散|扩散(?:给|到|出去)")
# A reward or a gate: what the user gets for sharing or following, or what stays locked without it.
_REWARD = re.compile(r"送到(?:你|您)(?:手上|手里|手中|家)|"
                     r"红包|现金(?!流|管理|价值)|奖励|领|得|送|赠|获得|获赠|抽奖|抽取|中奖概率|积分|话费|流量|优惠券|"
                     r"代金券|立减金|"
                     r"礼品|礼物|充值|购物金|咖啡钱|心意|立减|直减|减\d+元|减免|免年费|免单|半价|"
                     r"礼包|大礼|好礼|有礼|奖品|兑换|换取|换(?:一|\d)(?:份|个|盒|张|袋|桶|本)|到手(?!价)|奉上|赢取|赢|"
                     r"免费拿|拿走|白拿|福利|资格|才能|方可|解锁|"
                     r"大奖|再抽|抽一次|寄给(?:你|您)|归(?:你|您|谁)|纪念品|盲盒|拎走|扛走|谢礼|拿到|惊喜|开奖|瓜分|"
                     r"(?:即可|才可|方可)(?:阅读|观看|获取|下载)|仅对粉丝开放|"
                     r"(?:寄出?|拿|安排|给(?:你|您))(?:一|两|\d+)(?:份|个|本|张|盒|桶|袋|瓶|把|台|套|箱)|"
                     r"(?:就|即)(?:能|可以?)[^,，;；。]{0,6}?拿|才会(?:把|给|推|发|送)|"
                     r"需要?先|须先|必须先")


def induced_sharing(t: Text) -> list[str]:
    """A share action and a reward or gate in the same sentence, however far apart (the action and the
    reward are often split: 发到家人群，凭截图到网点领取鸡蛋一盒)."""
    if t.has(_NO_SHARE_NEEDED) or t.has(JOB_ADVERT):  # 到场即可参加，无需分享; a job that must spot such games
        return []
    out = []
    for share in find_pattern(t, _SHARE):
        if _DECOUPLED.search(t.norm, share.end, clause_end(t.norm, share.end)):  # 分享不影响积分
            continue
        if share.term == "点赞" and _APPLAUSE.search(t.norm, clause_start(t.norm, share.start), share.start):
            continue
        lo, hi = sentence_bounds(t.norm, share.start)
        # proof of sharing is checked, or the next sentence pays per person brought: the reward follows there
        if _PROOF.search(t.norm, share.start, hi) or _PER_REFERRAL.match(t.norm, hi + 1):
            hi = sentence_bounds(t.norm, min(len(t.norm) - 1, hi + 1))[1]
        hi = max(hi, share.end)
        reward = next((r for r in _REWARD.finditer(t.norm, share.end, hi) if _offered_reward(t, r, share)), None)
        if reward is None:
            before = [r for r in _REWARD.finditer(t.norm, lo, share.start) if _offered_reward(t, r, share)]
            reward = before[-1] if before else None
        if reward is not None:
            out.append(f"“{share.term}”+“{reward.group(0)}”")
    return out


# A text that says no share is needed rewards something else; 为她点赞 applauds someone, it clicks nothing.
_NO_SHARE_NEEDED = re.compile(r"(?:无需|无须|不需要?|不用|不必)[^,，;；。]{0,4}?(?:分享|转发|集赞|点赞)")
_APPLAUSE = re.compile(r"为[^,，;；。!！]{1,8}$")
# Sharing said to change nothing in its own clause (点赞、在看不影响抽奖结果).
_DECOUPLED = re.compile(UNRELATED.pattern
                        + r"|不(?:会)?影响|不额外|不计入|不作为|不加分|不(?:会)?增加"
                        + r"|不是(?:参与|参加|领取)?(?:条件|前提)")
# Sharing proven to the bank (截图发给我们, 凭截图, 审核通过) is sharing for something, said in the next sentence.
_PROOF = re.compile(r"截图|凭|发给我们|上传|审核|保留")
# 邀请家人开通手机银行吧！每成功一位，积分多出500分: a reward per person brought.
_PER_REFERRAL = re.compile(r"每(?:成功)?(?:邀请|推荐|带来|拉来|介绍)?(?:一|1)(?:位|人|名|个)")


# A gate locks something behind the share in its own clause (转发后才能参与, 需要先把推送发到三个群), or in
# the next one when the share's clause ends with 后 (分享给三位好友后，才能解锁); elsewhere it gates something
# else (转发至部门…，考试合格后方可办理).
_GATES = ("才能", "方可", "资格", "解锁", "需先", "需要先", "须先", "必须先", "才会")


def _offered_reward(t: Text, found: re.Match[str], share: Match) -> bool:
    """A reward offered for this share: a real one (see _real_reward), and a gate only in the share's clause."""
    if not _real_reward(t, found):
        return False
    if not found.group(0).startswith(_GATES):
        return True
    gate_clause, share_clause = clause_start(t.norm, found.start()), clause_start(t.norm, share.start)
    return gate_clause == share_clause or t.norm.endswith("后", share_clause, max(share_clause, gate_clause - 1))


def _real_reward(t: Text, found: re.Match[str]) -> bool:
    """Not inside an ordinary word (领导, 心得), not refused (转发与否不影响任何优惠资格)."""
    return not _ordinary(t, found) and not negated(t.norm, found.start())


def _ordinary(t: Text, found: re.Match[str]) -> bool:
    return inside_ordinary_word(t, found.start(), len(found.group(0)))


def share_mechanics(view: AccountView) -> Iterator[Hit]:
    for loc, module in view.index.modules():
        for flag in ("share_reward", "share_required", "invite_reward"):
            if getattr(module, flag):
                yield Hit(view.address("module", module.id), (*loc, flag), f"{flag}: true")


# Following as an action (关注本号, 扫码关注, 先关注), not thanks for it (感谢您的关注) nor care (关注天气变化:
# those name no reward in their sentence anyway).
# (特别关注, 重点关注, 持续关注, 值得关注: attention paid, not a follow).
_FOLLOW = re.compile(r"(?<![谢的已])(?<!特别|重点|持续|值得)关注"
                     r"(?!度|(?!本号|本公众号|公众号|我们|服务号)[^,，;；。!！]{0,8}?(?:进度|变化|情况|结果|状态|公告|通知))"
                     r"|订阅本?公众号|保持订阅|星标"
                     r"|成为(?:我们的|本号的?)?(?:粉丝|一员|订阅用户|订阅者)|已订阅"
                     r"|扫(?:一下|一扫)?[^,，;；。]{0,6}?(?:公众号|本号)的?(?:二维)?码")


def induced_follow(t: Text) -> list[str]:
    """Following and a reward or gate in the same sentence, before or after (关注即送; 新粉丝…送红包;
    扫码关注示例银行，即有机会赢取大礼), the reward not inside an ordinary word (关注我们，领导说很好)."""
    out = []
    for follow in find_pattern(t, _FOLLOW):
        lo, hi = sentence_bounds(t.norm, follow.start)
        hi = _through_the_steps(t.norm, hi)
        reward = next((r for r in _REWARD.finditer(t.norm, lo, hi) if _real_reward(t, r)), None)
        if reward is not None:
            out.append(f"“{follow.term}”+“{reward.group(0)}”")
    return out


# 还没成为我们的粉丝？右上角点一下。点完以后，回复“福袋”…就会送到你手上: asked, then told step by step,
# the reward waits at the end of the steps.
_NEXT_STEP = re.compile(r"[^。!！?？]{0,12}?(?:点完|关注完|完成后|之后|然后|接着)")


def _through_the_steps(norm: str, hi: int) -> int:
    for _ in range(2):
        if hi + 1 >= len(norm) or not (norm[hi] in "?？" or _NEXT_STEP.match(norm, hi + 1)):
            break
        hi = sentence_bounds(norm, hi + 1)[1]
    return hi


# Bait for a click (点我领红包, 点我抽奖, 您有一个红包待领取) and WeChat's own voice borrowed (微信官方,
# 微信团队; a 系统通知 that hands out prizes): the follower clicks for what is not there (运营规范: 诱导点击,
# 混淆). A real campaign says 点击参与 and names its rules; a warning quotes the bait.
_CLICK_BAIT = re.compile(r"(?:点|戳)(?:我|这里|此处)[^,，;；。!！?？]{0,4}?(?:领|抢|拿|拆|抽|赢)"
                         r"|您有(?:一个|一笔|\d+个|\d+笔|新的)[^,，;；。!！?？]{0,6}(?:红包|奖金|现金|奖励|奖品)"
                         r"[^,，;；。!！?？]{0,2}(?:待|未|尚未)领取")
# (企业微信官方客服 is the bank's own enterprise WeChat, not the platform's voice)
_BORROWED_VOICE = re.compile(r"(?<!企业)微信(?:支付)?官方|微信(?:支付)?团队|腾讯官方|微信红包|微信安全中心"
                             r"|\[微信\]|【微信】"
                             r"|系统(?:通知|消息|提示)[^。!！?？]{0,20}(?:红包|中奖|奖励|领取|点击)")


def induced_click(t: Text) -> list[str]:
    if t.contexts.education:
        return []
    found = find_pattern(t, _CLICK_BAIT) + find_pattern(t, _BORROWED_VOICE)
    return quoted(t, sorted(found, key=lambda m: m.start))

