"""cn-bank text finders for personal data in texts (compliance.md §3): requests for credentials (codes,
passwords, ID numbers, card security codes) and unmasked card or ID numbers.
"""

from __future__ import annotations

from oa_spec.policy.negation import (
    clause_end,
    clause_start,
    in_quotation_marks,
    sentence_bounds,
)
from oa_spec.policy.packs.textkit import (
    claims,
    quoted,
)
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.text import Match, Text, find_pattern
from oa_spec.policy.vocabulary import MENTIONED, URL_IN_TEXT_NORM

# Entering a password in the bank's own app or at a counter, or showing an ID card in person, is how
# banking works; a request to send it here (reply, message, upload, tell us) is what scammers make.
# 网银登录密码 names the secret, not where it is typed; 网点预约 is booked here, not at the branch; 网银盾 is the
# token, not the channel (您的网银盾证书今日到期 请在本页面输入登录密码: probe 125).
_OWN_CHANNEL = Pattern(r"(?:手机银行|网上银行|网银(?!盾)|官方app|本行app|我行app|app内|在app[中里])"
                          r"(?!(?:的)?(?:登录|交易|支付|查询)?(?:密码|口令))|atm|柜台|(?<!非)柜面|网点(?!预约)|密码键盘|密码器|携带|出示|原件|本人到"
                          r"|按(?:页面|系统|app)?提示|柜员|到店"  # checked in person (到店后由柜员核验)
                          # a machine's keypad where the card is paid with (在医院自助机刷卡缴费时输入密码, pos机)
                          r"|自助(?:机|终端|设备|缴费机)|pos机?|刷卡机|键盘"
                          # the bank's app named (在明湾信用卡App交易确认页, 登录明湾App“我的”), not a secret it names
                          r"|(?:登录|在|打开|进入)[^,，;；。!！?？]{0,10}?app(?!(?:的)?(?:登录|交易|支付|查询)?(?:密码|口令))")
# Photographing or uploading happens in the bank's own app too (在本行App中拍摄身份证…加密上传); the other
# verbs send the secret to whoever asks here (回传…密码, 那串数字直接回我, 打给我, 念给我: probe 126).
_SEND = Pattern(r"发|回复|回覆|回传|回我|回给|打给|念给|读给|告知|告诉|提供|报|留言|私信|对话框|聊天框|评论区|打在这里"
                r"|跟我说|说给我|说一[下哈]"
                # (the secret read out, passed on by word of mouth or entrusted to a visitor: 念给我听,
                # 转述给前来拜访的客户经理, 托付于他)
                r"|念|转述|转告|托付|交给|递给")  # (a PIN on a slip handed to the lobby manager: 写在纸条上交给)


# A link to follow is nobody's own channel (请点击链接重新输入手机银行登录密码), nor is typing into this chat or a
# private message to us (在对话框里输入您登录手机银行用的那串字符: the app names the secret, the chat is where it
# goes). The chat named alone is not enough: 对话框 and 私信 also sit in notices telling where not to type.
# (this conversation named as where it goes: 请在本对话中填写…)
_NOT_OWN = Pattern(r"链接|网址|(?:对话框|聊天框)(?:里|中|内)?(?:输入|填)|私信给(?:我们|小编|客服)"
                   r"|(?:本|此|本次)对话(?:里|中|内)")


def credential(t: Text) -> list[str]:
    found = [m for m in claims(t, "credential")
             if (_SEND.search(m.term) or _HANDED.match(t.norm, m.end) or not _own_channel(t, m)) and not _keyword(t, m)
             and not _last_digits_only(t, m) and not _the_bank_sends(t, m)
             and not _BRACKETED_KEYWORD.match(t.norm, m.start)
             and not _CUSTOMER_SENDS.search(t.norm, clause_start(t.norm, m.start), m.start)
             and not _TO_OTHERS.match(t.norm, m.end) and not _NO_NEED.search(m.term) and not _papers(t, m)
             and not _REFUSED_AFTER.match(t.norm, m.end, clause_end(t.norm, m.end))
             and not _SECURE_CHANNEL_NOT_CHAT.match(t.norm, m.end) and not _done(t, m)]
    return quoted(t, found)


# A secret handed over on paper in its clause (把密码写在纸条上交给大堂经理) is given to a person, whoever it is.
_HANDED = Pattern(r"[^,，;；。!！?？]{0,8}?(?:交给|递给)")


# A secret already sent or typed, told as what happened (您刚才在对话中发送了卡号, 他点击链接并输入了银行卡号): a
# report or a case, not a request, unless it is the step before what follows (输入了验证码后即可领取).
_DONE = Pattern(r"^[^,，;；。!！?？]{1,4}?了(?:您的|你的|自己的|本人的)?"
                r"(?:银行卡号|卡号|验证码|密码|身份证|cvv|安全码|动态码|校验码)")
_THEN = Pattern(r"[^,，;；。!！?？]{0,10}?(?:后|之后|以后|就|即|才|便)")


def _done(t: Text, m: Match) -> bool:
    return bool(_DONE.search(m.term)) and not _THEN.match(t.norm, m.end)


# An ID card listed among the papers an application takes (需提供身份证、收入证明及装修合同, 身份证原件、户口本等材料):
# brought to the bank, not a secret sent here (probes 114, 117), unless a secret or a card number is listed with it
# or the list is to be sent (发给我们).
_PAPERS = Pattern(r"(?:原件|复印件)?[、和及与或][^。!！?？;；]{0,40}?"
                  r"(?:等材料|等资料|材料|证明|合同|户口本|户口簿|结婚证|房产证|营业执照|计划)")
_SENT_HERE = Pattern(r"发给|发送|发到|上传|拍照|拍张|私信|回复")


# The ID card itself, shown in person (身份证原件到网点再出示, 身份证原件请带好): a card brought, not a number sent.
_ORIGINAL_SHOWN = Pattern(r"原件[^,，;；。!！?？]{0,8}?(?:出示|携带|带上|带好|带齐|核验|查验)")


def _papers(t: Text, m: Match) -> bool:
    if m.term.endswith("身份证") and _ORIGINAL_SHOWN.match(t.norm, m.end):
        return not _SENT_HERE.search(t.norm, m.end, sentence_bounds(t.norm, m.start)[1])
    listed = _PAPERS.match(t.norm, m.end) if m.term.endswith("身份证") else None
    if listed is None:
        return False
    end = max(clause_end(t.norm, m.end), listed.end())
    return (not _SECRETS.search(t.norm, m.end, end) and "卡号" not in t.norm[m.end:end]
            and not _SENT_HERE.search(t.norm, m.end, sentence_bounds(t.norm, m.start)[1]))


# No need to send it (您的卡号不用发给我, 密码不必告诉任何人): the request is waived, not made (probe 94).
_NO_NEED = Pattern(r"不用|不必|用不着|犯不着")


# Sent to someone else (转发给别人就等于把家门钥匙交出去): what happens if one does, not a request to us (probe 92).
_TO_OTHERS = Pattern(r"(?:别人|他人|其他人|陌生人)")
# The secret named, then refused in its own clause (后四位即可，完整卡号、身份证号一律不要发): none is asked for
# (not a warning to keep it from others, 发给我们不要告诉别人, which still asks for it)
_REFUSED_AFTER = Pattern(r"[^,，;；。!！?？]{0,12}?(?:一律|均|都|千万|请)"
                            r"(?:不要|切勿|请勿|勿|别|不能|不得|无需|不用|不必)"
                            r"(?:发|发送|提供|告诉|透露|回复|泄露|输入)(?![^,，;；。!！?？]{0,4}?(?:别人|他人|其他人|陌生人))")


# The secret sent by a secure channel and kept out of the chat in the next clause (员工身份证号请通过企业网银加密模板
# 上传，请勿在公众号对话框中填写或发送): an instruction for where to send it, which this channel is not (probe 146).
_SECURE_CHANNEL_NOT_CHAT = Pattern(r"[^,，;；。!！?？]{0,4}?(?:通过|经由|使用|在|到)[^,，;；。!！?？]{0,12}?"
                                   r"(?:加密|官方|网银|柜台|网点|手机银行)[^,，;；。!！?？]{0,10}?[,，;；]"
                                   r"(?:请勿|切勿|请不要|不要|勿|严禁)[^,，;；。!！?？]{0,14}?"
                                   r"(?:填写|发送|发|提供|输入|回复|透露)")


# The bank sending a code (本行发送的验证码短信, 系统会向您的预留手机号发送验证码) asks for nothing back, unless
# the clause goes on to ask for it (请把银行发送的验证码告诉我).
_BANK_SENDS = Pattern(r"(?:本行|我行|银行|系统)(?:会|将|只会|仅)?(?:向您)?$|向(?:您|你)的?[^,，;；。]{0,8}$")


def _the_bank_sends(t: Text, m: Match) -> bool:
    verb = _SEND.search(m.term)
    if verb is None or _SEND.search(t.norm, m.end, clause_end(t.norm, m.end)):
        return False
    at = m.start + verb.start()
    return bool(_BANK_SENDS.search(t.norm, max(0, at - 12), at))


# A keyword in brackets to reply with (回复【改密】获取修改登录密码的操作指引) asks for no secret; a form joined by +
# (回复【积分+卡号】) is filled in with what it names, and asks for it.
_BRACKETED_KEYWORD = Pattern(r"(?:回复|发送)【[^】+]{1,8}】")


# What to do if a customer sends one unasked (如客户主动在对话中发来完整卡号，应提醒其撤回) asks for nothing.
_CUSTOMER_SENDS = Pattern(r"(?:如|如果|若|假如|一旦|当)客户(?:主动|自行)?[^,，;；。]{0,10}$")


# The last digits identify a card without disclosing it (请您提供卡号后四位), unless a secret is asked with them
# (请回复卡号后四位、有效期以及背面安全码).
# (or shown masked to them: 回复中卡号只显示后四位)
_LAST_DIGITS = Pattern(r"(?:(?:只|仅)(?:显示|展示|保留))?(?:后|末)(?:四|4)位|尾号")
_SECRETS = Pattern(r"密码|验证码|安全码|cvv|cvn|有效期|身份证号|完整卡号")


# So do an ID number's last four, the masked form (回复“补贴+身份证后四位”), asked alone: with a name, a phone number
# or a birth date beside them (姓名+身份证后四位+预留手机号) they make up an identity, and with a code or the card's
# back digits anywhere in the sentence (收到的6位短信数字和身份证后四位) the request is for those.
_ID_LAST_FOUR = Pattern(r"(?:号码?)?的?(?:后|末)(?:四|4)位")
_IDENTITY = Pattern(r"姓名|名字|手机|电话|出生|生日|住址|地址|短信|动态|码|数字|三位|密码|cvv|cvn|有效期")


def _last_digits_only(t: Text, m: Match) -> bool:
    if m.term.endswith("身份证") and _ID_LAST_FOUR.match(t.norm, m.end):
        lo, hi = sentence_bounds(t.norm, m.start)
        return not _SECRETS.search(t.norm, m.end, hi) and not _IDENTITY.search(t.norm, lo, hi)
    return (m.term.endswith("卡号") and bool(_LAST_DIGITS.match(t.norm, m.end))
            and not _SECRETS.search(t.norm, m.end, clause_end(t.norm, m.end)))


def _own_channel(t: Text, m: Match) -> bool:
    """The sentence sends the secret to the bank's own channel; a channel inside the match describes the
    secret (在ATM取钱时按的那六位), it is not where the secret goes."""
    lo, hi = sentence_bounds(t.norm, m.start)
    rest = _SPARED.sub("", t.norm[lo:m.start] + " " + t.norm[m.end:hi])
    own = [c.group(0) for c in _OWN_CHANNEL.finditer(rest)]
    if own and all(c == "按提示" for c in own) and _REPLY_HERE.search(t.norm):
        return False  # 回复本条消息…按提示输入: the prompts are this chat's, not the app's
    return bool(own) and not _NOT_OWN.search(_DISCLAIMED.sub("", rest))


# A branch the customer is spared (帮您线上办好，不用跑网点; probe 114) is no channel the secret goes to.
_SPARED = Pattern(r"(?:不用|不必|无需|无须|不需要?|免)(?:再)?(?:跑|去|到|来)(?:一趟)?(?:网点|柜台|柜面)"
                  # probe 158: the app named as where the code was received (登录手机银行时收到的动态码), not sent to
                  r"|(?:(?:登录|打开|使用)(?:手机银行|网上银行|网银|app)|(?:手机银行|网上银行|网银|app)(?:登录|登入))时?"
                  r"(?:收到|获取|接收|弹出|用|使用|输入)的")


# The text has the user reply in this chat (回复本条消息“激活”), so its bare prompts (按提示输入) come here too.
_REPLY_HERE = Pattern(r"回复(?:本条|此条|这条|该条)?(?:消息|信息|短信)")


# A link the bank says it never sends (本行不会通过短信链接让您填写身份证号), or tells the reader never to type into
# (切勿在聊天窗口或短信链接中填写), is no channel the text uses.
_DISCLAIMED = Pattern(r"(?:不会|绝不会?|从不|不|切勿|请勿|勿|不要|别)(?:通过|发送|用|以|在|点击?)[^,，;；。]{0,8}?链接")


def _keyword(t: Text, m: Match) -> bool:
    """回复“密码重置”: the secret's name begins a keyword to send, in quotation marks; a template of fields
    (回复“姓名+身份证号”) or the bare name (回复“验证码”) still asks for the secret."""
    if not in_quotation_marks(t.norm, m.end - 1):
        return False
    close = t.norm.find('"', m.end)
    if MENTIONED.match(t.norm, close + 1):  # 回复“卡号”两个字: the word itself is the keyword
        return True
    if t.norm[m.end:m.end + 1] in ('"', ""):
        return False
    return "+" not in t.norm[t.norm.rfind('"', 0, m.end):close]


# written in groups too (6217 8800 1234 5678 901): single spaces between digits are read through
_CARD_OR_ID = Pattern(r"(?<![\dx*])\d(?: ?\d){15,18}(?: ?x)?(?![\dx*])")


# A transaction's or an order's own number is no card or ID number (交易流水号2026112409…).
_SERIAL = Pattern(r"(?:流水号|订单号|单号|编号|交易号|回单号|凭证号)[:：\s]*$")


def card_masking(t: Text) -> list[str]:
    urls = [(u.start(), u.end()) for u in URL_IN_TEXT_NORM.finditer(t.norm)]
    found = [m for m in find_pattern(t, _CARD_OR_ID, negatable=False)
             if not any(s <= m.start < e for s, e in urls) and not _SERIAL.search(t.norm, max(0, m.start - 8), m.start)]
    numbers = [m.term.replace(" ", "") for m in found]
    return [f"“{n[:4]}…{n[-4:]}”（{len(n)} 位）" for n in numbers if len(n) <= 19]
