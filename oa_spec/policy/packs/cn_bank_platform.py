"""cn-bank text finders for WeChat platform conduct (compliance.md §4): sharing, following and clicking
induced by a reward or a gate, and modules whose mechanics reward sharing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from oa_spec.policy.disowned import none_before
from oa_spec.policy.negation import clause_end, clause_start, negated, sentence_bounds
from oa_spec.policy.packs.textkit import inside_ordinary_word
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.rules import Hit
from oa_spec.policy.subjects import AccountView
from oa_spec.policy.text import Match, Text, find_pattern
from oa_spec.policy.vocabulary import JOB_ADVERT, UNRELATED

# --- WeChat platform rules (§4) --------------------------------------------------------------------------
# Texts arrive normalised, English read back: send去 and 个like are 发送去 and 个赞 here.
# (分享一点心得, 分享经验: experience told, not a post passed on; 基金经理分享：… heads a talk, 本期分享：… a column)
_SHARE = Pattern(r"分享(?!(?<=(?:经理|专家|老师|嘉宾|首席|学者|博士|大咖|本期|今日|本周|案例|经验|知识|干货)分享)[:：]"
                    r"|会|嘉宾|沙龙|讲座|了|(?:(?:一点|一下|一些|点|些|个)?(?:心得|经验|体会|感悟)|一下我[^,，;；。:：]{0,10}?(?:感受|体验|心得)"
                    # or information told (分享一组数字：…), unless passed on to someone (分享一组数据给好友)
                    r"|(?:一组|几组|几个|一些|一下|一个|个)?小?(?:数字|数据|干货|知识点?|思路|观点|技巧|妙招|攻略))"
                    r"(?![^,，;；。]{0,6}?(?:给|到|至|朋友圈|群|好友)))|"
                    r"转发(?!(?:过)?来的)|转给|转至|转到(?:朋友圈|[^,，;；。]{0,12}群)|"
                    # probe 116: an article made the cover of one's Moments (把本篇文章设为朋友圈封面)
                    r"(?:设为|设成|设置为|换成)朋友圈(?:封面|背景)|"
                    r"发(?:到|至|在|个|条)?朋友圈|拉[^,，;；。]{0,6}?(?:亲戚|人|朋友|好友)进[^,，;；。]{0,8}?群|"
                    r"发(?:到|去)[^,，;；。]{0,10}群|分(?:到|至|进)[^,，;；。]{0,12}?群|"
                    # probe 122: posted on one's Moments (在朋友圈发布…卡片), sent to any group of a size
                    r"在朋友圈(?:发布|发表|打卡|晒|分享|贴出|贴上|转发)|发到(?:任意|任何)?一?个?[^,，;；。]{0,12}?(?:微信|qq)群|(?:甩|丢|扔|推|贴|带|转|传)(?:到|进|去)[^,，;；。]{0,6}群|"
                    r"(?:带去|带到|晒到|贴到|发去|发送(?:去|到|至)|发到)[^,，;；。]{0,4}?朋友圈|(?:挂|留|放)(?:在|到)朋友圈|挂到[^,，;；。]{0,4}?朋友圈|往朋友圈(?:一)?(?:甩|发|丢|贴)|"
                    # a piece passed to friends by count, or friends invited into a group (推给三位茶友, 邀三位藏友进群)
                    r"(?:推|转|发|分享)给(?:[一二三两四五六七八九十]|\d+|几)(?:位|个|名)[^,，;；。]{0,2}?友|邀(?:请)?[^,，;；。]{0,6}?友进[^,，;；。]{0,6}?群|"
                    r"(?:凑够|凑满|凑齐|找够|攒够|集够|集满|集齐|攒满|储够|存够|点满|收满)[^,，;；。]{0,4}?(?:人|位|个赞|个?小?(?:红心|爱心))|组队|(?:一键)?三连|"
                    # help given in the idiom (帮同事助一把力)
                    r"助(?:一把|把|个)力|"
                    r"朋友圈(?:里|上)?(?:发出|发布|晒出)|"  # the order turned (朋友圈发出你的号码牌)
                    # (or said in passing: 朋友圈发一下今天的海报, 朋友圈晒一条)
                    r"朋友圈(?:里|上)?(?:发|晒|转)(?:一下|一条|一个|个|条|一发)|"
                    # probe 129: a team formed to share the prize (组个5人小队一起开卡，队伍满员每人都能拿18元立减金)
                    r"组(?:个|支|一个|一支|建)?[\d一二三四五六七八九十几]*人?(?:小队|战队|队伍)|"
                    # cards collected from friends (集卡), help given so many times, or ranked by (助力人数前100名)
                    r"(?:好友|朋友|亲友)(?:之间)?(?:可以|可)?(?:赠送|互赠|互送|互换|转赠|助力)|助力(?:满|达|够|人数|次数)|"
                    # probe 93: cards collected, a friend brought through your poster, more invited more paid
                    r"集齐[^,，;；。!！?？]{0,16}?(?:张|套)[^,，;；。!！?？]{0,5}?卡(?!片)|"
                    # probe 108: the missing ones asked of friends (缺的卡片可以找微信好友要)
                    r"(?:找|向|跟|问)[^,，;；。!！?？]{0,4}?(?:好友|朋友|亲友|群友)(?:们)?(?:索要|讨要|要|讨|求)(?![求是])|(?:通过|扫)(?:您|你)的?(?:海报|链接|二维码|邀请码|推荐码)|多邀多得|"
                    r"(?:你的|您的)?专属(?:二维码|码|链接|海报|邀请码|推荐码)|"
                    # a friend who signs up with the sharer's code (好友用它完成注册, 朋友用你的邀请码开户)
                    r"(?:好友|朋友|亲友)(?:们)?(?:用|使用|凭|通过)(?:它|你的|您的)(?:邀请码|推荐码|链接|二维码)?(?:完成|注册|开户|下载)|"
                    r"(?<![晾暴])晒(?!谷|场|太阳|被|衣|干|伤|黑)|邀请好友|拉新|"
                    # in English: friends tagged in one's Moments (tag 3 friends in your moments)
                    r"(?<![a-z])tag\s*(?:\d+|one|two|three|five|your)\s*friends|"
                    r"拉[^,，;；。]{0,3}新朋友|拉(?:进|入)[^,，;；。]{0,12}?群|"
                    r"(?:发给|发送给|推荐给|喊上|叫上|拉上|带上|(?:喊|叫)(?=[一二三四五两几\d你您]))[^,，;；。]{0,6}?(?:好友|朋友|家人|亲友|同事|同学|邻居|群|小伙伴|伙伴|闺蜜|姐妹|兄弟|室友|屋企人|乡亲|老乡|亲戚|家里人"
                    # friends by a pastime shared (拉上你的跑友, 喊上球友, 带上牌友; probe 170: 拉上旅伴)
                    r"|[跑球茶藏牌驴钓棋骑车书舞拳]友|队友|搭子|旅伴|游伴|旅友)|"
                    r"让(?:你的|您的)?朋友圈(?:都)?看(?:见|到)|点开(?:您|你)(?:发出|分享|转发)的链接|@(?:[一二三四五两几\d]{1,2}(?:位|个|名)?)?(?:好友|朋友)|"
                    r"(?:推荐|安利|介绍|邀请|邀|拉|带)(?!请?(?:您|你)(?:携|偕|和|与|及|同))[^,，;；。]{0,4}?(?:好友|朋友|家人|亲友|同事|新人|新用户|新客户|伙伴|邻居|同学|老友|闺蜜|街坊|乡亲|老乡|亲戚"
                    r"|室友|舍友|同好|挚友|知己|同乡|工友)|"
                    r"(?:好友|朋友|家人|亲友|工友|同事|兄弟|姐妹|同学|邻居|室友|群友|老乡)[^,，;；。]{0,4}?(?:帮忙|帮我|帮你|帮您|点亮|点一下)|点亮|帮(?:他|她|ta|我)点一下|"
                    r"(?:好友|朋友|亲友|帮我|帮忙)助力|(?:为|帮)(?:你|您)助攻|(?:差|缺|求)(?:你|您)(?:的)?(?:一次|一下|一个|一把)?助力|点击帮(?:他|她|ta)|助力(?:值|券|卡|好友)|砍价|砍一刀|集赞|集齐[^,，;；。]{0,4}赞|集满[^,，;；。]{0,4}赞|点赞|集卡|集福|打卡分享|截图给|截图发|"
                    r"截图回复|帮忙扩散|扩散(?:给|到|出去)|"
                    # probe 123: a group buy formed by friends who join (发起拼团后，3位朋友加入即成团)
                    r"拼团|成团|(?:好友|朋友|亲友)[^,，;；。]{0,3}?加入|"
                    # probe 126: a friend brought, counted, described at length (带一位还没开…手机银行的朋友完成注册)
                    # probe 153: or sent the article, counted (把这篇发给两位正在备孕的朋友)
                    # probe 169: a reward counted per person invited (每成功邀请一位到网点听完讲解，次月您都会收到…礼品)
                    r"每(?:成功)?(?:邀请|邀|推荐|介绍|带来?|拉来?)(?:一|1|\d+)(?:位|个|名|人)|"
                    r"(?:带|邀请|邀|拉|推荐|介绍|发给|转给|分享给)(?:一|两|三|几|\d+)(?:位|个|名|家)[^,，;；。]{0,14}?(?:好友|朋友|家人|亲友|同事|邻居|同学"
                    # (or peers by their trade, counted: 邀请三位同校老师一起开通)
                    r"|老乡|同乡|乡亲|亲戚|工友|同行|校友|战友|老师|医生|护士|律师|教师|工程师|家庭|家长|宝妈|宝爸"
                    # (gig workers and shopkeepers by their trade: 邀请两位骑手, 推荐一家商户)
                    r"|骑手|司机|师傅|快递员|配送员|外卖员|主播|商户|店主|老板|商家)")
# A reward or a gate: what the user gets for sharing or following, or what stays locked without it.
_REWARD = Pattern(r"送到(?:你|您)(?:手上|手里|手中|家)|"
                     # probe 136: a welcome gift or a coupon slipped into the card wallet (新人见面礼…自动塞进你的卡包),
                     # money or points appearing on the card (校园卡里会多出20元餐补, 碳账户立刻多出200绿能值),
                     # a gate opened only then (才会为你打开)
                     r"见面礼|新人礼|迎新礼|(?:奶茶|咖啡|电影|观影|零食|外卖|打车|饮品)券|塞(?:进|到)(?:你|您)的?(?:卡包|钱包|账户)|"
                     r"(?:卡|账户|钱包)(?:里|上|中)?(?:会|就会|将|就|立刻|立即|马上|当即)?多出[^,，;；。!！?？]{0,2}?\d+(?:\.\d+)?"
                     r"(?:元|个?[^\W\d_]{0,3}?(?:积分|分|值|豆|币))|"
                     # the same teased rather than counted (钱包里会多出点什么), a lucky bag or a prize opened sooner
                     # for each friend who helps (福袋就提前一天打开)
                     r"(?:卡|账户|钱包)(?:里|上|中)?(?:会|就会|将|就)?多出(?:点|些|一些)?(?:什么|啥)|"
                     r"(?:提前|提早)[^,，;；。!！?？]{0,4}?(?:打开|开启|解锁|开奖)|"
                     r"(?:才|便|就|方)(?:会|能|可)?(?:为|向|对|给)(?:你|您)(?:打开|开放|解锁|开启)|"
                     # probe 123: money given out (送出88元刷卡金), tried before 送 alone (送出 is an ordinary word)
                     r"送出[^,，;；。!！?？]{0,6}?(?:\d+(?:\.\d+)?元|红包|立减金|刷卡金|积分)|"
                     r"红包|现金(?!流|管理|价值)|(?<!比任何)(?<!比什么)奖励|领|得|送|赠|获得|获赠|抽奖|抽取|抽中|抽走|有机会(?:抽|赢|拿)|中奖概率|积分|话费|流量|优惠券|"
                     # probe 107: money handed back (手续费返还20元, 返现) and a gate said with 才可以
                     r"返现|返(?:还)?\d+(?:\.\d+)?元|才可以?|"
                     # probe 109: a membership raised (直接升一级会员，权益立享)
                     r"升(?:[一两二三\d]级|级为?(?:会员|vip|黄金|白金|钻石|黑金))|(?:会员)?权益(?:立享|即享|到手|翻倍)|立享|"
                     # probe 156: a count or a quota doubled for the help (找5位好友帮你点一下，提醒次数直接翻倍)
                     r"(?:次数|机会|积分|额度|奖励|名额|中签率|中奖率|概率)[^,，;；。!！?？]{0,4}?(?:翻倍|翻番|加倍)|"
                     # (福袋中签率直接翻倍); the top places of a ranking by likes paid (点赞数前20名报销一晚酒店)
                     r"前[\d一二三四五六七八九十百]+(?:名|位)[^,，;；。!！?？]{0,3}?(?:报销|免单|包邮|奖|送|得|获)|"
                     # a fee halved or a spread cut for it (结汇手续费直接减半, 点差再让5个点)
                     r"代金券|立减金|体验金|(?:费|点差|汇差)[^,，;；。!！?？]{0,4}?(?:减半|再让\d+个?点)|"
                     # a sum paid into the sharer's account by name (您的账户将自动到账加油金50元)
                     r"(?:加油|充电|养车|洗车)金|到账[^,，;；。!！?？]{0,6}?\d+(?:\.\d+)?(?:元|公里|英里|里程|积分)|"
                     # (miles paid in: 里程账户将额外到账3000公里; a chance to draw a prize: 一次抽旅行箱的机会)
                     r"抽[^,，;；。!！?？]{1,8}?的(?:机会|资格)|"
                     # probe 121: a coupon off a rate or a fee (利率券就多一张, 手续费抵扣券), a fee lowered a notch
                     r"(?:利率|费率|加息|降息|减息|免息|手续费|提额|抵扣|抵用|折扣|满减)券|(?:费率|费|利率|价格?|款)[^,，;；。!！?？]{0,2}?"
                     # (or a sum to pay shrinks with each friend's click, 首期款就少一点, or goes: 首期款直接免掉)
                     r"(?:(?:再|就|即|可)?(?:降|少|减)(?:一档|一级|一截|一点|一些|到|至)|(?:直接|就|即|可)?免(?:掉|去|除|了))|"
                     # a price cut down to nothing by friends' help (一直砍到0元), winners picked among those who shared
                     # (活动结束后从中挑出20位寄出金豆)
                     # probe 157: merchandise mailed to sharers picked from their screenshots (从截图里挑…寄联名周边)
                     r"(?:联名|限定|定制|官方)周边|寄[^,，;；。!！?？]{0,8}?周边|从截图(?:里|中)(?:随机)?(?:挑|抽|选)|"
                     # (probe 170: or to a token price, 定金能砍到1元; miles added per friend, 里程多加2000)
                     # (probe 172: or to the floor price, 砍到底价即可按底价购买)
                     r"(?:砍|降)(?:至|为|到)0(?:元)?(?![\d.])|砍(?:至|为|到|成)(?:\d+(?:\.\d+)?元|底价|最低价)|"
                     r"(?:里程|积分|公里|英里|额度)(?:多加|加送|多送|多给|再加|额外加|额外送)\d|"
                     r"(?:从中|其中)(?:随机)?(?:挑出|挑选|抽出|选出|抽取|评选出?|选取)|聊表谢意|以表谢意|优先(?:留给|锁定|获得|获取|预留|保留)|"
                     r"礼品|礼物|充值|购物金|咖啡钱|(?<!随)(?<!随您)(?<!随你)心意|立减|直减|减\d+元|减(?:至|为|到)0(?:元)?(?![\d.])|减免|全免|免年费|年费[^,，;；。]{0,2}?免|免单|半价|"
                     r"礼包|大礼|好礼|有礼|奖品|兑换|换取|换购|换(?:一|\d)?(?:份|个|盒|张|袋|桶|本|副|把|瓶|件|条|套|杯|包|罐|支|台|只|饼|枚|坛|斤)|到手(?!价)|奉上|"
                     r"赢取|赢|(?:就|即|便)(?:能|可以?|可)(?:兑|换)|多(?:一|\d)次[^,，;；。]{0,6}?机会|复活机会|"
                     # one more turn at a game of chance (多翻一次牌, 多抽一回)
                     r"多(?:翻|抽|转|摇|砸|拆|刮)(?:一|两|\d+)?(?:次|回|轮)|"
                     r"免费拿|拿走|白拿|福利|资格|才能|方可|解锁|收到(?:一份|一个|一张|一盒|精美|价值)|"
                     r"大奖|发奖|再抽|加抽|抽一次|转盘|(?:随机)?掉落|多转一次|寄给(?:你|您)|归(?:你|您|谁)|纪念品|盲盒|拎走|扛走|谢礼|拿到|惊喜|开奖|瓜分|"
                     r"(?:即可|才可|方可)(?:阅读|观看|获取|下载|参与)|(?:仅|只)(?:对|向|面向)(?:本号)?粉丝开放|(?<!没)有奖|大转盘|"
                     r"(?:无法|不能|不可)(?:查看|阅读|参与|领取)|请先|"
                     r"(?:寄出?|拿|安排|发|给(?:你|您)(?:寄|邮)?)(?:一|两|\d+)(?:份|个|本|张|盒|桶|袋|瓶|把|台|套|箱|块|卷|包)|"
                     # probe 116: the thing named before its count (统一寄出圣诞限定周边一份)
                     r"(?:寄出|寄送|送出)[^,，;；。!！?？]{0,10}?(?:一|两|\d+)(?:份|个|本|张|盒|件|套|箱|副|双|条|只|支|瓶|袋|罐)|"
                     r"(?:就|即)(?:能|可以?)[^,，;；。]{0,6}?(?:拿|抢到)|才会(?:把|给|推|发|送)|"
                     # probe 111: handed over once shown (页面给大堂经理看一下，就给您拿伞)
                     r"(?:就|即|便)(?:给|帮)(?:您|你)(?:拿|领)|"
                     r"(?<=[,，个])换(?![成为言句掉回])|包邮(?:到家|寄)|"  # 集赞38个，换帆布包; 帆布包包邮到家
                     # a thing posted to the sharer's door (保温杯马上寄到家, 寄到您手上)
                     r"寄到(?:家|府上|您?手[上中里])|"
                     # probe 105: a thing exchanged at the branch (来网点换暖手宝一个)
                     r"(?:来|到|去)(?:网点|柜台|营业厅|支行|门店)(?:免费)?(?:换|兑)(?![成为言句掉回])|"
                     r"需要?先|须先|必须先|coupon|voucher|lucky\s*(?:wheel|draw)|extra\s*(?:spin|chance|draw)|"
                     # probe 115: a thing posted to you (为您寄出限量版手账一本), a free service booked for it
                     r"(?:为|给)(?:您|你)寄(?:出|送|上|去)|(?:我们|小编|本号)(?:会|将|就)?(?:统一|陆续|随后)?(?:寄出|寄送|邮寄)|(?:预约|享受?|获得?|领取?)(?:一次|一份|一节|一场)?免费|"
                     # probe 118: a prize carried off (就有机会带走行李牌), the full version opened (就会弹出完整版)
                     r"(?<!被)带(?:走|回家)|(?:弹出|看到|看|查看|获取|领取|收到|推送)(?:完整版|全文|全部内容)|"
                     # probe 126: a set credited to the sharer (每多一位我就给您记一套), a draw one may have
                     # (都能抽…充电宝)
                     r"(?:给|帮|为)(?:您|你)记(?:上)?(?:一|两|\d+)(?:份|个|套|张|盒|件|次|分)|能抽(?![烟血查样调签象空])"
                     # probe 127: a point scored for each follow brought, prizes by the head (前十名每人一箱土鸡蛋)
                     r"|每人(?:一|两|\d+)(?:份|个|本|张|盒|桶|袋|瓶|把|台|套|箱|块|斤)"
                     # a prize drawn nearer with each friend brought (就离399元行李箱更近一步)
                     r"|离[^,，;；。!！?？]{1,14}?更近一步"
                     # probe 153: a free place handed out (免费孕前体检名额一份)
                     r"|免费[^,，;；。!！?？]{0,8}?名额"
                     # a prize declared the sharer's at the end of its clause (一台血压计就是你的)
                     r"|(?:就|便|都)(?:是|归|属于)(?:你|您)的?(?=[,，;；。!！?？~～]|$)"
                     # money for each one brought (人齐了每人到账8.88元), a thing had by the cup or the piece when
                     # done (再来前台说出暗号，就有一杯热咖啡), a thing exchanged, named before its count (换电影票一张)
                     r"|每人[^,，;；。!！?？]{0,4}?\d+(?:\.\d+)?元|(?:就|即|便)(?:有|能拿|能领)(?:一|两|\d+)"
                     r"(?:份|个|本|张|盒|桶|袋|瓶|杯|把|台|套|箱|块)"
                     r"|换[^,，;；。!！?？\d]{1,6}?(?:一|两|\d+)(?:份|个|本|张|盒|桶|袋|瓶|杯|把|台|套|箱)"
                     # a seat or a keepsake kept for the sharer (入场函将按名单依次寄出, 为您预留品鉴会一席,
                     # 便会多出您的一席, 认购资格便会保留至月底, 可在礼宾台取走一份)
                     r"|(?:您|你)的一席|(?:依次|陆续|随后)寄(?:出|送)|(?:为|给)(?:您|你)(?:预留|保留|留出)"
                     r"|(?:便|就|即)(?:会|将)?(?:保留|预留)(?:至|到)|取走|领走"
                     # probe 162: a score credited for the share (你的“球迷能量值”就会到账), a prize exchanged once
                     # enough is saved (攒满100可换球赛门票), a thing kept for the sharer (号码布就给你留一份)
                     r"|(?:值|积分|能量|金币|金豆|奖励|红包)\"?(?:就会|就|即|便|会|将|立即|马上|自动)(?:到账|入账)"
                     # probe 163: a count raised by the share (抽卡次数就+1), a prize left to draw (徽章等你来抽)
                     r"|(?:次数|机会|积分|能量|金币)(?:就会|就|即|便|会|将|立即|马上|自动)?(?:\+|加|多)\d|等(?:你|您)来抽"
                     r"|(?:满|够)\d+(?:个|分|点)?(?:就|即|便)?(?:能|可以?|可)(?:兑|换)"
                     r"|(?:为|给)(?:您|你)留(?:着|下)?(?:一|两|\d+)(?:份|个|张|套|件|席|位|块)"
                     # a gift that shows itself only then (底部的体验券才会显示)
                     r"|才(?:会|能)(?:显示|出现|弹出|展开)|包邮送(?:到家|上门)")


def induced_sharing(t: Text) -> list[str]:
    """A share action and a reward or gate in the same sentence, however far apart (the action and the
    reward are often split: 发到家人群，凭截图到网点领取鸡蛋一盒)."""
    if t.has(_NO_SHARE_NEEDED) or t.has(JOB_ADVERT):  # 到场即可参加，无需分享; a job that must spot such games
        return []
    out = []
    for share in find_pattern(t, _SHARE):
        if _decoupled(t, share):  # 分享不影响积分
            continue
        if share.term == "点赞" and _APPLAUSE.search(t.norm, clause_start(t.norm, share.start), share.start):
            continue
        lo, hi = sentence_bounds(t.norm, share.start)
        # proof of sharing is checked, or the next sentence pays per person brought: the reward follows there
        if _PROOF.search(t.norm, share.start, hi) or _REWARD_IN_NEXT_SENTENCE.match(t.norm, hi + 1):
            hi = sentence_bounds(t.norm, min(len(t.norm) - 1, hi + 1))[1]
        hi = max(hi, share.end)
        reward = next((r for r in _REWARD.finditer(t.norm, share.end, hi) if _offered_reward(t, r, share)), None)
        if reward is None:
            before = [r for r in _REWARD.finditer(t.norm, lo, share.start) if _offered_reward(t, r, share)]
            reward = before[-1] if before else None
        reward = reward or _task_reward(t, share, lo, hi)
        if reward is not None:
            out.append(f"“{share.term}”+“{reward.group(0)}”")
    return out


# probe 116: a share set as the reader's task (今天的任务：把本篇文章设为朋友圈封面…) is paid for where the task is said
# done, however far on (活动截止后，完成任务的卡友都将收到88积分).
_TASK = Pattern(r"任务")
_TASK_DONE = Pattern(r"完成(?:了)?(?:任务|挑战)")


def _task_reward(t: Text, share: Match, lo: int, hi: int) -> re.Match[str] | None:
    done = _TASK_DONE.search(t.norm, hi) if _TASK.search(t.norm, lo, share.start) else None
    if done is None:
        return None
    end = sentence_bounds(t.norm, done.start())[1]
    return next((r for r in _REWARD.finditer(t.norm, done.end(), end) if _offered_reward(t, r, share)), None)


# A text that says no share is needed rewards something else; 为她点赞 applauds someone, it clicks nothing.
# Share or follow or not, all the same (发不发朋友圈都一样领, 转唔转都冇奖品, 关不关注都不影响): nothing is paid for it.
_EITHER_WAY = Pattern(r"(?:转|发|晒|分享|转发|关注|关)(?:不|唔)(?:转|发|晒|分享|转发|关注)[^。!！?？]{0,8}?(?:都|也)"
                         r"(?:一样|冇|没有?|不影响|可以|行|没关系|无所谓)"  # (转发不转发都可以)
                         # probe 117: the same had without it (不关注也可以在各网点领取)
                         r"|(?:不|没|未)(?:关注|转发|分享|点赞)[^。!！?？,，]{0,6}?(?:也|同样|照样|一样)(?:可以|能|可)")
_NO_SHARE_NEEDED = Pattern(r"(?:无需|无须|不需要?|不用|不必)[^,，;；。]{0,4}?(?:分享|转发|集赞|点赞)|"
                              # shared or not, all the same (分享与否都不影响任何权益); the offer said to have
                              # nothing to do with sharing (活动与分享、邀请完全无关); no prize at all
                              # (本文不设任何抽奖或奖励)
                              r"(?:(?:分享|转发|关注|点赞|集赞)与否|是否(?:分享|转发|关注|点赞|集赞))[^。!！?？]{0,8}?(?:都|均|也)?(?:不影响|不会影响|一样|无关)|"
                              r"(?:与|和|跟)(?:分享|转发|邀请|集赞|点赞)[^,，;；。]{0,8}?(?:完全|均|都|毫)?(?:无关|没有?关系)|"
                              r"(?:不设|没有|无)任何(?:抽奖|奖励|奖品)|"
                              + _EITHER_WAY.pattern)
_APPLAUSE = Pattern(r"为[^,，;；。!！]{1,8}$")
# Sharing said to change nothing in its own clause (点赞、在看不影响抽奖结果).
_DECOUPLED = Pattern(UNRELATED.pattern
                        + r"|不(?:会)?影响|不额外|不计入|不作为|不加分|不(?:会)?增加"
                        + r"|(?:不是|并非|不属于|不作为)[^,，;；。!！?？]{0,12}?(?:条件|前提|门槛)"
                        # probe 92: an offer taken down or a feature removed, sharing said to earn nothing
                        + r"|已(?:于[^,，;；。]{0,6}?)?(?:下线|移除|取消|停止|关闭|终止|撤下)"
                        + r"|不符合[^,，;；。]{0,6}?规范"
                        + r"|(?:无|没有|不设)(?:任何)?[^,，;；。]{0,4}?(?:奖励|任务|奖品)"
                        # probe 105: sharing said to earn nothing (点赞不会获得任何奖励)
                        + r"|不(?:会|能)?(?:获得|得到|拿到|领到|换来)(?:任何)?[^,，;；。]{0,4}?"
                        + r"(?:奖励|奖品|积分|红包|好处)")
# ... or in the sentence after a list of them (跟转发、关注都没关系).
# (or in the clause right after it: 下载后分享，与奖牌领取无关)
_NOTHING_TO_DO_WITH = Pattern(r"[^。!！?？;；]{0,8}?(?:都|均)(?:没(?:有)?关系|无关)"
                                 r"|[,，](?:但)?(?:与|和|跟|同)[^,，;；。!！?？]{1,8}?(?:无关|没有?关系|不挂钩)")


def _decoupled(t: Text, m: Match) -> bool:
    return bool(_DECOUPLED.search(t.norm, m.end, clause_end(t.norm, m.end)) or _NOTHING_TO_DO_WITH.match(t.norm, m.end))
# Sharing proven to the bank (截图发给我们, 凭截图, 审核通过) is sharing for something, said in the next sentence.
_PROOF = Pattern(r"截图|凭|发给我们|上传|审核|保留")
# The next sentence pays for the share: 邀请家人开通手机银行吧！每成功一位，积分多出500分 (per person brought),
# 人数凑齐以后… (the people asked for, once brought), 点赞数排在前十位的… (a ranking by the share's likes).
_REWARD_IN_NEXT_SENTENCE = Pattern(r"每(?:成功)?(?:邀请|推荐|带来|拉来|介绍)?(?:一|1)(?:位|人|名|个)"
                                      r"|(?:人数|人)?(?:凑齐|集齐|凑够|邀请成功|助力成功)"
                                      r"|[^。!！?？]{0,8}?(?:点赞数|集赞数|点赞量|转发量|转发数|阅读量)"
                                      r"|[^。!！?？]{0,24}?(?:完成了?(?:上述|以上|前述)(?:操作|步骤)|出示[^,，;；。]{0,6}?(?:聊天记录|截图))")

# A gate locks something behind the share in its own clause (转发后才能参与, 需要先把推送发到三个群), or in
# the next one when the share's clause ends with 后 (分享给三位好友后，才能解锁); elsewhere it gates something
# else (转发至部门…，考试合格后方可办理).
_GATES = ("才能", "才可", "方可", "资格", "需先", "需要先", "须先", "必须先", "才会")  # (解锁 names what is gained)
_ACCESS = Pattern(r"[^,，;；。!！?？]{0,4}?(?:只读|查看|浏览|查阅|阅读|编辑|访问)(?:权限|权)")  # (see _real_reward)
_TO_OTHERS = Pattern(r"(?:给|为|向)(?![^,，;；。]{0,10}?(?:[您你前第]|转发|分享|关注|粉丝|读者|朋友|好友|用户|客户|参与"
                     r"|幸运|获奖|中奖))[^,，;；。]{1,10}?$")  # (see _real_reward)


def _offered_reward(t: Text, found: re.Match[str], share: Match) -> bool:
    """A reward offered for this share: a real one (see _real_reward), and a gate only in the share's clause."""
    if not _real_reward(t, found):
        return False
    if not found.group(0).startswith(_GATES):
        return True
    gate_clause, share_clause = clause_start(t.norm, found.start()), clause_start(t.norm, share.start)
    return gate_clause == share_clause or t.norm.endswith("后", share_clause, max(share_clause, gate_clause - 1))


def _real_reward(t: Text, found: re.Match[str]) -> bool:
    """Not ordinary (领导; probe 174: access, 对方即可获得只读查看权限; a gift to others, 给村里的阿姨送上防诈手册),
    not refused (转发与否不影响任何优惠资格), not absent (无抽奖)."""
    return not _ordinary(t, found) and not negated(t.norm, found.start()) and not none_before(t.norm, found.start())


def _ordinary(t: Text, found: re.Match[str]) -> bool:
    given, at = found.group(0).startswith(("送", "赠")), found.start()
    return (inside_ordinary_word(t, at, len(found.group(0))) or bool(_ACCESS.match(t.norm, found.end()))
            or (given and bool(_TO_OTHERS.search(t.norm, clause_start(t.norm, at), at))))


def share_mechanics(view: AccountView) -> Iterator[Hit]:
    for loc, module in view.index.modules():
        for flag in ("share_reward", "share_required", "invite_reward"):
            if getattr(module, flag):
                yield Hit(view.address("module", module.id), (*loc, flag), f"{flag}: true")


# Following as an action (关注本号, 扫码关注, 先关注), not thanks for it (感谢您的关注) nor care (关注天气变化:
# those name no reward in their sentence anyway).
# (特别关注, 重点关注, 持续关注, 值得关注, 关注点, 关注这张借记卡: attention paid, not a follow; 回复“已关注” is one;
# 关注点赞 is a follow and a like).
_FOLLOW = Pattern(r"(?<![谢的已])(?<!特别|重点|持续|值得)关注"
                     r"(?!度|点(?![赞亮])|焦点|这(?:张|款|只|支|份|期)|(?!本号|本公众号|公众号|我们|服务号)[^,，;；。!！]{0,8}?(?:进度|变化|情况|结果|状态|公告|通知|时间|期限|截止|日期|认证|提醒|走势|行情|动态))"
                     r"|订阅本?公众号|保持订阅|星标|订阅(?:我们|本号|公众号)?(?:之)?后(?:才|就|即|便)"
                     r"|公众号(?:\"[^\"]{0,10}\")?加上|把[^,，;；。!！]{0,12}?公众号加上"  # probe 119
                     r"|(?:首次|刚刚?|新)订阅"  # probe 157: the account added to one's subscriptions (先把账号加进订阅)
                     r"|加(?:进|入|到)(?:你的|您的|我的)?订阅"  # probe 115: 首次订阅“澄岳私行”的新朋友
                     # probe 123: joining the account (本周新加入我们公众号的用户)
                     r"|(?:首次|刚刚?|新)加入(?:我们|本|咱们?)?的?(?:公众号|服务号|订阅号)"
                     # probe 125: a first visit to the account (第一次来到…公众号的朋友, 凭首次进入公众号的页面截图)
                     r"|(?:第一次|首次|初次|头一回)(?:来到|进入|关注|访问|打开)[^,，;；。!！]{0,8}?(?:公众号|服务号|订阅号|本号)"
                     # probe 122: a subscription done, an account entered from its QR code (扫描海报二维码进入本号)
                     r"|完成订阅|扫(?:描|一扫)?[^,，;；。]{0,8}?码(?:进入|来到|关注)(?:本号|本公众号|公众号)"
                     # probe 126: the bank's account entered by name from the code (扫我这个二维码进咱们锦程服务号)
                     r"|扫(?:描|一扫)?[^,，;；。]{0,8}?码(?:进入?|来到|关注|加入)(?:咱们?|我们)?的?[^,，;；。]{0,6}?(?:公众号|服务号|订阅号)"
                     r"|成为(?:我们|本号|本行|本)?的?(?:服务号|公众号)?的?(?:粉丝|一员|订阅用户|订阅者|读者|关注用户|关注者)|已订阅"
                     # probe 114: the fan of the bank by its name (成为咱柳溪农商行的粉丝), or its reader (probe 121:
                     # 成为禾信普惠的读者) or subscriber (probe 120: 成为泽丰银行订阅用户)
                     # probe 124: its new friend (成为星途信用卡服务号的新朋友)
                     # probe 131: or its fan without 的 (还没成为锦城银行粉丝的朋友), the account joined from its code
                     # (长按二维码加入我们)
                     r"|成为[^,，;；。!！?？]{1,10}?的(?:粉丝|读者|新朋友)|成为[^,，;；。!！?？]{1,10}?(?:订阅用户|关注用户|关注者|粉丝)"
                     r"|(?:长按|识别|扫描?)[^,，;；。]{0,4}?二维码[^,，;；。]{0,2}?(?:加入|关注)(?:我们|本号|咱们?)"
                     # probe 117: the account named in quotation marks (成为「金秋乐龄」的小伙伴)
                     r"|成为(?:我们|本号|\"[^\"]{1,10}\")的?(?:粉丝|小伙伴|读者|订阅用户|订阅者)"
                     # a fan in the vernacular (成为咱的老粉, 成为我们的铁粉)
                     r"|成为(?:咱们?|我们|本号|本行)的?(?:老|铁|忠实|真爱)粉"
                     # the account named in full before its reader (成为“本行私人银行”公众号读者的朋友)
                     r"|成为[^,，;；。!！?？]{1,14}?(?:公众号|服务号|订阅号)的?(?:读者|粉丝|订阅者|订阅用户)"
                     # probe 163: one of the family (成为我们的自己人), a follower trailing the account (追随本号满7天)
                     r"|成为(?:咱们?|我们|本号|本行)的?\"?(?:自己人|自家人|一家人|家人)|追随(?:本号|本公众号|我们|咱们)"
                     # probe 167: the account joined in the vernacular (喊上车队的兄弟一块儿进咱号)
                     r"|(?:进|加入|关注)(?:咱们?|我们)的?(?:号|公众号|服务号|订阅号)|(?<![a-z])follow(?![a-z])"
                     r"|仅限(?:本号|本公众号|我们的)?(?:粉丝|关注(?:用户|者))|(?:仅|只)(?:对|向|面向)(?:本号|本公众号|我们的)?(?:粉丝|关注用户|关注者)开放|仅限(?:本号|本公众号)的(?:老朋友|老粉|老读者)"
                     # WeChat's idiom for the follow button: the account's name in blue (点击上方蓝字关注我们)
                     r"|(?:点击?|点一下|戳)[^,，;；。!！]{0,6}?蓝字"
                     r"|扫(?:一下|一扫)?[^,，;；。]{0,6}?(?:公众号|本号)的?(?:二维)?码"
                     r"|(?:公众号|主页)[^,，;；。]{0,8}?(?:绿色按钮|关注按钮)|(?:出示|回复)[^,，;；。]{0,4}?已关注"
                     r"|只有(?:本公众号|本号|我们)?的?粉丝"
                     # Hong Kong's words for a follow: tracking the account (加入追踪, 追踪本号), following its
                     # number (跟咗我哋个号 reads 跟了我们个号)
                     r"|加入追踪|追踪(?:本号|本公众号|我们)|跟了?(?:我们|本行|咱们)(?:个|的)(?:公众)?号")


def induced_follow(t: Text) -> list[str]:
    """Following and a reward or gate in the same sentence, before or after (关注即送; 新粉丝…送红包;
    扫码关注示例银行，即有机会赢取大礼), the reward not inside an ordinary word (关注我们，领导说很好)."""
    if t.has(_EITHER_WAY):
        return []
    out = []
    for follow in find_pattern(t, _FOLLOW):
        if _decoupled(t, follow):  # 分享、关注均不增加机会
            continue
        lo, hi = sentence_bounds(t.norm, follow.start)
        hi = _through_the_steps(t.norm, hi)
        reward = next((r for r in _FOLLOW_REWARD.finditer(t.norm, lo, hi) if _real_reward(t, r)
                       and not _MENU_LOOKUP.search(t.norm, max(lo, r.start() - 12), r.start())), None)
        if reward is not None:
            out.append(f"“{follow.term}”+“{reward.group(0)}”")
    return out + [f"“{m.term}”" for m in find_pattern(t, _UNFOLLOWED_SHUT_OUT, negatable=False)]


# A livestream's lucky bag (福袋) is a prize a follow may be asked for (关注服务号，下一轮福袋的口令在欢迎语里)
# and a follow set as the condition of a booking (成为本号的读者是入席的前提，回复…即可预约品鉴会)
# (probe 153: and a perk kept for followers, 粉丝专享的美甲券)
_FOLLOW_REWARD = Pattern(_REWARD.pattern + r"|福袋|(?:粉丝|新粉|关注用户|订阅用户)(?:专享|专属|独享)"
                         r"|(?:即可|才可|方可|才能)(?:预约|报名|入场|入席)"
                         # a code for a download or an exchange that pops up on following (即刻弹出…下载码)
                         r"|(?:即刻|立即|马上|立刻|随即|自动)(?:弹出|推送|发送|送上)[^,，;；。!！?？]{0,10}?(?:下载|兑换|领取|提取|激活)码"
                         r"|是[^,，;；。!！?？]{0,6}?的前提"
                         # a ticket sent on following (入场券即刻发到对话框)
                         r"|(?:券|门票|邀请函)[^,，;；。!！?？]{0,2}?(?:即刻|立即|马上|立刻|随即|自动|就会?)(?:发到|发至|发送|送到|推送|到账)"
                         r"|(?:才能|才可以|方能)(?:看到|看见|查看|进入|打开)"
                         # a step after the follow that opens it (先…成为本号的粉丝，再回复“决赛”查看)
                         r"|再(?:来)?(?:回复|输入|发送|点击)[^,，;；。!！?？]{0,10}?(?:查看|领取|获取|参与|抽)"
                         r"|(?:进入|参与|参加|获得)[^,，;；。!！?？]{0,12}?抽签|抽签(?:资格|名额|机会)")  # (a ballot)

# A menu's entry to look something up offers nothing (probe 124: 回复「2」看积分兑换指南).
_MENU_LOOKUP = Pattern(r'回复"[\w]{1,2}"(?:查询?|查看|看|了解)[^,，;；。!！?？]{0,4}$')

# A gate said from the other side: 未关注用户即使答对也不予发奖.
_UNFOLLOWED_SHUT_OUT = Pattern(r"(?:未关注|没关注|不关注|未追踪|没追踪|非粉丝|非本号粉丝)[^。!！?？]{0,12}?"
                                  r"(?:不予|不能|无法|不可|不得|不会)(?:参加|参与|领取|发奖|兑奖|抽奖|获奖)"
                                  # (没关注的报不上名, 领不到; 未追踪本号的看不到抽签结果)
                                  r"|(?:未关注|没关注|不关注|未追踪|没追踪)[^。!！?？]{0,12}?(?:报|领|抽|兑|参加|参与|看)不(?:上|了|到)"
                                  # or let see only a part (未关注本号的只能浏览前两页)
                                  r"|(?:未关注|没关注|不关注|未追踪|没追踪)[^。!！?？]{0,12}?(?:只能|仅能|只可|仅可)(?:浏览|查看|看|阅读|参加|参与)"
                                  # the unfollowed told to follow first, then let in (未关注的…请先点关注，才能看到)
                                  r"|(?:未关注|没关注|尚未关注|还没关注)[^。!！?？]{0,20}?(?:才能|才可以?|方可|方能)")

# 还没成为我们的粉丝？右上角点一下。点完以后，回复“福袋”…就会送到你手上: asked, then told step by step
# (完成以上三步, 在对话框回复…), the reward waits at the end of the steps.
_NEXT_STEP = Pattern(r"[^。!！?？]{0,12}?(?:点完|关注完|完成后|完成(?:以上|上述)|之后|然后|接着|回复)")


def _through_the_steps(norm: str, hi: int) -> int:
    for _ in range(2):
        if hi + 1 >= len(norm) or not (norm[hi] in "?？" or _NEXT_STEP.match(norm, hi + 1)):
            break
        hi = sentence_bounds(norm, hi + 1)[1]
    return hi
