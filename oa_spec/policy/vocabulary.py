"""What words mean to the cn-bank text rules (compliance.md §0.2-§0.5): spellings that stand for other
words (regional variants, homophones, pinyin written in to dodge a filter), negators and anti-fraud framing,
calls to act and warning markers, the subjects (products) a text names and the words that describe one,
and the notices that name products without offering them, and what figures look like (percentages, prices,
dates, links). `policy.text` reads text with these; the claims themselves are data in `data/claims.yaml`.
"""

from __future__ import annotations

from oa_spec.policy.patterns import Pattern

# --- spellings (§0.2) ---------------------------------------------------------------------------------
# Regional words of the same length (身分證 is Taiwan's 身份证, 簡訊 its 短信): replaced in place.
# Homophones and look-alikes written to slip past a filter (宝赚 for 保赚, 大学僧 for 大学生, attack 69's 夲, a
# character no text uses, for 本: 保夲保息) are read the same way.
VARIANT_WORDS: dict[str, str] = {"身分证": "身份证", "简讯": "短信", "帐户": "账户", "帐号": "账号", "讯息": "信息",
                                 "网路": "网络", "信用咭": "信用卡", "宝赚": "保赚", "宝本": "保本", "稳砖": "稳赚",
                                 "稳转": "稳赚", "大学僧": "大学生", "保笨": "保本",
                                 "0风险": "零风险", "0门槛": "零门槛", "回覆": "回复", "答覆": "答复",
                                 "登入": "登录", "夲": "本"}  # probe 118: Hong Kong's and Taiwan's 覆; probe 120: 登入
# Initials written into Chinese for the words a filter looks for (zf这条, 先gz咱们号, 回复yzm): a whole run of
# Latin letters touching a Chinese character; pinyin syllables (bao本, cun款) are read by `policy.pinyin`.
PINYIN_DODGES: dict[str, str] = {"zf": "转发", "gz": "关注", "bb": "保本", "dk": "贷款", "lc": "理财", "hb": "红包",
                                 "yzm": "验证码", "dxs": "大学生", "mm": "密码", "sfz": "身份证",
                                 "jj": "基金", "vx": "微信"}  # probe 91: a fund and WeChat by their initials
# English written into Chinese for what a scammer asks for (请reply您的card number): read as the word.
ENGLISH_WORDS: dict[str, str] = {"reply": "回复", "send": "发送", "password": "密码", "passcode": "密码",
                                 "card number": "卡号", "card no": "卡号", "verification code": "验证码",
                                 "sms code": "验证码", "otp": "验证码", "security code": "安全码",
                                 "id number": "身份证号", "id card": "身份证", "like": "赞", "likes": "赞",
                                 "share": "分享", "repost": "转发", "forward": "转发"}

# --- figures (§0.5) -----------------------------------------------------------------------------------
# A figure is read from the start of its digits ((?<!\d)): tried from every digit, a text of 20,000 digits
# cost the square of its length (12 s in the rules).
PERCENT = Pattern(r"(?<!\d)\d+(?:\.\d+)?%")
FRACTION = Pattern(r"万分之[零一二三四五六七八九十\d]+(?!的?(?:差错|失误|疏忽|误差|概率|可能|机会))")
# A loan's cost by the day or month, which 人民银行公告〔2021〕3号 wants shown beside the annual rate, never
# before it: the pieces the credit rules and the loan descriptor build their patterns from.
PER_DAY = "每天|一天|每日|日均|一日"
PER_MONTH = "每月|每个月|一个月|月均"  # probe 110: 每个月只还两百多块利息
# (三百多块; 4,400元: a comma between a digit and three more is a thousands separator, not a clause break)
AMOUNT = (r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[一二两三四五六七八九十几][一二两三四五六七八九十几百千]*多?)"
          r"(?:元|块|毛|角)")
PER_PERIOD_AMOUNT = rf"(?:{PER_DAY}|{PER_MONTH})[^,，;；。]{{0,6}}?{AMOUNT}"  # 每月仅需3元, 一天两块
# (normalised: 元/天 reads 元天, a separator between Chinese characters is dropped)
DAILY_PRICE = Pattern(r"每天(?:仅|只)?需?\d+(?:\.\d+)?元|(?<!\d)\d+(?:\.\d+)?(?:元|块)/?(?:天|日)(?!内|后|起)"
                         r"|(?:[¥￥]|rmb)\s*\d+(?:\.\d+)?\s*(?:a|per)\s*(?:(?:rmb|[¥￥])\s*[\d,]+\s*(?:a|per)\s*)?day")
URL_IN_TEXT_NORM = Pattern(r"https?://[\w.\-/?=&%#:~+]+")
PERIOD_DATE = Pattern(r"\d{4}[年./-]\d{1,2}[月./-]?(?:\d{1,2}日?)?|来源:[^()。]{0,24}?,(?:19|20)\d{2}年\)")

# --- negation (§0.4) ----------------------------------------------------------------------------------
# A reviewer reads negation within the clause, not within a fixed number of characters
# (别 negates, but not inside 区别, 特别, 识别, nor as 别家, another bank, nor after 看: 看别人一夜翻身 watches others):
# 不构成对产品收益的承诺 negates 承诺 eight characters away; 稳赚，不用等 does not negate 稳赚.
# 没有 before a comparison builds a superlative (没有哪只能比它更稳), it denies nothing.
NEGATORS = ("非", "不", "无法", "并非", "不是", "不会", "不承诺", "不保证", "不代表", "切勿", "请勿", "谨防",
            "警惕", "拒绝", "无需", "不需要", "不用", "打破", "破除", "≠",  # 打破刚性兑付: the promise is ended
            "没法", "没办法")  # probe 108: 没法告诉您“哪款理财稳赚” says no such thing
CLAUSE_NEGATORS = Pattern(r"不敢|不准(?!确|时)|不许|不承诺|不保证|不向|不面向|不对(?!劲)|不影响|不提供|"
                             r"不构成|不代表|不表明|不意味着?|不等于|不存在|没有(?!风险|比|之一|第二|对手|区别|两样|差别|哪[^,，;；。]{0,14}?(?:比|快过|强过|胜过|超过)|任何一?[家个款只张][^,，;；。]{0,6}?比)|并非|不是|绝不会?|从不|不会|不要(?!错过)|"
                             r"请勿|切勿|切忌|不建议|不提倡|不鼓励|千万别|别信|(?<![区分告差特类识级离性个辨鉴送看])别(?!家|的银行|处|人家|删)|谨防|警惕|拒绝|不得|严禁|禁止|小心|防范|所谓|"
                             r"不具备|不具有|不以|不因|无任何|不搞|不请|不邀请|不拿|不开展|不附加|不附带|劝阻|不涉及|不属于|不能(?!错过)|不再|不一定|未必|并不|而非|(?<![切请])勿|无需|无须|不需要?|不必|"
                             r"不作(?!为)|不做(?!了)|不(?:另外?|额外)?设|不(?:另外?|额外)(?:送|赠|给|发放?|提供|安排|附)|不(?:展示|公布|发布|晒|收集|采集|索取|索要)|"
                             r"是否|能否|有没有|没办法|"
                             # probe 119: a verb denied of anything (不含任何购买链接, 不引导添加任何个人微信)
                             r"不[\u4e00-\u9fff]{1,4}?任何|"
                             r"未(?!来|满|成年|知|激活|开通|生效|绑定)|"  # 卡尚未激活 states, it denies no request
                             # in English (the normaliser reads ’ as ")
                             r"(?<![a-z])(?:never|don[\"']?t|do not|won[\"']?t|will not|doesn[\"']?t|does not)"
                             r"(?![a-z])")
# A sentence that warns against, refutes or reports what others say is not the bank's own claim: anti-fraud
# warnings (凡是要求您发送验证码的都是诈骗, not 凡是…均可兑换), refutations (有人说“理财零风险”，这是错误的说法),
# claims reported as someone else's (任何声称“不看征信”的都不是正规贷款), a third party's ask (有陌生人要你报出卡号).
# (反诈知识闯关, 反诈答题, 反诈宣传月, 反诈…海报 name a campaign's topic: the campaign may still reward sharing)
# (probe 122: scams the readers met, collected as their stories, 说出你遇到过的理财骗局, are a campaign's topic)
FRAUD_FRAME = Pattern(r"(?<![防反])诈骗|属于违规|违规(?:宣传|营销)?(?:话术|用语|说法)|违规揽储|非法集资|"
                         r"(?<!遇到过的)(?<!遇到的)(?<!经历过的)(?<!遇到过的理财)骗局|骗子|陷阱|"
                         # (防诈骗, 反诈骗 as 防骗, 反诈: probe 117, 一副防诈骗宣传老花镜 is a gift)
                         r"(?:防骗|反诈骗|防诈骗|反诈)(?!骗)(?![^,，;；。!！?？]{1,4}?(?:海报|视频|推文|漫画|动画|展板))(?!知识|答题|竞赛|挑战|打卡|闯关|有奖|文章|推文|海报|视频|漫画|动画|宣传|主题|活动|周|月"
                         r"|专区|专栏|手册|展板|指数|测评|测验|提醒服务|服务(?!热线)|功能"
                         # (an event about it, 来听养老防骗讲座; not a heading over a warning, 反诈课堂：遇到…请远离)
                         r"|(?:讲座|课堂|讲堂|宣讲|培训|沙龙|专场|座谈|小剧场|演出)(?!会?[:：】]))|冒充|谨防|警惕|提高警惕|一律是|"
                         r"(?:有人|不法分子|骗子|他人|犯罪分子|诈骗分子)冒用|冒用[^,，。]{0,8}?(?:名义|名号|身份|品牌|标识)|(?<!被)(?<!防止)(?<!以防)(?<!避免)(?<!以免)(?<!防)骗取|都是假|(?:这|此|以上|上述)(?:条|则|个)?(?:消息|说法|信息)?(?:是|都是|纯属)假的|别信|莫信|莫听|别听|不要听|一律别理|一律不理|千万别(?!挂|忘)|不要相信|请勿相信|凡是[^。！？]{0,60}?(?:都|统统|一律|均|全)(?!(?:可以?|能|将|会|有机会)?(?:兑换|领取|获得|得到|领|参与抽奖|参加抽奖|抽奖|赢取|获赠|收到))|但凡|"
                         r"错误的?说法|是错误的|谣言|误区|误解|(?:以为|总觉得|都觉得|误认为)[^。！？]{0,30}?(?:其实|实际上|事实上|分清楚|区分清楚|(?:这|那)(?:话|种说法|个说法)?(?:现在|已经|早就)?(?:是|就)?(?:不对|错了|误会))|过去式|(?:已|已经|均已|已陆续|陆续)转型|(?:成为|已成|早成|成了)历史|退出历史舞台|(?:被|已经?|早已|早就)打破|禁止|叫停|"
                         r"声称|号称|宣称|鼓吹|谎称|打着|听人说|听别人说|陌生链接|假链接|钓鱼链接|上当(?!前|日|天|月|年|时|地|期|晚|周)|(?<!别)(?<!不要)挂(?:断|掉)|统统(?:都?是|挂|(?<!息统统)(?<!费统统)不要|别|拉黑|删)|陌生人|不法分子|犯罪分子|自称|假冒|仿冒|(?<!向好友)(?<!向朋友)(?<!向亲友)(?:索要|索取)|"
                         r"(?:如|若|如果|假如|要是)有人|有人(?:私信|来电|打电话|发短信|发消息|加你|加您|找你|找您)|有(?:老乡|朋友|客户|邻居|网友)说|"
                         r"被(?:要求|索要|诱导|引导)(?!本人)|(?:反映|投诉|反馈)[^,，。]{0,4}?曾?被人?(?:称|说|告知)|"
                         r"多(?:留)?个心眼|留个心眼|(?:如|若|如果|假如)有[^,，。]{0,6}?(?:人员|员工|机构|页面|网页|网站|链接|短信|电话|来电|平台)|(?:如|若|如果)对方|任何人(?:让|要|叫|要求|向)(?:您|你)|(?:对方|骗子|那人|此人)[^,，;；。]{0,4}?(?:让|要|要求|叫|诱导)(?:他|她)|(?:对方|骗子|那人|此人)[^,，;；。]{0,4}?(?:引导|诱导)|有人说|网上说|(?:以前|原来|过去|之前)(?:总|一直|还)?(?:觉得|以为|认为)|(?<!什么时候)(?<!哪里)听说[^。!！?？]{0,60}[?？]|误以为|误认为|(?:有的?|不少|很多)(?:客户|人|家长|父母|投资者)把(?!关)(?![^,，;；。!！?？]{0,8}?赚(?:出来|回来|到))|(?<!我们会)(?<!我们将)(?<!我们)(?<!本行)(?<!我行)(?<![我本]行[将会就])(?<!我们就)以[^,，;；。]{0,8}名义|网传|传言|不实|辟谣|"
                         # a question says nothing (还保本吗？, 还能找到更高的吗？), nor one that urges (还在观望吗？)
                         r"还(?!在(?:观望|犹豫|纠结|等)|[^,，;；。!！?？]{0,8}?(?:比[^,，;；。!！?？]{0,8}?更|第二))"
                         r"[^,，;；。!！?？]{0,10}吗(?:[?？]|$)|是否[^。!！?？]{0,12}(?:[?？]|$)|"
                         r"一定[^。!！?？]{0,16}吗(?:[?？]|$)|"
                         # a term retired (“预期收益率”的说法已停用), not a device or card about to be (probe 121:
                         # 您的POS机即将停用，请…回复), nor a threat that something will be cut off, 逾期将停用, which
                         # scammers make (probe 120), nor one put on a date (probe 174: 收款码将于本月底停用)
                         r"(?<!即将)(?<!将被)(?<!将)(?<!被)(?<![底前后号日天])停用|废止|不再使用|误导|"
                         # what a seller may say, and the reader told to refuse it (如遇…称“…”，请拒绝)
                         r"请拒绝|请予拒绝|请立即拒绝|立即拒绝|诱导|诱饵|为名(?:的|义)|"
                         # a message disowned (“申购送好礼”信息并非本行发布，请注意甄别)
                         r"甄别|(?:非|不是)(?:本行|我行)的?(?:发布|官方|发起|行为|所为)|任何情况下[^。!！?？]{0,4}?(?:都|均|也)?(?:不会|绝不|决不)|(?:近期|网上)流传的?")
QUOTE_MARKERS = ("警惕", "谨防", "所谓", "关于", "对于", "何谓", "天天喊", "整天喊",
                 "您提到的", "您说的", "来问", "常问", "您所说的", "您问的", "您问到", "您咨询的", "您建议我们公布",
                 "骗子常说:", "骗子会说:", "骗子说:", "留言问", "网友问", "读者问", "人问", "家长问", "客户问")
# A word in quotation marks followed by one of these is talked about, not said (“保本”二字已成为历史).
MENTIONED = Pattern(r"[二两三四]个?字|一词|这个词|这个说法|的说法|这种说法|的字样|字样|等字眼|等词|这(?:类|些|几个)词"
                       r"|等说法|等表述|指的?是|这(?:[种类样]的?|些)话|[,，]?[^,，。]{0,8}(?:不准确|错误|误导性?|不当)的?(?:说法|表述|提法|用语)"
                       r"|的?表述(?:有误|不当|不准确|不完整)|属于?不规范|[是为][^,，。]{0,10}的(?:说法|宣传|话术)|这类话术|等话术"
                       r"|噱头|(?:并?不是|并非)[^,，。]{0,10}(?:标准|依据|关键|[说提叫]法|术语)"  # 告别“秒批”噱头
                       # probe 108: a run of them trailing off into what they are (“关注领红包”……这些套路)
                       r"|(?:\.{2,6})?(?:这些|这类|这种|此类|等)(?:套路|话术|说法|伎俩)"
                       # a term asked about (“理财存款”到底是啥？ “X”是什么产品——)
                       r"|(?:到底|究竟)?(?:是啥|是什么|是个啥|什么意思|啥意思)(?:产品|东西)?(?:[?？]|——)")
# The words of a list introduced as forbidden (不得出现：保本、稳赚、零风险; 禁用：秒批、包过) are named, not said.
FORBIDDEN_LIST = Pattern(r"(?:禁用|不得(?:出现|使用|含有)|禁止(?:出现|使用)|严禁(?:出现|使用))"
                            r"[^。!！?？:：]{0,8}[:：][^。!！?？]{0,200}$")
# A question answered no right after it: what the question said is refuted (理财和存款一样吗？不一样。).
_SAYS_NO = "不是|不会|不能|不可以|不行|当然不|并非|没有|没[喇啦了]|否|请不要|不要|不存在|别点|别信|千万别|(?:是)?假的"
# What marks an answer (答：, 客服：) right after a question; a frank lead-in to a no (…有保障吗？”坦白说，没有).
ANSWER_MARK = "(?:(?:小编|编辑|客服|柜员|工作人员)?(?:答|回复|答复|回答)|客服)[:：]"  # 170: 小编回复：
_FRANKLY = "(?:(?:坦白|老实|实话|说实话|坦率地?)(?:讲|说)?[,，:：]?)?"
NEGATIVE_ANSWER = Pattern(rf'[?？]"?\s*(?:{ANSWER_MARK})?{_FRANKLY}(?:不一样|并不|{_SAYS_NO}'
                          # the asked word echoed and denied (真的能秒批？所谓“秒批”并不存在)
                          r'|(?:所谓)?"[^"]{1,10}"(?:并|根本|其实|压根)?(?:不存在|是不存在的|不可能|是假的|是噱头))')
# An answer marked as one that says no answers any question (贷款“零门槛”？答：不是。)
ANSWERED_NO = Pattern(rf'[?？]"?\s*(?:答[:：]\s*(?:{_SAYS_NO})|没有的事|想多了|并非如此|其实不然|不是这样|当然不是'
                      r'|别只看|别光看|那可不一定|不一定|未必|没(?:有)?人能(?:保证|打包票|预测)|谁(?:也|都)说不准|(?:我们|我行|本行|咱们?|咱行)(?:从来|从|一律|绝)?不(?:做|搞|晒|发|说|讲|干|玩|承诺|打包票)(?:这个|这种|这些|这套)?(?=[。!！]))')
# (零门槛？想多了。 低风险？别只看字面。 明年涨两成？没人能保证. 晒收益？我们不晒: a practice echoed and refused)
YES_NO_QUESTION = Pattern(r"吗$|吧$|是不是|是否|能不能|会不会|可不可以|有没有"
                          r"|真(?:的|能|会|可以|有)[^,，;；]{0,12}$")  # (…真的能秒批？ asks without 吗)
# A product said to have nothing to do with it (与存款、理财等产品购买无关) is not offered there; what is
# said not to follow from it (过去没有出现亏损并不代表以后不会亏损) is not claimed, nor are words listed as
# words (保本、零风险等词一律不得使用).
# (probe 109: 不与任何积分、奖励挂钩, the link denied with the things named between)
UNRELATED = Pattern(r"无关|不挂钩|不(?:与|和|跟|同)[^,，;；。!！?？]{0,12}?挂钩"
                    r"|(?:并|也)?不(?:代表|意味着|等于|预示)"
                    # named as a kind of word (“最好”“最优”等绝对化用语)
                    r"|等[^,，;；。!！?？\"]{0,5}?(?:词|字眼|说法|表述|用语|话术)|这(?:[两二三四五六七八九十几]个|几个|些|类)(?:字|词)"
                    # refuted or said not to exist after it (零风险的说法并不成立, 零风险的交易并不存在)
                    r"|(?:的|这种|这个|这类|此类)(?:说法|提法|观点)[^,，;；。!！?？]{0,4}?"
                    r"(?:不成立|不对|不正确|不准确|错误|站不住脚|是假的|不靠谱)|的(?:交易|产品|投资|理财|生意|买卖|好事)(?:是)?(?:并|根本|压根)?不存在")

# --- contexts (§0.3) ----------------------------------------------------------------------------------
CALLS = ("购买", "认购", "申购", "起购", "开放认购", "发售", "募集", "在售", "限时", "抢购", "立即", "马上", "扫码",
         "点击", "一键", "办理", "开通", "申请", "可贷", "可借", "放款", "下载", "预约购买", "欢迎咨询办理", "投保",
         "存入", "快来", "赶快", "赶紧", "抓紧", "入手", "上车", "选购", "速来", "还在等什么", "跟上", "加入他们",
         "名额有限", "大胆买", "放心买", "就选它", "轻松借", "轻松分期", "当天到账", "在线开立", "咨询本行", "热销",
         "申领", "就找我们", "来我们这", "详询客户经理", "就能借", "都能借", "都能分期", "一步到位", "轻松搞定",
         "要是我", "换作是我", "如果是我", "起售", "开售", "找我聊", "就能办", "值得托付", "看过来", "也能贷",
         "来网点看看", "放心把钱交给", "手慢无", "办卡",
         # probe 111: who else may have it (应届生也能办, 白户都能办)
         "也能办", "都能办",
         # probe 110: 来我们这 in the rural 咱 (年底存钱就来咱这)
         "来咱这", "来咱们这", "来咱社", "来咱行",
         "重点推", "主推",  # staff told what to sell (晨会布置：重点推快贷)
         # probe 117: the reader invited in (欢迎进来喝杯茶，聊聊个人养老金开户)
         "欢迎进来",
         # probe 120: a first loan's discount (首借立减30元), an investment's minimum (起投); English (apply now)
         "首借", "起投", "apply now", "apply in the app", "apply today", "apply online",
         # probe 119: a host's 跟 (家人们闭眼跟); a livestream's comment asked for (评论区扣1)
         "闭眼跟", "链接已挂", "已挂链接", "放心大胆上", "就对了", "拿得越多", "评论区扣", "公屏扣",
         # credit to be used now, paid later (毕业前先用着咱的信用卡分期, 换手机的钱先借着用)
         "先用着咱的", "先用着我们的", "先借着用")
# A call word that offers nothing: a generic service instruction (办理业务请认准…) or a guide's title
# (外汇业务办理指南), one asked about or set aside (与是否购买基金无关, 无论购买与否), the documents it
# takes (需凭本人有效身份证件办理), its time (以办理时牌价为准), a need (请按真实需求办理) or a channel
# advised (请通过官方渠道购买).
GENERIC_CALLS = ("办理业务", "办理指南", "办理须知", "办理流程", "办理时", "办理前", "购买前", "选购前", "认购前",
                 "申购前", "投保前", "募集资金", "申请条件", "立即报警", "立即挂断", "立即拨打110",
                 "可购买", "投保机构",  # (a bank insured by deposit insurance: 投保机构按规定缴纳保费)
                 "放款前", "放款后",
                 # probe 118: alerts turned on to guard an account sell nothing (建议开通借记卡消费提醒)
                 "开通消费提醒", "开通短信提醒", "开通交易提醒", "开通动账提醒", "开通借记卡消费提醒",
                 "开通账户变动提醒",
                 # probe 122: the moment of buying, explained (为什么认购理财时App要我输入验证码)
                 "认购时", "申购时", "购买时", "认购理财时", "申购理财时", "购买理财时", "申购基金时", "购买基金时")
NOT_CALLING = ("是否", "无论", "不论", "证件", "身份证", "需求", "官方渠道", "正规渠道", "学生客户")
WARNING_MARKERS = ("警惕", "谨防", "骗局", "诈骗", "套路", "防范", "识别", "甄别", "切勿", "陷阱", "上当", "防骗",
                   "反诈", "误区", "谣言", "过去式", "成为历史", "退出历史舞台", "被打破", "暗藏", "小心", "远离",
                   "辨别", "分辨", "安全课", "举报", "退群", "提防", "当心", "留意那些", "后来才明白", "独立判断",
                   # probe 92: two things told apart, a quiz and its answer (146: two things wrongly taken as one)
                   "请勿混淆", "切勿混淆", "不要混淆", "正确答案", "混为一谈",
                   # histories, staff training and notices about what may not be said (行史回眸, 【内训】禁用语)
                   "行史回眸", "行史", "大事记", "时代的结束", "内训", "合规培训", "合规提示",
                   "禁用语", "禁用词", "禁用", "员工培训", "内部培训", "员工须知",
                   "表彰通报", "各网点注意", "各网点须", "各网点应", "家长课堂", "【投教】", "投教讲座", "投教课堂",
                   # a correction that quotes what was wrongly said (更正：原推文“保本保息”的表述有误)
                   "更正", "勘误",
                   # explaining is not selling either, unless the text also calls to act
                   "什么是", "什么意思", "什么叫", "怎么分", "怎么区分", "如何区分", "学会算账",
                   "小知识", "科普", "一文看懂", "一文读懂", "一文讲清", "一文说清", "投资者教育", "知识课堂",
                   "宣教", "消保", "知多少", "知识普及",  # probe 129: 【利率知多少】; probe 172: 本文仅为金融知识普及
                   "轻信",  # the reader told not to believe what it quotes (专家“喊单”推荐产品，别轻信)
                   # probe 114: how to check a product is real (输入编码查真伪)
                   "查真伪", "辨真伪", "验真伪", "案例复盘", "虚假宣传", "立即报警",
                   # probe 122: a quoted claim to be met with care (看到'预计年化8%'之类的说法，请谨慎对待); probe 119:
                   # someone's gain said to be no guide to the reader's (别人的收益不代表你的收益)
                   "谨慎对待", "不代表你的收益", "不代表您的收益", "的收益不代表您", "的收益不代表你")

SUBJECTS: dict[str, tuple[str, ...]] = {
    "wealth": ("理财", "理财产品", "净值型", "现金管理类", "固收", "养老理财", "资管", "资产管理", "信托计划",
               "结构化票据", "结构性票据"),  # a structured note sold as wealth
    "fund": ("基金", "公募", "货币基金", "指数基金", "债基", "etf", "fof", "lof"),
    "structured": ("结构性存款",),
    "deposit": ("存款", "定期", "定存", "活期", "大额存单", "存单", "储蓄", "存钱", "存进", "首存", "整存整取",
                "新资金", "零存整取", "通知存款", "存在我行", "存在本行", "存我行", "存到我行", "存银行", "转定期",
                "存入", "新存", "存满", "他行资金",  # (他行资金转入本行: money brought in, as 新资金)
                "转到我行", "转入我行", "转到本行", "转入本行"),  # probe 119: a pension moved in
    "loan": ("贷款", "借款", "借钱", "信用贷", "消费贷", "经营贷", "房贷", "车贷", "快贷", "授信", "放款", "下款", "贷",
             "随借随还", "周转金", "装修分期", "医美分期", "分期贷", "购车分期", "汽车分期", "车辆分期",
             "借1万", "可借", "能借", "也能借", "日息", "月息", "日利率", "教育分期", "学费分期",  # probe 175
             "支用", "周转资金",  # probe 115: drawing on a credit line, working capital lent
             # probe 119: money advanced until the borrower can pay, a business's working capital
             "帮你垫着", "帮您垫着", "先垫着", "经营周转", "先用后付", "先享后付", "白条"),  # (buy now, pay later)
    "card": ("信用卡", "信用卡分期", "账单分期", "现金分期", "分期付款", "取现", "预借现金", "透支"),
    "insurance": ("保险", "保单", "寿险", "年金险", "分红险", "万能险", "增额终身寿", "增额寿", "保费", "投保", "人寿",
                  "港险", "重疾险", "两全险", "投连险", "投连账户", "万能账户", "承保", "身故保障"),  # 港险: HK's
    "metal": ("黄金", "积存金", "黄金积存", "贵金属", "白银", "金条"), "fx": ("外币理财", "外汇宝", "美元"),
    "campaign": ("红包", "抽奖", "奖品", "中奖", "领取", "立减金", "积分", "优惠券", "代金券", "话费", "礼品", "集赞",
                 "助力"),
}
DESCRIPTORS: dict[str, tuple[str, ...]] = {
    # the mandatory warnings themselves: a text carrying one presents the product (理财非存款, 基金有风险)
    # (代销 alone is a report's or a staff notice's word: 理财产品余额（含代销）, 各网点代销保险时)
    "wealth": ("业绩比较基准", "比较基准", "起购金额", "开放期", "封闭期", "本行代销", "我行代销",
               "代销机构", "理财非存款"),
    "fund": ("基金代码", "申购费", "赎回费", "成立以来", "代销", "基金有风险"),
    "deposit": ("挂牌利率", "年利率", "起存", "存入", "送", "赠", "礼", "抽奖", "返现", "赢取", "拎走"),
    "fx": ("点差", "汇差", "双向交易", "波段", "挂单", "挂钩投资", "美元起"), "metal": ("克起", "起购", "金价", "积存"),
    "loan": ("利率", "利息", "日息", "月息", "万分之", "元/天", "低至", "额度", "期限", "计息", "理性借贷", "量入为出",
             "慢慢还"),  # probe 127: credit repaid at leisure (花的钱下个月再慢慢还) describes what is lent
    "card": ("手续费", "费率", "利息", "期数", "服务费", "每期", "年费", "慢慢还", "每月只需", "每月仅需"),
    "insurance": ("投保", "期交", "趸交", "保额", "现金价值", "代理销售", "代销", "交费", "缴费", "犹豫期",
                  "保险责任", "保障至"),
}
# Subjects named by shape rather than by a fixed word: lending as a verb (借2万元, 轻松借, 也能借; not 借记卡,
# 借鉴, 出借) and the approval and credit-check words only credit has.
SUBJECT_PATTERNS: dict[str, Pattern] = {
    # money put in the bank in other words (把钱存到咱们这儿, 每存一万, 养老钱存在我们这里), and a balance kept at a
    # level (月日均余额达1万元), a sum for a term (存二十万三年期), a renewal (到期续存), Deposit RMB 50,000
    "deposit": Pattern(r"把[^,，;；。]{0,3}?钱[^,，;；。]{0,2}?存(?:到|在|进)"
                       r"|每存(?:满)?[\d一二三四五六七八九十两百千万]|新开(?:一|二|两|三|五|\d)年期"
                       r"|存(?:在|到|进)?(?:我们|咱们?)(?:这里?|这儿|银行|行)|(?:留|沉淀)在?(?:我们|咱们?|我|本)行|沉淀(?:资金|满|达)"
                       r"|日均余额(?:提升|增加)?(?:达|满|超过?|不低于)|余额(?:达|满)\d|(?:卡|账户)里留满\d|转[到入进]咱们?行"
                       # probe 110: the money named by what it came from or is for (来存打工钱, 存卖粮的钱)
                       r"|存(?:打工|卖粮|卖猪|卖菜|养老|压岁|血汗|辛苦|过年|娶媳妇|盖房|看病|上学|退休|工资)的?钱|存[\d一二三四五六七八九十两百千]+万?元?[一二三五\d]年期|(?<![a-z])deposit\s*(?:rmb|cny|\d)|(?<!连)续存"),
    # instalments, but not a deposit's (分期存入) nor a pension's (分期缴存)
    # (probe 116: or a cost split into instalments, 帮你拆成6期; probe 129: an item split, not a sum lent, iPhone分24期)
    "card": Pattern(r"分期(?!存|缴)|拆(?:成|为|分成)\d+期|(?<![\d万元千百款,，:：借贷])分\d+期(?![存缴交发返送领兑])"),
    "fx": Pattern(r"外汇(?!牌价)"),  # a price board names no product
    # a deposit whose return is linked to a rate, a price or an index is a structured deposit, however it is
    # called (“金利存”是本行特色存款产品，挂钩欧元兑美元汇率)
    "structured": Pattern(r"存款[^。!！?？]{0,20}?挂钩[^。!！?？]{0,8}?(?:汇率|金价|黄金|指数|股指|价格)"
                          r"|挂钩[^。!！?？]{0,8}?(?:汇率|金价|黄金|指数|股指)[^。!！?？]{0,20}?存款"),
    # (a sale's, a payment's or a daily spending quota lends nothing: 额度有限, 购汇额度, 每日消费额度; 凭房产证 does)
    "loan": Pattern(r"(?<![凭假出租])借(?!记|鉴|口|助|此|机|阅|用)|秒批|下款|征信|凭房产证|房(?:产|屋)?抵押"
                       r"|(?<!购汇|结汇|发行|转账|支付|存单|存款)(?<!(?:存单|存款)(?:限时|专属|专享))(?<!每日消费|单日消费|单笔消费|每天消费|每月消费|单月消费)额度(?!有限)"
                       r"|(?:急|缺)用?钱|资金周转|帮(?:你|您)(?:们)?周转"
                       # probe 116: interest now, principal later (毕业前只还利息，入职后再还本金): a loan's repayment
                       r"|(?:只|先)还利息|(?:再|后)还本金|先息后本"
                       # probe 121: a business financed (凭发票融资; not 融资融券, 融资租赁), funds drawn (用款成本),
                       # receivables turned into cash (把应收账款变现), an approval given in seconds (30秒出批复)
                       r"|融资(?!融券|租赁)|用款(?:成本|期限|额度|利率|利息|费用|需求)|应收账款[^,，;；。]{0,2}?(?:变现|融资|质押)"
                       r"|(?:(?<!\d)\d+|[一两三几半])(?:秒|分钟)(?:内)?出?(?:批复|审批结果)"
                       r"|审批结果|(?:提交|申请)[^,，;；。]{0,3}?(?:当场|立马|马上|立刻|当即)就?出结果"
                       # probe 120: an application turned down elsewhere (被别家拒了？来这儿试试) was for credit
                       r"|被(?:别家|别的银行|其他银行|其他平台|他行|其他机构)拒"
                       # probe 123: money repaid slowly once the borrower earns (毕业后再慢慢还)
                       r"|(?:毕业|工作|入职|上班)(?:了|以?后)(?:再慢慢|慢慢再)还"
                       # probe 123: a cash line called 备用金 offered as a product (激活“备用金”, 备用金额度, 备用金：);
                       # money kept aside (生活备用金, 适合放日常备用金) is no loan
                       r"|(?:激活|开通|领取?|申请|支用|提取|借)[^,，;；。]{0,4}?备用金|备用金(?=额度|贷|\"|[:：])|\"备用金"),
    # a fund named by its share class (probe 113: 纯债C) or by its type closing a title (probe 129: 【…成长股票】)
    "fund": Pattern(r"(?:债券|纯债|短债|中短债|偏债|混合|股票|指数|增强|联接)[ac](?![a-z])"
                    r"|【[^】,，。]{2,10}?(?:股票|混合|债券|纯债)】"),
    # not a context: a fund's regular investment plan (定投), named only where no gold is (text.names); 定 ending
    # another word (决定投保, 确定投资, 一定投入) plans nothing (probe 108)
    "fund_plan": Pattern(r"(?<![决确规约认制设锁指选肯一稳固判否既特限预商敲审裁鉴])定投"),
}

# A risk level with its value (风险等级R2, 中低风险（R2）) presents a product; the words alone explain a scale.
# A level that sorts products in general (风险等级为R1（低风险）的产品也不等于存款) presents none.
_RISK_LEVEL = (r"(?:(?<![a-z])r[1-5](?!\d)|风险等级[:：为是]?(?:中低|中高|低|中|高))"
               r"(?![^,，;；。]{0,8}?的产品(?:也|都|同样|并|仍|均))")
DESCRIPTOR_PATTERNS: dict[str, Pattern] = {  # (a registration code with its value, not 登记编码可在中国理财网查询)
    "wealth": Pattern(_RISK_LEVEL + r"|第[\d一二三四五六七八九十]+期|登记编码[:：为是]?[a-z]?\d{6}"),
    "fund": Pattern(_RISK_LEVEL),
    # a price per day or month (借1万元每天仅需1.5元, 贷款费率每月0.3%) quotes the loan
    "loan": Pattern(PER_PERIOD_AMOUNT + r"|(?:费率|利率|利息)(?:每月|每日|每天|按月|按日)?(?:低至|仅|只要|为)?"
                       r"\d+(?:\.\d+)?%|年化[^,，;；。]{0,8}?\d+(?:\.\d+)?%|最长\d+期"),
    # instalments priced or counted, a cash advance's fee priced (预借现金按取现金额收取1%的费用)
    "card": Pattern(r"年化[^,，;；。]{0,8}?\d+(?:\.\d+)?%|分\d+期|\d{1,3}期分期|拆(?:成|为|分成)\d+期"
                    r"|收取\d+(?:\.\d+)?%的?(?:费用|手续费|服务费)"),
}
ALWAYS_PROMOTIONAL = frozenset({"structured", "campaign"})
FINANCIAL = frozenset({"wealth", "fund", "structured", "deposit", "loan", "card", "insurance", "metal", "fx"})
CONTEXT_NAMES = tuple(SUBJECTS)

# A notice about the customer's own account (您的贷款本期应还…) or about prices in force (利率调整公告)
# quotes amounts, rates and products without offering anything; unless it also calls to act.
# The bank speaking of itself (本行, and in the branches' words 咱行, 我们行).
OUR_BANK = ("本行", "我行", "咱行", "咱们行", "我们行")
# 最好 opening a clause or said to the one advised (养老金到账后，最好分成几份; 您最好带上身份证) advises; 最好的,
# X最好 and 最好用 rank something.
ADVICE_BEST = Pattern(r"(?:(?<=[,，;；。!！?？:：\n您你咱])|(?<=大家|各位|我们|咱们|老人|平时)|^)"
                      r"最好(?!的|不过|之一|用|看|听|吃|玩|[,，;；。!！?？\"]|$)")
# (money said to lie in your account, 就已经躺在您的账户里, is a selling image, not a notice: probe 115)
# (probe 120: the customer's own mortgage repriced, 房贷利率调整通知：…您的房贷执行年利率…调整为3.25%)
SERVICE_NOTICE = Pattern(r"(?<!躺在)(?<!躺进)(?<!飞进)您的(?:贷款|信用卡|账户|借款|房贷)|利率调整通知|"
                            r"您持有的|本期应还|应还(?:本金|金额|款)|还款提醒|"
                            r"到期日前还款|(?:利率|收费|费率|价格)调整公告|收费调整|重定价日|存款保障计划|"
                            r"最低还款"  # how a card's minimum repayment and its interest work
                            # a channel's new features (手机银行已升级，登录后可查看…)
                            r"|(?:手机银行|网上银行|网银|app|公众号)[^,，;；。]{0,2}(?:已)?(?:完成)?(?:升级|改版|更新)"
                            r"|登录后(?:即)?可查看"
                            # the customer's own loan named by its product, and what has happened to it
                            # (您的薪享贷借款已于11月20日结清)
                            r"|您的[^,，;；。!！?？]{1,8}?(?:贷款|借款|分期)(?:已|将于|于)")
# A warning word naming a service offered beside an offer (反诈讲座, 防骗展板) does not make the text a warning.
# (probe 91: 反诈知识讲座; probe 100: 反诈宣传活动)
# (probe 113: 识别 a QR code scans it, 长按识别海报二维码, and warns of nothing)
A_SERVICE = Pattern(r"(?:知识|宣传)?(?:讲座|展板|专区|专栏|手册|服务|活动)|宣传(?:周|月|日)(?:期间|活动)"
                    # probe 117: goods printed with the message and given away (防诈骗宣传老花镜, 反诈宣传扇)
                    r"|宣传(?:品|册|单页?|折页|扇|袋|杯|伞|围裙|老花镜|环保袋|手提袋|纸巾|小礼品|礼品)"
                    r"|(?<=识别)(?:图中|图片|海报|下方|上方|文末|左侧|右侧)?(?:中|上|里)?的?(?:二维码|小程序码)"
                    r"(?![^,，;；。]{0,2}?(?:真伪|真假|是否|风险))")
# A text that says it sells nothing (比赛不推介任何金融产品, 本文不涉及任何具体产品推介) and calls for nothing
# is read as education: the customer it tells of is a story, not a testimonial.
OFFERS_NOTHING = Pattern(r"不(?:推介|推荐|销售|涉及)(?:任何|具体){1,2}[^,，;；。]{0,8}?产品"  # 任何信贷或投资产品
                         r"|第[一二三四五六七八九十\d]{1,3}讲[:：]")  # probe 93: a numbered lesson (第三讲：)
# An operations notice (系统升级, 功能暂停, a purchase's step: 购买时需输入密码) names products and even 购买 unoffered.
OPERATIONS_NOTICE = Pattern(r"系统(?:升级|维护)|不以(?:存款|购买|办理)[^。!！?？]{0,16}?为(?:参与|参加)?(?:条件|前提)"
                               r"|暂停[^,，;；。]{0,4}?(?:服务|业务|办理|使用|交易)|功能暂停|敬请谅解"
                               r"|给您带来不便|营业时间(?:调整|安排)|(?:产品|信息|资质)公示|(?:签约|开通|办理|申购|认购|购买)成功[:：]|您尾号\d{4}的"
                               r"|(?:购买|申购|认购|赎回|交易)[^,，;；。]{0,6}?时[,，]?(?:需要?|须|请)(?:输入|填写|核对|确认|验证)"
                               r"|(?:印花税|个人所得税)[^。!！?？]{0,24}?(?:计税|缴纳|代扣)")  # a tax, not a price
# So does a job advert (信贷岗, 个人贷款部实习生): the products are departments, the applicants are staff.
JOB_ADVERT = Pattern(r"招聘[^。]{0,40}?(?:岗|实习|简历|网申|投递|五险一金|底薪)|(?:岗位|实习生|简历)[^。]{0,40}?招聘"
                        r"|【招聘】")

# A gift's conditions told after it (抽奖资格获取方式：…新增大额存单5万元): the gift is for what follows (probe 92).
GIFT_CONDITIONS = Pattern(r"资格(?:获取|获得)?(?:方式|条件)|获取方式|参与(?:条件|方式)|(?:抽奖|领取|兑换)条件"
                          r"|(?:即可|方可|才可|才能|叠加)使用")  # a coupon used once, or stacked as, you deposit

# Products named without making the text or sentence about them. Mandatory disclaimers name other products
# ("理财非存款"), deposit insurance (存款保险) protects a deposit; a safe, the card centre, a pledge (理财份额质押).
# So do products said not to be deposits (银行代销的理财、基金、保险都不是存款) or to have nothing to do with
# the offer (本活动与存款、理财、基金购买无关, 不与开户、存款挂钩), the deposits an investment holds
# (主要投资于信用债和同业存单), a deposit as the yardstick of a likeness or comparison (和存款一样方便,
# 比存款收益高, 比放活期强多了), and the kinds of product an account holds, listed (可以选购储蓄存款、理财、
# 基金和保险等产品). 息差 (a margin) is not read either: its 息 would make 本月息差 a 月息, a loan's price.
# Every part is bounded (a clause, a list of a few items): it is searched from every position of a text that
# may be 20,000 characters long, so an unbounded part would cost the square of the length.
NAMED_IN_PASSING = Pattern(r"理财非存款|息差|保险箱|保险柜|信用卡中心|(?:理财|基金|保单)(?:份额)?(?:质押|作质押)"
                              # probes 123, 131: a habit taught (理财意识), a title over a fund (【她理财】…基金)
                              r"|理财(?:意识|观念|习惯|素养)|【[^【】。]{0,8}?理财】(?=[^。!！?？]{0,20}?基金)"
                              # regularly, not a term deposit (按合同约定定期给付年金, 定期评估风险承受能力)
                              r"|定期(?=给付|支付|领取|发放|返还|缴|交费|检|体检|更新|评估|复核|推送|开展|举办|回访|提醒|保养|维护|维修|清洗)"
                              r"|不等于(?:将资金作为)?存款|不同于一般性存款|存款保险(?:基金)?|被保险存款|投保机构|存入(?:您|你)的?基金账户"
                              # (what deposit insurance charges the banks: 投保机构…缴纳保费)
                              r"|(?:缴纳|交纳|缴交)[^。!！?？;；,，]{0,6}?保费(?=[^。!！?？]{0,20}?投保机构)"
                              # (the whole list of assets a product invests in: 投向存款、同业存单)
                              r"|(?:投资于|投向|配置于|主要投资|底层(?:资产)?(?:主要|大多|多|全|都)?(?:以|是|为|投向|配置))[^。!！?？;；,，]{0,40}(?:存单|存款)"
                              r"|[和跟同与](?:贷款|借款|借钱)的?(?:利息|利率)?(?:不是一回事|是两回事|无关|没关系)|[和跟同与]存款一样|等同于?存款|比(?:定期)?存款|比(?:放|存)?(?:在)?(?:活期|定期|银行)"
                              r"|(?:超过|跑赢|高于|好过|强过|胜过)(?:银行)?(?:的)?(?:定期|活期|存款|存单)"
                              # probe 116: a deposit as the yardstick of a multiple (利息却是活期的好几倍)
                              r"|(?:是|为|相当于|达到?)(?:银行)?(?:活期|定期|存款|存单)(?:利息|收益|利率)?的"
                              r"(?:好几|几|\d+(?:\.\d+)?|[两三四五六七八九十])倍"
                              # gold won or listed with prizes is no gold product (抽中金条; probe 129: 金条、购物卡)
                              r"|(?:抽中|抽到|赢取|赢得|送|赠送?|奖励?)(?:一根|一块|一枚|\d+克)?(?:金条|金豆|金币|金饰)"
                              r"|(?:金条|金豆|金币|金饰)(?=[、和][^。!！?？,，]{0,10}?(?:卡|红包|话费|等(?:你|您)))"
                              r"|[^。!！?？;；,，]{0,40}?都?(?:不是|并非|不属于)存款"
                              # probe 92: products a gift does not depend on, or that earn no points
                              r"|不以[^。!！?？;；,，]{0,20}?为(?:参与|参加|领取)?(?:条件|前提)"
                              r"|[^。!！?？;；,，]{0,20}?(?:不累积|不累计|不积累|不计)积分"
                              # probe 107: 不涉及贷款或授信; probe 129: a loan's uses ruled out (不得用于购房及投资理财)
                              r"|(?:不涉及|不包括|不包含|不属于|(?:不得|禁止|严禁|不能|不可)(?:被)?(?:挪)?用于)[^。!！?？;；,，]{0,20}"
                              r"|[与和跟同][^。!！?？;；,，]{0,30}?(?:无关|不挂钩|是?两(?:码|回)事)|不[与和跟同][^。!！?？;；]{0,30}?挂钩|[与和跟同][^。!！?？;；,，]{1,12}?(?:不同|有别)(?=[,，;；。])"
                              r"|(?:[^、,，;；。]{1,8}、){2,6}[^、,，;；。]{1,8}等(?:产品|业务|品种)|(?:每年[\d,]+元|年度|缴存|抵扣)额度|(?:自选|任选|可选|包括|包含|涵盖|分为)(?:[^、,，;；。]{1,8}、){1,6}[^、,，;；。]{1,8}(?:产品|业务|品种)"
                              # things a branch lends its visitors (共享雨伞人人可借): no money lent
                              r"|(?:雨伞|伞|充电宝|轮椅|老花镜|图书|书籍|雨衣|雨具|药箱)\"?[^。!！?？,，]{0,8}?"
                              r"(?:可借|借用|借阅|借取|借还)"
                              # a pot saved for a purpose (旅行基金) is no fund; a fee table of card kinds lends nothing
                              r"|(?:旅行|旅游|结婚|婚礼|应急|买车|装修)基金|借记卡[^。!！?？]{0,3}?\d[^。!！?？]{0,10}?贷记卡"
                              # probe 105: a deposit said not to be needed (无需存入资金) names none
                              r"|(?:无需|无须|不需要?|不用|不必)(?:任何)?(?:存入|存款|存钱)(?:任何)?(?:资金)?"
                              # probes 105, 170: cash from a debit card (借记卡…取现, 不能透支) is no credit
                              r"|(?:借记卡|储蓄卡|工资卡|社保卡|校园卡|学生卡)(?:(?!信用卡)[^。!！?？]){0,30}?(?:取现|取款|透支)"
                              r"|取现[:：](?=[^。!！?？]{0,6}?(?:借记卡|储蓄卡))"
                              # probe 117: a debit card paid back into (红包返到您的储蓄卡) is no savings product
                              r"|(?:返|发放|打|转|退)(?:还)?(?:至|到|入|进)(?:本人|您|你|客户)?(?:名下)?的?(?:储蓄卡|借记卡)")

# A scale of risk levels (分R1到R5), or the lines the bank sells for others (代销的理财、基金), describe no product.
SCALE = Pattern(r"r1\s*(?:到|至|-|~|—)\s*r5|风险等级分|代销的?(?:理财|基金|保险)(?:产品)?[、和及与](?:理财|基金|保险)")

# A plain account or debit card: a sentence naming one is about it, not about the loan in the next sentence.
PLAIN_ACCOUNT = Pattern(r"借记卡|储蓄卡|社保卡|工资卡|银行账户|结算账户|电子账户")
# ... unless it is only where money is paid (返现于次月发放至本人借记卡): the sentence is about the payment.
PAID_INTO_ACCOUNT = Pattern(r"(?:至|到|入|进)(?:本人|您的?|客户)?(?:名下)?的?(?:借记卡|储蓄卡|社保卡|工资卡|银行账户"
                               r"|结算账户|电子账户)")
