"""The labelled FAQ sets, the ranker's and a baseline's scores, and the calibration.

The tuning set and the blind sets (BLIND_SETS), one format (`faq_id<TAB>kind<TAB>question`, faq_id `-`
when out of scope):

- `questions.tsv` is the tuning set. Lexicon, dictionary, confidence and threshold are tuned looking at all
  of it. History: v1 split it by sha1(question) into a tune and a held-out part; the held-out part measured
  89.4% top-1 and 3.3% confident out-of-scope answers. That part was looked at afterwards, so it was retired
  into tuning. Then batches were written for the tuning work, each measured before tuning on it: 190
  questions (the v1 ranker: 61.4% top-1, 40.6% confident out-of-scope), 85 (the v2 ranker: 92.9%, 25%), 75
  (v3: 93.3%, 22.2%), 229 written blind by a separate session that saw only faqs.yaml (87.0%, 18.9%) and 231
  more written the same way (v5: 71.5% top-1, 14.0% confident out-of-scope, 1.6% wrong confident); its
  misses led to the uncovered-banking-word factor (a dictionary word no FAQ question uses: 解绑, U盾), the
  guards on homophone correction (no cutting a real word, common readings only) and everyday-word lexicon
  entries. On the whole tuning set the ranker before that work scored 82.9% top-1, 5.2% confident
  out-of-scope, 0.7% wrong confident at its threshold (0.0781), 86.8%, 6.9%, 1.2% recalibrated on the whole
  set (0.0488); after it, 94.9%, 2.0%, 0.6% (0.0466). Then 300 more written blind (v6: 88.3% top-1, 10.0%
  confident out-of-scope, 2.2% wrong confident before tuning; the 20 also in tuning or a blind set left out):
  other banks (unless money moves to one) and the regulators joined the outside words, everyday words the
  lexicon; on the whole set 94.1%, 2.2%, 0.6% (0.0470). v7 (288 written blind: 81.7%, 14.5% before tuning)
  and v8 (250 written blind: 75.5% top-1, 11.7% confident out-of-scope before tuning) followed; on the whole
  set 91.5%, 3.7%, 0.7% (0.0504). v9 (242 written blind, 40 of its 60 out-of-scope questions near misses:
  84.9%, 23.2% before tuning): on the whole set 90.6%, 4.3%, 1.0% (0.0529). v10 (249: 87.9%, 17.6%), v11 (251,
  follow-up near misses: 75.4%, 32.1%) and v12 (242, voice transcripts and keyword queries: 92.7%, 18.0%),
  each before tuning: on the whole set 91.2%, 7.1%, 1.2% (0.0506). v13 (236, 86 out of scope, most of them near
  misses: 90.7%, 38.4% before tuning) led to acts.txt: on the whole set 90.4%, 6.8%, 1.2% (0.0514). v14 (251,
  things described rather than named: 75.1%, 20.6% before tuning): on the whole set 90.8%, 7.8% (0.0472). v15
  (234, different customers' voices: 91.6%, 23.6% before tuning): on the whole set 90.9%, 8.2% (0.0472). v16
  (241, a small-city bank's customers: 85.6%, 20.4% before tuning): on the whole set 90.0%, 7.8% (0.0523). v17
  (222, a large city bank's customers: 87.7%, 25.5% before tuning): on the whole set 89.7%, 8.3% (0.0556). v18
  (253, five styles, two things mentioned with one asked: 74.9%, 17.2% before tuning): on the whole set 88.7%,
  8.6% (0.0571). v19 (253 written blind, new urban workers typing and speaking: 77.6%, 26.0% before tuning) and
  v20 (260, elderly and Hong Kong, Macau and Taiwan customers: 79.5%, 36.0%) led to acts asked of a thing
  (moving it elsewhere, twice at once, a fee, an expiry, a why), a space as a clause break, story words and a
  self-introduction (我是香港的客户) that no longer count, and getting a card read as opening an account: on the
  whole set 87.6%, 10.7%, 1.8% before (0.0571), 88.4%, 7.0%, 1.3% after (0.0604). v21 (250 written blind, young
  office workers and students: slang, emoji, several questions run together; 83.8%, 28.0% before tuning) led to
  every clause that asks a question of its own counting for the vetoes (clauses.py), an emoji as a clause break,
  follow-ups after the procedure as acts (没人回复, 去不了, 还在吗, 提前还款 of an instalment plan), an act named
  inside a longer word or by its kin (退 in 退回, act_kin.tsv), and an outside word the entry's own answer names
  (话费 for points) no longer vetoing it: on the whole set 88.2%, 8.0%, 1.3% before (0.0604), 89.5%, 4.6%, 1.2%
  after (0.0652); on v21 90.0% and 10.0% after. v22 (225 written blind, small-business owners typing between
  customers: 91.6%, 1.1% wrong confident, 19.1% confident out-of-scope before tuning) led to a clause that asks
  only to stop (怎么停) counting as asked, 解开 read as 解冻 after a freeze, mailing (多久能寄到) as a thing no FAQ
  covers and lexicon entries (选错 a payee, 排队 spared by 取号, 钱能回来 as 退回, 降下来 as a cut): on the whole set
  89.6%, 5.2%, 1.2% before, 90.1%, 4.7%, 1.2% after (0.0652, unchanged); on v22 96.1% and 10.6% after. v23
  (256 written blind, cautious customers asking conditions, follow-ups and limits, 72 of its 79 out-of-scope
  questions near misses: 85.3%, 2.8% wrong confident, 22.8% confident out-of-scope before tuning) led to X不X
  (能不能, 开不开) and a comparison (区别: 是同一个吗, 不一样) making a clause ask, follow-ups counted in the story
  too (没人回复, 去不了: told_acts.txt), what holds during a state (期间) and when a change takes effect (生效) as
  acts, and lexicon entries (收多少钱 as a fee, 两个人的 as 同时, 快递单号 as 邮寄, 最多能取 as 取款限额): on the
  whole set 89.9%, 5.8%, 1.2% before, 90.0%, 4.6%, 1.2% after (0.0652, unchanged); on v23 85.9% and 11.4% after.
  v24 (241 written blind, customers unsure with phones and banking: phonetic spelling, dialect words, very short
  or rambling; 86.1%, 0.6% wrong confident, 25.0% confident out-of-scope before tuning) led to a clause ending on
  'not' asking (能提前还不, 批咗未), a lone 开 read as 开通 for a service one switches on, an agent (代我去取) as an act
  only entries that say 本人 answer, cancelling answered by 注销 (act_kin.tsv), banking words no FAQ covers (盖章,
  贷几成, 最多能绑几张) and dialect lexicon entries (好多钱 as how much, 剩下的还掉 as prepaying): on the whole set
  89.8%, 5.7%, 1.2% before, 90.3%, 5.1%, 1.2% after (0.0652, unchanged); on v24 91.9% and 14.7% after.
  v25 (246 written blind, customers in a hurry or under stress: short bursts, several messages in one line; 89.4%,
  0.6% wrong confident, 22.7% confident out-of-scope before tuning) led to a hurried 咋整 or 怎么弄 making a clause
  ask, a limit used up (用完) as an act, a tablet (平板, iPad) as a device no FAQ answers for, a closed-end product
  (封闭式) as a banking word no FAQ question covers and 最低几成 as a loan's share: on the whole set 90.2%, 5.9%,
  1.1% before, 90.2%, 5.6%, 1.1% after (0.0652, unchanged); on v25 89.4% and 16.7% after.
  v26 (258 written blind, angry customers venting: 83.7%, 2.4% wrong confident, 18.0% confident out-of-scope before
  tuning), v27 (245, foreigners and returnees mixing English words: 85.2%, 2.6%, 12.2%) and v28 (221, parents and
  teenagers: 87.6%, 2.2%, 18.6%) led to English banking words (statement, PIN, OTP, auto-debit, buy euros) and
  everyday wordings in the lexicon, bare verbs read by the thing they act on kept as data (bare_verbs.tsv: 开 before
  an account is 开户, 出一份 a statement is 打印), a scam's payment stopped as a freeze, the app's password as the
  login one and 吗 no longer corrected as a typo: on the whole set 89.7%, 6.6%, 1.3% before, 92.1%, 5.3%, 1.0% after
  (0.0652, unchanged); on v26 91.8% and 6.0%, v27 95.9% and 2.0%, v28 94.9% and 11.6% after (each tuner's figure).
  v29-v33 (1,205 written blind: Cantonese as typed, the wrong banking words, pasted phone messages, several
  questions in one message, small-shop owners) and v34-v41 (1,966: young people's slang and pinyin initials,
  customers over sixty, Taiwanese banking words in traditional script, search-box fragments, characters of similar
  shape, Wu dialect words, customers describing the screen, Minnan words), each measured once as it joined
  (78.4-92.1% top-1, 4.3-38.8% confident out-of-scope) and tuned on by gated helpers, led to a clause set aside or
  put off (先不管, 就不买了) and a turn to another matter (另外, 顺便问下) leaving the story, 请问 asking, keywords
  typed apart all asked and pieces typed apart joined into a word, a run one look-alike character from a banking
  term read as it (shapes.py), written Wu and Minnan read as Mandarin (wu.tsv, minnan.tsv), a fixed segmenter
  total, and everyday, Taiwanese and English words in the lexicon: on the whole set 94.4%, 0.5% wrong confident,
  3.8% confident out-of-scope after v41; the calibration moved to 0.0641 with v36 and v37 (no blind set lost at it).
  v42-v45 (943 written blind: Hunan, Hubei and Jiangxi words, voice input, southern accents in pinyin input, Chinese
  as a second language; 88.6-93.0% top-1, 8.3-16.3% confident out-of-scope as they joined) led to written Xiang and
  Gan read as Mandarin (xiang.tsv), a homophone read as a term only where it sounds as the term is read, a run one
  southern slip from a banking term read as it (accents.py), a banking word said alone before the question as its
  topic (clauses.topic_clauses), fillers (就是, 比如) as stopwords and acts no entry's answer takes for another (起存,
  辨别, a fee waived): on the whole set 94.8%, 0.5%, 3.3% after v45 (0.0641, unchanged).
  v46 (258 written blind as customers type fast on a phone: emoji, stretched characters, fillers; 94.7% top-1, 10.0%
  confident out-of-scope as it joined) led to a character typed three times read once, urgency after the question
  as a stopword, everyday words for a pickpocketed card and a loss reported by phone, and near misses no entry's
  answer takes (a holiday's days off, an overpayment's surplus): on the whole set 95.1%, 0.4%, 3.1% (0.0641).
  v47 (196 written blind as customers write who use payment apps' words for banking things; 84.2% top-1, 0.0%
  confident out-of-scope as it joined) led to a payment app's product read as a comparison or background rather
  than the topic (compare.py, payment_apps.txt) and a channel named as where something is done read as no other
  thing asked (channels.py): on the whole set 95.3%, 0.4%, 3.1% (0.0641).
  v48 (228 written blind in net shorthand and number-speak; 90.5% top-1, 6.1% confident out-of-scope as it joined)
  led to net spellings read as words (net.tsv: 木有, 神马, 肿么, whole-number 9494 and 886), 万 after a number read
  as its unit, a done part before an announced question counted at half (turns.py), and typo correction aimed only
  at regional words that name banking things: on the whole set 95.3%, 0.4%, 3.0% (0.0641).
  v62 (248 written blind as Cantonese speakers from Guangdong, Hong Kong and Macau type: written Cantonese,
  traditional script, Jyutping with tone numbers, Hong Kong banking words; 64.8% top-1, 3.8% wrong confident, 10.5%
  confident out-of-scope as it joined) led to Jyutping read into characters before written Cantonese is
  (jyutping.py, data/jyutping.tsv), more written Cantonese read as Mandarin (返 after a verb, 仲, 碌, 几耐先,
  户口 with a card or a charge as the account), the time an act sets said alone before the question (销咗户之后，…)
  asked as a topic, and a thing's price per piece as a near miss: on v62 91.9% and 2.6% after; on the whole set
  95.3%, 0.3%, 1.4% as it joined, 95.9%, 0.3%, 1.3% after (0.0641, unchanged).
  v63 (260 written blind as Wu speakers from Shanghai, Zhejiang and southern Jiangsu type: 阿拉, 侬, 哪能, 伐, 弗, 铜钿,
  辰光; 91.0% top-1, 0.5% wrong confident, 12.0% confident out-of-scope as it joined) led to more written Wu read as
  Mandarin (wu.tsv: 弗, 哪能, 铜钿, 钞票, 个号头, 脱, 勒, 拨, 侪, 搿, 事体), Wu 伐 and a whole X不X (好不好) asking, 好
  before a verb in a 伐 question as 能, 个 as 的 after a far-end bank (农行个卡), 别家银行卡 not the credit card just
  named, 到哪里了 as progress, 不肯还 as 退回, 退不出来 as a card kept, 还欠 as a debt and a loan moved to another bank
  as 转贷: on v63 98.1% (99.5% ranked first), 0.0% and 4.0% after; on the whole set 95.8%, 0.3%, 1.5% as it joined,
  96.0%, 0.3%, 1.4% after (0.0641, unchanged; the calibration now gives 0.0634, within the test's tolerance).
  v64 (241 written blind as Wuhan and Hubei speakers type: 么斯, 冇, 克 for 去, 几多, 伢, 撒, 咧; 89.5%, 1.0%, 10.0%
  as it joined) led to written Hubei read as Mandarin (xiang.tsv), 咧 and 撒 as stopwords, 收不收钱 a fee, hiring,
  a loan's guarantor and a partner who has gone (身故) as things no FAQ answers, and 开户在孝感 as a branch: on v64
  91.1% (99.0% ranked first), 1.0% and 4.0% after; on the whole set 95.9%, 0.3%, 1.5% → 1.4% (0.0641, unchanged).
  v65 (203 written blind as Yunnan and Guizhou customers type: 哪样, 咋个, 克得赢, 遭, 么 for 吗; 89.0% top-1,
  1.3% wrong confident, 4.2% confident out-of-scope as it joined) led to written Yunnan-Guizhou read as Mandarin
  (sichuan.tsv), 咋个 asking, 么 closing a clause for 还, a lone 刷 with a bill or repayment as a credit card, a wish
  (想买点理财) turning the story when the question names no banking word, a reason given for an act (停机 for 收不到
  codes: act_reasons.tsv), another bank's card repaid from as the money's far end, a forecast (会涨) and a
  customer's own name changed (名字改了) as things no FAQ answers: on v65 100% (100% ranked first), 0.0% and 0.0%
  after; on the whole set 95.8%, 0.3%, 47 of 3,243 as it joined, 96.0%, 0.3%, 45 after (0.0641, unchanged).
  v66 (181 written blind as worried customers write after a suspicious call, text, link or QR code: 说我涉嫌洗钱,
  让我下载会议软件; 90.1% top-1, 0.7% wrong confident, 15.0% confident out-of-scope as it joined) led to asking
  whether a caller, number or message is really the bank's (辨别: 是你们的员工), 延期 asked alone, giving back money
  sent by mistake (退给对方), picking records (筛选), a stolen card's spending asked back (追回) and a police case's
  progress (案件) as things no FAQ answers, and scam words (会议软件, 共享屏幕): on v66 96.5% (97.9% ranked first),
  0.0% and 0.0% after; on the whole set 95.9%, 0.3%, 51 of 3,283 as it joined, 96.0%, 0.3%, 44 after (0.0641,
  unchanged).
  v67 (185 written blind as Jiangxi customers type Gan and Hakka words: 么哩, 冇, 箇, 渠, 几多; 97.7% top-1, 0.8%
  wrong confident, 7.7% confident out-of-scope as it joined) led to more written Gan read as Mandarin (xiang.tsv:
  么哩, 几久, 听讲, 渠讲, 么样弄得来), a wish told of another (我妈想买点理财) turning the story, a child's age asked
  (小孩子几岁) as a minor's, a new card 拿到手 as received, and an account's management fee, 撤单 and an old mortgage
  (老房贷: 存量房贷) as things no FAQ answers: on v67 100% (100% ranked first), 0.0% and 0.0% after; on the whole set
  96.1%, 0.3%, 48 of 3,335 as it joined, 96.1%, 0.3%, 44 after (0.0641, unchanged; X没X asking was dropped).
  v68 (182 written blind as Hubei and Wuhan customers type: 么样, 搞么斯, 冇得, 屋, 克 for 去; 95.5% top-1, 0.7% wrong
  confident, 6.2% confident out-of-scope as it joined) led to a message with one clause of content words asking all
  of them (我想查下我老公卡里的流水，可以不: not only the thing it points at), Wuhan's 屋 as home and 么样办 as 怎么办,
  欲期 read as 逾期, who did it or who someone is (是哪个捡到的, 经理是哪个: 何人所为) as a thing no FAQ answers, and
  everyday words (被人摸了, 家旁边, 拆开了, 加点 of a limit): on v68 100% (100% ranked first), 0.0% and 0.0% after; on
  the whole set 96.1%, 0.3%, 47 of 3,383 as it joined, 96.1%, 0.3%, 44 after (0.0641, unchanged).
- `heldout2.tsv` (v2, 400 questions) is written blind by someone who has not seen the ranker's failures, and
  is never looked at while tuning; its figures were measured once after each batch of changes.
- `heldout3.tsv` (v3, 245 questions) is the other half of the session that wrote v5 (split by a hash of the
  question; questions also in tuning or v2 left out), measured for the first time after the v5 work.
- `heldout4.tsv` (v4, 449 questions) is written blind by another session that saw only faqs.yaml (480, the 31
  also in another set left out), measured for the first time after the v6 work.
- `heldout5.tsv` (v5, 289 questions) is written blind by another session that saw only faqs.yaml (300, the 11
  also in another set left out; half its out-of-scope questions near misses), measured for the first time
  before the v8 tuning.
- `heldout6.tsv` (v6, 251 questions) is written blind by another session that saw only faqs.yaml (260, the 9
  also in tuning left out; 30 of its 47 out-of-scope questions near misses), measured first after v18, not tuned on.
-  `heldout7.tsv` (v7, 249 questions) is written blind (faqs.yaml only) (260, the 11 also in another set left out; 44
  out of scope, most near misses), measured once on arrival, and not tuned on.
-  `heldout8.tsv` (v8, 252 questions) is written blind (faqs.yaml only) as rural and small-town customers write (260,
  the 8 also in another set left out; 50 out of scope, most near misses), measured once (after v20), not tuned on.
-  `heldout9.tsv` (v9, 260 questions) is written blind (faqs.yaml only) as upset customers and foreigners writing
  simple Chinese write (50 out of scope, most near misses), measured once on arrival (after v21), not tuned on.
-  `heldout10.tsv` (v10, 260 questions) is written blind (faqs.yaml only) as customers away from home and customers
  asking for a family member write (50 out of scope, most near misses), measured once (before v22), not tuned on.
-  `heldout11.tsv` (v11, 220 questions) is written blind (faqs.yaml only) as gig workers on the move write: voice
  input, no punctuation (264, 44 left out; 42 out of scope, most near misses), measured once (before v26), not tuned on.
-  `heldout12.tsv` (v12, 265 questions) is written blind (faqs.yaml only) as customers who write formally and at
  length write (letters, honorifics, background first; 50 out of scope, most near misses), measured once (after
  v26–v28), not tuned on.
-  `heldout13.tsv` (v13, 245 questions) is written blind (faqs.yaml only) as customers from northern and north-eastern
  China write (dialect words, voice input; 261, the 16 also in another set left out; 48 out of scope, most near
  misses), measured once on arrival (before the v29–v30 tuning), and not tuned on.
-  `heldout14.tsv` (v14, 246 questions) is written blind (faqs.yaml only) as customers from Sichuan, Chongqing and the
  south-west write (啥子, 咋个, 莫得; voice input; 265, the 19 also in another set left out; 51 out of scope, most
  near misses), measured once on arrival (before the v34–v35 tuning), and not tuned on.
-  `heldout15.tsv` (v15, 224 questions) is written blind (faqs.yaml only) as office workers write who switch between
  Chinese and English in one sentence (card被lock了, transfer失败; 260, the 36 also in another set left out; 47 out of
  scope, most near misses), measured once on arrival (before the v42 tuning), and not tuned on.
-  `heldout16.tsv` (v16, 237 questions) is written blind (faqs.yaml only) as customers from Shandong, Henan, Hebei and
  Shanxi write as they speak (俺, 恁, 中不中, 咋弄嘞; 260, the 23 also in another set left out; 46 out of scope, most
  near misses), measured once on arrival (before the v46 tuning), and not tuned on.
-  `heldout17.tsv` (v17, 244 questions) is written blind (faqs.yaml only) as customers from the north-west (Shaanxi,
  Gansu, Ningxia, Qinghai) write as they speak (额 for 我, 嫑, 咋咧, 得是; 262, the 18 also in another set left out;
  50 out of scope, most near misses), measured once on arrival (while v46 was being tuned on, before v47), and not
  tuned on.
-  `heldout18.tsv` (v18, 248 questions) is written blind (faqs.yaml only) as customers from Guangxi, Hainan and the
  Hakka areas write, mixing Hakka and local words into Mandarin (𠊎 for 我, 系, 冇, 做脉个; 265, the 17 also in
  another set left out; 49 out of scope, most near misses), measured once on arrival (before v48), and not tuned on.
-  `heldout19.tsv` (v19, 213 questions) is written blind (faqs.yaml only) as customers write who think they are
  talking to a bot (查询 余额, 转人工, numbered replies, hashtags, Q: prefixes; 260, the 47 also in another set left
  out; 32 out of scope, most near misses), measured once on arrival (before v49), and not tuned on.
-  `heldout20.tsv` (v20, 246 questions) is written blind (faqs.yaml only) as overseas Chinese from South-East Asia
  write (户头, 提款机, 德士, lah, 酱 for 这样; 264, the 18 also in another set left out; 50 out of scope, most near
  misses), measured once on arrival (before v50), and not tuned on.
-  `heldout21.tsv` (v21, 200 questions) is written blind (faqs.yaml only) as nurses, teachers and civil servants write
  in short breaks at work (工资卡, 公积金, 代发, 单位; 260, the 60 also in another set left out; 38 out of scope, most
  near misses), measured once on arrival (before v51), and not tuned on.
-  `heldout22.tsv` (v22, 249 questions) is written blind (faqs.yaml only) as older customers write by handwriting
  input (look-alike characters: 挂夫 for 挂失, 密妈 for 密码; 260, the 11 also in another set left out; 47 out of
  scope, most near misses), measured once on arrival (before v52), and not tuned on.
-  `heldout23.tsv` (v23, 250 questions) is written blind (faqs.yaml only) as deaf and hard-of-hearing customers write,
  many in the word order of Chinese Sign Language (卡 丢了 办 怎么; 260, the 10 also in another set left out; 50 out
  of scope, most near misses), measured once on arrival (before v53), and not tuned on.
-  `heldout24.tsv` (v24, 197 questions) is written blind (faqs.yaml only) as shopkeepers, market-stall and
  small-restaurant owners ask about their own cards in shop talk (收款码, 流水, 营业款; 261, the 64 also in another
  set left out; 36 out of scope, most near misses), measured once on arrival (before v55), and not tuned on.
-  `heldout25.tsv` (v25, 220 questions) is written blind (faqs.yaml only) as customers write who switch between
  Chinese and English in one message (我的card被lock了, password忘了怎么reset; 267, the 47 also in another set left
  out; 39 out of scope, most near misses), measured once on arrival (before v56), and not tuned on.
-  `heldout26.tsv` (v26, 215 questions) is written blind (faqs.yaml only) as office workers type during meetings, in
  pinyin initials and abbreviations (yhk 银行卡, mm 密码, zz 转账; 260, the 45 also in another set left out; 38 out of
  scope, most near misses), measured once on arrival (before v57), and not tuned on.
-  `heldout27.tsv` (v27, 263 questions) is written blind (faqs.yaml only) as young people write in internet slang and
  abbreviations (绝绝子, yyds, 破防了, xswl; 265, the 2 also in another set left out; 49 out of scope, most near
  misses), measured once on arrival (before v58), and not tuned on.
-  `heldout28.tsv` (v28, 226 questions) is written blind (faqs.yaml only) as night-shift and gig workers type fast
  with one hand between jobs (short, unpunctuated, voice-input slips, dropped words; 267, the 41 also in another set
  left out; 42 out of scope, most near misses), measured once on arrival (before v59), and not tuned on.
-  `heldout29.tsv` (v29, 171 questions) is written blind (faqs.yaml only) as customers from north-east China and
  Shandong type the way they talk (咋整, 嘎哈, 贼; blunt, jokey, often a little story; 227, the 56 also in another set
  left out; 37 out of scope, most near misses), measured once on arrival (before v60), and not tuned on.
-  `heldout30.tsv` (v30, 244 questions) is written blind (faqs.yaml only) as Cantonese speakers from Guangdong and
  Hong Kong type (唔, 咩, 嘅, 點樣, 冇; traditional script, English words, Jyutping; 250, the 6 also in another set
  left out; 38 out of scope, most near misses), measured once on arrival (before v62), and not tuned on.
-  `heldout31.tsv` (v31, 191 questions) is written blind (faqs.yaml only) as farmers and small-town residents in rural
  Hunan, Jiangxi and Anhui type by voice or slowly (咋个, 么子, 晓得; subsidies paid into the card, the village
  service point; 250, the 59 also in another set left out; 38 out of scope, most near misses), measured once on
  arrival (after v62), and not tuned on.
-  `heldout32.tsv` (v32, 258 questions) is written blind (faqs.yaml only) as customers from Taiwan and overseas
  Taiwanese type (traditional script, Taiwan Mandarin words: 提款卡, 網路銀行, 簡訊, 存摺; 259, the 1 also in another
  set left out; 51 out of scope, most near misses), measured once on arrival (before v63), and not tuned on.
-  `heldout33.tsv` (v33, 228 questions) is written blind (faqs.yaml only) as university students and recent graduates
  type (living money, part-time pay, campus cards, scholarships; slang and pinyin; 269, the 41 also in another set
  left out; 46 out of scope, most near misses), measured once on arrival (after v63), and not tuned on.
- `heldout34.tsv` (v34, 244) is written blind likewise, as Fujian and Chaoshan customers type Minnan and Teochew words
  (汝, 伊, 无, 欲, 免; 262, the 18 also in another set left out; 50 out of scope), measured once after v64, untuned.
- `heldout35.tsv` (v35, 207), `heldout36.tsv` (v36, 193) and `heldout37.tsv` (v37, 204), each written blind by
  another session that saw only faqs.yaml: customers from Beijing and Tianjin typing as they talk (您呐, 甭, 介 for
  这, 嘛 for 什么; 264, the 57 also in another set left out; 44 out of scope), blind customers with a screen reader and
  voice input (260, 67 left out; 51 out of scope), each measured once before v65, and customers replying to a push
  (你们刚发的那条; 262, 58 left out; 51 out of scope), once after v65; none tuned on.
- `heldout38.tsv` (v38, 191) is written blind by another session that saw only faqs.yaml, as customers from Shanxi,
  Inner Mongolia and northern Shaanxi type (Jin: 甚, 咋介, 夜来, 年时; 269, the 78 also in another set left out; 51 out
  of scope), measured once when it came in (after v66), and not tuned on; `heldout39.tsv` (v39, 193) likewise, as
  Guangxi customers type (哪样, 得不得, 么子, 不消; 260, 67 left out; 50 out of scope), once after v67;
  heldout40 (v40, 198: foreigners' learned Chinese; 62 left out) and heldout41 (v41, 188: Wenzhou's 阿拉, 侬; 72) once
  before v68; after it, heldout42 (v42, 192: Dongguan factory workers; 76) and heldout43 (v43, 173: Hunan; 86).
The blind sets' figures are the ones that count; the tests skip a missing one (a failure under .ci/run)."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import yaml

from oa_spec.gateway.config import FaqEntry
from oa_spec.gateway.faq.ranker import FaqRanker

HERE = Path(__file__).resolve().parent.parent / "tests" / "gateway" / "faq"  # the labelled sets live with their tests
TUNING = HERE / "questions.tsv"
BLIND_SETS = tuple(f"heldout{n}.tsv" for n in range(2, 44))  # v2 to v43, each described above
# (multi: two things mentioned, one of them asked; from v18)
KINDS = frozenset({"story", "typo", "pinyin", "trad", "colloq", "para", "multi", "oos"})


@dataclass(frozen=True)
class Question:
    label: str  # an FAQ id, or "-" when out of scope
    kind: str
    text: str


def load_faqs() -> list[FaqEntry]:
    data = yaml.safe_load((HERE / "faqs.yaml").read_text(encoding="utf-8"))
    return [FaqEntry(id=d["id"], questions=tuple(d["questions"]), answer=d["answer"]) for d in data]


def load_questions(path: Path = TUNING) -> list[Question]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) != 3:
                raise ValueError(f"{path.name}:{number}: expected faq_id<TAB>kind<TAB>question, got {line!r}")
            rows.append(Question(*fields))
    return rows


def load_blind(name: str) -> list[Question] | None:
    """A blind set, or None while it has not been delivered."""
    path = HERE / name
    return load_questions(path) if path.exists() else None


@dataclass(frozen=True)
class Report:
    in_scope: int
    top1: float  # share of in-scope questions whose top entry is right AND answered confidently
    top1_ranked: float  # share whose top entry is right, confident or not
    out_of_scope: int
    confident_oos: float  # share of out-of-scope questions answered confidently (must be tiny)
    wrong_confident: float  # share of in-scope questions answered confidently with the wrong entry


Decide = Callable[[str], tuple[str, float]]  # question -> (top id, confidence)


def evaluate(decide: Decide, threshold: float, questions: Sequence[Question]) -> Report:
    inside = [q for q in questions if q.label != "-"]
    outside = [q for q in questions if q.label == "-"]
    right = ranked_right = wrong = 0
    for q in inside:
        top, confidence = decide(q.text)
        sure = confidence >= threshold
        ranked_right += top == q.label
        right += top == q.label and sure
        wrong += top != q.label and sure
    oos = sum(decide(q.text)[1] >= threshold for q in outside)
    return Report(len(inside), right / max(1, len(inside)), ranked_right / max(1, len(inside)), len(outside),
                  oos / max(1, len(outside)), wrong / max(1, len(inside)))


def ranker_decide(ranker: FaqRanker) -> Decide:
    def decide(text: str) -> tuple[str, float]:
        ranked = ranker.rank(text)
        return ranked[0].entry.id, ranked[0].confidence
    return decide


def failures(decide: Decide, threshold: float, questions: Sequence[Question]) -> list[tuple[Question, str, float]]:
    """Questions answered wrongly: in scope with the wrong or an unconfident top entry, out of scope confident."""
    out = []
    for q in questions:
        top, confidence = decide(q.text)
        sure = confidence >= threshold
        if (q.label == "-" and sure) or (q.label != "-" and (top != q.label or not sure)):
            out.append((q, top, confidence))
    return out


class BigramBaseline:
    """The plain approach the issue measures against: character-bigram BM25 over the canonical questions,
    out of scope when the top score is below a threshold."""

    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        self.ids = [e.id for e in entries]
        self.docs = [Counter(self._grams("".join(e.questions))) for e in entries]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg = sum(self.lengths) / len(self.lengths)
        df = Counter(g for d in self.docs for g in d)
        self.idf = {g: math.log(1 + (len(self.docs) - n + 0.5) / (n + 0.5)) for g, n in df.items()}

    @staticmethod
    def _grams(text: str) -> list[str]:
        return [text[i:i + 2] for i in range(len(text) - 1)]

    def decide(self, text: str) -> tuple[str, float]:
        grams = sorted(set(self._grams(text)))  # a fixed order of summing: equal scores stay equal in every run
        best_id, best = self.ids[0], -1.0
        for doc_id, doc, length in zip(self.ids, self.docs, self.lengths, strict=True):
            score = sum(self.idf[g] * doc[g] * 2.2 / (doc[g] + 1.2 * (0.25 + 0.75 * length / self.avg))
                        for g in grams if g in doc)
            if score > best:
                best_id, best = doc_id, score
        return best_id, best


MARGIN = 0.25
# A wrong answer (to the wrong entry, or to a question the FAQ does not cover) costs a bank about as much as
# three offers of a human: the customer acts on it, and someone has to repair it.
WRONG_COST = 3.0


def calibrate(decide: Decide, questions: Sequence[Question], max_oos: float | None = None,
              wrong_cost: float = WRONG_COST, margin: float = MARGIN) -> float:
    """The confidence threshold that maximises right answers minus `wrong_cost` times wrong ones (a wrong
    entry answered confidently, or an out-of-scope question answered at all), counting each out-of-scope
    question as (1 + margin) times as confident as it was: the safety margin, so a new question somewhat more
    convincing than the tuning ones is still refused. `max_oos`, when given, also caps the share of
    out-of-scope questions answered. Ties go to the lowest threshold."""
    cached = [(q, *decide(q.text)) for q in questions]
    outside = sorted(c * (1 + margin) for q, _, c in cached if q.label == "-")
    inside = sorted((c, 1.0 if q.label == top else -wrong_cost) for q, top, c in cached if q.label != "-")
    confidences = [c for c, _ in inside]
    # gain_from[i]: what answering inside[i:] is worth; a sorted sweep, not a pass over every question per threshold
    gain_from = [*reversed(list(accumulate(g for _, g in reversed(inside)))), 0.0]
    allowed = len(outside) if max_oos is None else math.floor(max_oos * len(outside) + 1e-9)
    candidates = sorted(set(confidences) | {math.nextafter(c, math.inf) for c in outside} | {math.inf})
    best, best_gain = math.inf, -math.inf
    for threshold in candidates:
        answered_outside = len(outside) - bisect_left(outside, threshold)
        if answered_outside > allowed:
            continue
        gain = gain_from[bisect_left(confidences, threshold)] - wrong_cost * answered_outside
        if gain > best_gain:
            best, best_gain = threshold, gain
    return best
