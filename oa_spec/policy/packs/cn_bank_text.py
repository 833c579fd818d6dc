"""cn-bank rules that decide from a single text (compliance.md rules marked T): ids, severities,
messages and bases, each with its finder.

The finders live in `cn_bank_finance` (wealth, funds and deposits, §1), `cn_bank_performance` (forecasts and
rankings of a product's performance, §1a), `cn_bank_invest` (precious metals and FX, §1e), `cn_bank_gifts` (gifts
for a transaction, §1a, §1b), `cn_bank_credit` (loans and cards, §1c), `cn_bank_agency` (insurance and products
sold for others, §1d), `cn_bank_conduct` (marketing conduct and advertising, §1e, §2), `cn_bank_personal`
(credentials and card numbers, §3) and `cn_bank_platform` (WeChat platform rules, §4); what they share is
`textkit`, and how they read text is `policy.text` (compliance.md §0).
"""

from __future__ import annotations

from oa_spec.policy.packs import cn_bank_agency as agency
from oa_spec.policy.packs import cn_bank_click as click
from oa_spec.policy.packs import cn_bank_conduct as conduct
from oa_spec.policy.packs import cn_bank_credit as credit
from oa_spec.policy.packs import cn_bank_deposits as deposits
from oa_spec.policy.packs import cn_bank_finance as finance
from oa_spec.policy.packs import cn_bank_gifts as gifts
from oa_spec.policy.packs import cn_bank_invest as invest
from oa_spec.policy.packs import cn_bank_performance as performance
from oa_spec.policy.packs import cn_bank_personal as personal
from oa_spec.policy.packs import cn_bank_platform as platform
from oa_spec.policy.packs import rough_price, unnamed
from oa_spec.policy.packs.textkit import text_rule

RULES = (
    text_rule("wealth.risk-disclaimer", "error", "理财产品宣传须载明“理财非存款、产品有风险、投资须谨慎”",
              "商业银行理财业务监督管理办法 (银保监会令2018年第6号) 销售文本要求; 忠告语“理财非存款，产品有风险，投资"
              "须谨慎”",
              "Wealth promotion (理财 with a call, offer or product descriptor) carries all three parts of the "
              "mandatory warning, in any order; 投资需谨慎 is accepted.", finance.wealth_disclaimer, "PARTIAL"),
    text_rule("wealth.no-guaranteed-return", "error", "不得明示或暗示保本、无风险或保收益",
              "广告法 第二十五条第(一)项; 银发〔2019〕316号 三(二); 微信公众平台关于金融类违规营销内容的规范 (2022-07)"
              " 二",
              "Wealth, fund, insurance or structured-deposit promotion uses no guarantee word (保本, 稳赚不赔, 零风险, "
              "刚兑...) unless negated (非保本, 不承诺保本).", finance.guaranteed_return, "CONFIRMED"),
    text_rule("wealth.forbidden-descriptors", "error", "理财宣传不得使用与风险收益特性不匹配的表述",
              "理财销售文本禁止性规定: 不得使用“安全、保证、承诺、保险、避险、有保障、高收益、无风险”等表述",
              "Wealth promotion: 高收益, 有保障, 避险, or 安全/保证/承诺/保险 within 4 characters of 本金/收益/回报.",
              finance.forbidden_descriptors, "PARTIAL"),
    text_rule("wealth.unsupported-superlatives", "error", "理财/基金宣传不得无依据使用业绩优良、最好、第一等表述",
              "广告法 第九条第(三)项; 理财销售文本禁止性规定 (无客观证据); "
              "市场监管总局《广告绝对化用语执法指南》(2023)",
              "Wealth or fund promotion: 业绩优良, 名列前茅, 最好, 唯一, 排名第一... unless a dated source is named.",
              performance.unsupported_superlatives, "PARTIAL"),
    text_rule("wealth.not-deposit", "error", "不得将理财产品作为存款宣传",
              "理财销售文本禁止性规定: 不得将理财产品作为存款进行宣传",
              "Wealth promotion: 理财存款, 存款型理财, 和存款一样, 比存款还安全...", finance.not_deposit, "PARTIAL"),
    text_rule("wealth.past-performance-disclaimer", "error", "展示理财过往业绩须提示“过往业绩不代表其未来表现”",
              "中国银行业协会《理财产品过往业绩展示行为准则》(2023-11-21); 理财销售文本要求",
              "Wealth promotion with a yield figure near 收益/年化/业绩/回报 states 过往业绩不代表(其)未来表现.",
              finance.past_performance, "PARTIAL"),
    text_rule("wealth.benchmark-not-promise", "warning", "展示业绩比较基准须说明其不构成收益承诺",
              "资管新规 (银发〔2018〕106号) 净值化管理; 理财公司产品说明书惯例",
              "业绩比较基准 is accompanied by 不构成…承诺 or 不代表…收益.", finance.benchmark, "UNCONFIRMED"),
    text_rule("wealth.testimonial", "error", "不得利用专家、机构或受益者名义作推荐、证明",
              "广告法 第二十五条第(二)项",
              "Wealth, fund or insurance promotion: endorsement by 专家/教授/分析师/协会, or "
              "beneficiary testimonials (客户亲测, 晒收益).", finance.testimonial, "CONFIRMED"),
    text_rule("fund.risk-disclaimer", "error", "基金宣传须有风险提示（基金有风险，投资须谨慎）",
              "公开募集证券投资基金宣传推介材料管理暂行规定 (2020)",
              "Fund promotion carries 基金有风险/投资须谨慎; with performance, 过往业绩不代表其未来表现; money funds, "
              "不等于将资金作为存款.", finance.fund_disclaimer, "PARTIAL"),
    text_rule("fund.no-forecast", "error", "不得预测基金业绩或宣传预期收益率",
              "公开募集证券投资基金销售机构监督管理办法 (2020) 禁止性规定③",
              "Fund promotion: 预测/预计 + 收益/业绩, 预期收益率, 目标收益N%.", performance.fund_forecast, "PARTIAL"),
    text_rule("wealth.no-expected-yield", "warning", "理财产品宣传不得使用预期收益率，应展示业绩比较基准",
              "关于规范金融机构资产管理业务的指导意见 (银发〔2018〕106号, 资管新规) 打破刚兑; 理财产品销售管理"
              "办法 (2021)",
              "Wealth promotion: 预期收益率, 预期年化收益, 预计收益 said of a wealth product (not negated: "
              "业绩比较基准不代表预期收益 passes).", finance.expected_yield, "UNCONFIRMED"),
    text_rule("wealth.simulated-data", "warning", "模拟或测算的收益数据须注明“模拟数据”",
              "理财产品销售管理办法 (2021) 销售文本: 模拟数据须注明",
              "Wealth or fund promotion with 模拟, 测算 or 回测 and a figure, without 模拟数据.",
              finance.simulated_data, "PARTIAL"),
    text_rule("wealth.rating-citation", "warning", "引用评级、奖项或排名须注明评价机构和日期",
              "理财产品销售管理办法 (2021): 第三方专业评价机构的名称和发布渠道与日期; 广告法 第十一条第二款",
              "Wealth or fund promotion citing 获评, 荣获, 榜单, 金牛奖, 五星评级, 排名第N without a named source "
              "(来源, 据…评价) and a date.", finance.rating_citation, "PARTIAL"),
    text_rule("fund.performance-window", "warning", "基金宣传不得以正收益概率等表述展示业绩",
              "公募基金销售行为规范 (证监会征求意见稿, 2025-12)",
              "Fund promotion: 正收益概率, 盈利概率, 赚钱概率, 胜率.", finance.performance_window, "UNCONFIRMED"),
    text_rule("ad.investment-risk-warning", "error", "投资回报类广告须提示风险及风险责任承担",
              "广告法 第二十五条",
              "Precious-metal or foreign-exchange promotion warns of the risk and who bears it (风险, 波动 or 不保证 "
              "with 谨慎, 理性 or 自行承担).", invest.investment_risk_warning, "CONFIRMED"),
    text_rule("insurance.not-deposit", "error", "不得将保险产品与存款混淆，不得套用“本金”“利息”“存入”等概念",
              "商业银行代理保险业务管理办法 (2019); 甘保监发〔2012〕37号",
              "Insurance promotion using deposit words for the policy (存入, 本金, 利息, 储蓄, 存单) or dressed as the "
              "bank's own (存单变保单, 银行推出, 银行理财新业务).", agency.insurance_not_deposit, "PARTIAL"),
    text_rule("agency.issuer-disclosure", "warning", "代销产品须披露发行机构并说明本行为代销机构",
              "商业银行代理销售业务管理办法 (国家金融监督管理总局, 2025-10-01 施行)",
              "Fund, insurance or 理财公司 promotion naming a product (“…”, 《…》, a fund code, a brand with a fund "
              "or policy type) names its issuer (…有限公司, 管理人：, 由…发行) or says the bank distributes it (代销).",
              agency.agency_disclosure, "UNCONFIRMED"),
    text_rule("fund.no-lottery-sales", "error", "不得以抽奖、送实物、送保险、返现等方式销售基金",
              "公开募集证券投资基金销售机构监督管理办法 (2020) 禁止性规定⑥",
              "Fund promotion tied to 抽奖, 送实物, 送保险, 返现, 送基金份额.", gifts.fund_lottery, "PARTIAL"),
    text_rule("deposit.no-improper-inducement", "warning", "不得以赠品、返现、抽奖等不正当手段吸收存款",
              "商业银行法 第四十七条", "Deposit promotion with a gift, cash back, lottery or 贴息 tied to depositing.",
              gifts.deposit_inducement, "CONFIRMED"),
    text_rule("deposit.insurance-wording", "warning", "存款宣传不得称绝对安全、零风险或国家兜底",
              "存款保险条例 第五条 (限额偿付，最高50万元); 银发〔2019〕316号 三(四)",
              "Deposit promotion: 绝对安全, 100%安全, 零风险, 国家兜底; say 依法受存款保险保障 instead.",
              deposits.deposit_insurance, "CONFIRMED"),
    text_rule("deposit.structured-disclaimer", "error", "结构性存款宣传须提示其不同于一般性存款、具有投资风险",
              "结构性存款销售文本惯例; 银保监办发〔2019〕204号",
              "Structured-deposit promotion states 结构性存款不同于一般性"
              "存款，具有投资风险, and never shows only the top rate (最高/高达 N%) without the floor.",
              deposits.structured, "PARTIAL"),
    text_rule("loan.apr-disclosure", "error", "贷款营销须明示年化利率",
              "中国人民银行公告〔2021〕第3号: 贷款产品营销须以明显方式展示年化利率",
              "Loan or credit-card promotion with a price (%, 日息, 月息, 万分之N, 每天N元, 费率) shows 年化/年利率.",
              rough_price.apr_disclosure, "PARTIAL"),
    text_rule("loan.apr-method", "warning", "年化利率须注明单利或复利，日/月利率等不得比年化利率更明显",
              "中国人民银行公告〔2021〕第3号 (年化利率可采用单利或复利计算，其他利率不应比年化利率更明显)",
              "Loan or card promotion showing an annual rate (年化/年利率 N%) labels it 单利 or 复利 (IRR), and shows "
              "no daily or monthly price (日息, 月利率, 万分之N, 每天N元) before it.", credit.apr_method,
              "PARTIAL"),
    text_rule("loan.borrow-responsibly", "warning", "贷款宣传应提示理性借贷、量入为出、按时还款",
              "银行保险机构消费者权益保护管理办法 第十条 (信息披露); 行业惯例",
              "Loan or card promotion that urges borrowing (想借就借, 先享受后付款, 缺钱就来借: claims.yaml "
              "borrowing_urged) carries a prudence prompt: 理性借贷, 量入为出, 按时还款, 逾期…征信.",
              credit.borrow_responsibly, "UNCONFIRMED"),
    text_rule("loan.misleading-terms", "error", "贷款营销不得使用无门槛、秒到账、不看征信等误导性用语",
              "金融产品网络营销管理办法 (2026); 银保监会等《关于进一步规范大学生互联网消费贷款监督管理工作的通知》(202"
              "1)",
              "Loan promotion: 无门槛, 秒批, 秒到账, 人人可贷, 不看征信, 零利息, 免息 (but 免息期)...",
              unnamed.loan_misleading, "PARTIAL"),
    text_rule("loan.student-targeting", "error", "不得面向大学生营销贷款",
              "银保监会等五部门《关于进一步规范大学生互联网消费贷款监督管理工作的通知》(2021-02-24)",
              "Loan or card promotion aimed at students (大学生, 在校生, 学生专享, 校园贷); loan modules or loan "
              "streams whose audience is a student tag (settings.student_tags).", credit.student_loan, "CONFIRMED",
              credit.student_audience),
    text_rule("card.apr-display", "error", "信用卡分期须以利息形式展示资金使用成本",
              "银保监会、人民银行《关于进一步促进信用卡业务规范健康发展的通知》(2022-07)",
              "Credit-card instalment or cash-advance promotion shows 利息 or 年化, not only 手续费/费率.",
              credit.card_apr, "PARTIAL"),
    text_rule("marketing.no-regulator-endorsement", "error", "不得利用政府或监管部门公信力作营销",
              "广告法 第九条第(二)项; 银发〔2019〕316号 三(四); 中国人民银行金融消费者权益保护实施办法 (2020)",
              "Financial promotion, or a text about the bank's own financial product: 央行/监管部门/国家/官方 + "
              "批准/认证/推荐/背书/担保/兜底; 备案即安全.",
              conduct.regulator_endorsement, "CONFIRMED"),
    text_rule("marketing.inducing-terms", "error", "金融营销不得使用低风险、秒到账、高收益、暴富等诱导性用语",
              "金融产品网络营销管理办法 (八部门, 2026-09-30 施行)",
              "Financial promotion: 低风险 (not a risk-rating label such as 中低风险 or R1（低风险）), 低门槛, 秒到账, "
              "高收益, 暴富, 财富自由, 抄底, 躺赚.", conduct.inducing, "PARTIAL"),
    text_rule("marketing.personal-wechat-diversion", "warning", "不得引导用户添加个人微信推广金融产品",
              "微信公众平台关于金融类违规营销内容的规范 (2022-07-13) 一",
              "Financial promotion steering users to a personal WeChat or QQ (加微信, 加V, 私聊).", conduct.diversion,
              "CONFIRMED"),
    text_rule("ad.absolute-terms", "error", "广告不得使用“国家级”“最高级”“最佳”等绝对化用语",
              "广告法 第九条第(三)项 (罚款二十万至一百万元，第五十七条); 市场监管总局《广告绝对化用语执法指南》(2023)",
              "Any text: 国家级, 最佳, 最好, 第一, 唯一, 首家, 独家, 顶级... except time/order words (第一次, 第一季度"
              "), "
              "consumer tips (最佳时间), required disclosures (最低还款额, 最高年化利率) and goals (致力于…最…).",
              conduct.absolute_terms, "CONFIRMED"),
    text_rule("ad.label", "error", "推销他人商品或服务并附购买途径的内容须标明“广告”",
              "广告法 第十四条; 互联网广告管理办法 (市场监管总局令第72号, 2023) 第九条; 《互联网广告可识别性执法指南》"
              "(2024)",
              "A text that offers goods or services other than the bank's financial products with a way to buy "
              "(购买链接, 立即购买, 下单, 到手价, 包邮, 直播间) and no 广告 mark.", conduct.ad_label, "CONFIRMED"),
    text_rule("ad.national-symbols", "warning", "广告不得使用国旗、国徽、国歌、军旗、军歌、军徽",
              "广告法 第九条第(一)项",
              "Promotion naming 国旗, 国徽, 国歌, 军旗, 军徽 or 军歌 (not negated).", conduct.national_symbols,
              "CONFIRMED"),
    text_rule("ad.data-citation", "warning", "广告引用统计、调查数据须注明出处",
              "广告法 第十一条第二款",
              "Promotion, or a sentence about the bank's own customers, with 据统计, 调查显示, 数据显示, "
              "N%的客户 or 累计服务N… and no 来源/出处.",
              conduct.data_citation, "CONFIRMED"),
    text_rule("marketing.no-disparagement", "warning", "不得贬低其他银行或机构",
              "广告法 第十三条; 关于进一步规范金融营销宣传行为的通知 (银发〔2019〕316号) 三(三)",
              "A negative comparison to other banks (其他银行都…, 别家银行不…, 跑路) in any text but a warning.",
              conduct.disparagement, "CONFIRMED"),
    text_rule("pii.no-bundled-consent", "warning", "不得以提供手机号、身份证号或同意营销作为参与活动的条件",
              "个人信息保护法 第十六条; 网络数据安全管理条例 第二十二条",
              "Taking part made conditional on a phone or ID number (填写手机号才能参与) or on consenting to marketing "
              "(同意接收营销信息后领取).", conduct.bundled_consent, "CONFIRMED"),
    text_rule("pii.no-credential-solicitation", "error", "不得要求用户发送密码、验证码、卡号或身份证号",
              "个人信息保护法 第六条; 反电信网络诈骗法 第三十条; JR/T 0171-2020 个人金融信息保护技术规范 (C3类)",
              "Any text asking to send, reply, tell or enter a 密码, 验证码, CVV, card or ID number (not negated: "
              "请勿向任何人提供验证码 passes).", personal.credential, "CONFIRMED"),
    text_rule("pii.card-masking", "error", "不得展示未屏蔽的银行卡号或身份证号",
              "个人信息保护法 第五十一条第(三)项; JR/T 0171-2020 附录A 信息屏蔽",
              "Any text showing a 16-19 digit card number or an 18-character ID number unmasked (尾号1234 and "
              "6222****1234 pass).", personal.card_masking, "CONFIRMED"),
    text_rule("platform.induced-sharing", "error", "不得以奖励诱导或强制用户分享",
              "微信公众平台运营规范 3.3.1 诱导分享; 微信外部链接内容管理规范 (2019-10-28) 1.2",
              "Share words (分享, 转发, 邀请好友, 助力, 集赞...) within 12 characters of a reward or gate (红包, 积分, "
              "抽奖机会, 才能, 解锁...), not negated (无需分享即可参与 passes); modules with share_reward, "
              "share_required or invite_reward.", platform.induced_sharing, "CONFIRMED", platform.share_mechanics),
    text_rule("platform.induced-follow", "error", "不得以奖励诱导或强制用户关注",
              "微信公众平台运营规范 3.3.2 诱导关注",
              "关注 with a reward or gate: 关注后领取, 关注即送, 关注有礼, 关注才能查看.", platform.induced_follow,
              "CONFIRMED"),
    text_rule("platform.induced-click", "warning", "不得以虚假红包、抽奖或仿冒系统通知诱导点击",
              "微信公众平台运营规范 诱导点击、混淆行为",
              "Click bait (点我领红包, 点我抽奖, 您有一个红包待领取) or WeChat's voice borrowed (微信官方, 微信团队, "
              "微信红包, 系统通知 with a click or a prize), not in a warning.", click.induced_click, "PARTIAL"),
)
