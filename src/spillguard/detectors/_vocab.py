"""Value vocabularies shared by the column detectors (not a plugin module).

Every set is normalised with ``norm`` (NFKC, case-folded, single spaces) so lookups are
plain membership tests. ``words`` splits on commas when there are any (multi-word English
terms), else on whitespace.
"""

from __future__ import annotations

import unicodedata


def norm(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def words(*groups: str) -> frozenset[str]:
    out: set[str] = set()
    for g in groups:
        parts = g.split(",") if "," in g else g.split()
        out |= {norm(p) for p in parts if p.strip()}
    return frozenset(out)


def numbers(lo: int, hi: int, pad: int = 0) -> frozenset[str]:
    """Codes lo..hi, unpadded and (when pad) zero-padded: numbers(1, 3, 2) = 1 2 3 01 02 03."""
    out = {str(i) for i in range(lo, hi + 1)}
    if pad:
        out |= {str(i).zfill(pad) for i in range(lo, hi + 1)}
    return frozenset(out)


# -- names ---------------------------------------------------------------------------
# The ~150 most common single surnames (about 87 % of the population) and the common
# compound ones. Kept short on purpose: a long list makes ordinary words look like names.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺"
    "顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关"
    "兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁"
    "蒲房滕屈饶解牟艾尤阳穆农卓吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟应臧"
)
COMPOUND_SURNAMES = words(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 闻人 澹台"
    " 公冶 太史 申屠 端木 万俟 呼延 南宫 独孤 西门 百里 东郭 赫连 拓跋 左丘 司空 濮阳 淳于"
)
# Values that are never personal names even when name-shaped.
NON_NAMES = words(
    "正常 启用 停用 禁用 删除 已删除 有效 无效 未知 其他 成功 失败 待审核 已审核 审核中 通过 未通过"
    " 管理员 超级管理员 系统管理员 普通用户 用户 测试 测试用户 游客 访客 默认 暂无 待定 完成 已完成"
    " 未完成 处理中 进行中 关闭 开启 在线 离线 冻结 正式 临时 全部 本人 户主 配偶 子女 父亲 母亲"
    " 程序员 司机 保安 经理 主任 老师 医生 护士 学生 职工 干部 农民 工人 居民 业主 租户 匿名 无名氏"
    " 黄金会员 白金会员 钻石会员 金卡 银卡 高级 中级 初级 高中 初中 小学 大学 本科 专科 硕士 博士"
    " 安全 平安 方便 常用 常规 马上 周末 周一 周二 周三 周四 周五 周六 周日 林地 石油 金额 高速"
)
NON_NAME_SUFFIXES = (
    "省", "市", "县", "区", "镇", "乡", "村", "路", "街", "巷", "族", "教", "局", "院", "厅", "站",
    "店", "厂", "馆", "公司", "集团", "银行", "学校", "大学", "中学", "小学", "医院", "党员", "团员",
    "群众", "症", "病", "炎", "癌", "压", "号", "室", "楼", "栋", "门", "部", "处", "组", "师", "员",
)
NON_NAME_WORDS = words(
    "street avenue road lane drive way boulevard city county state park hotel bank inc ltd llc co"
    " corp company group pro max plus mini ultra air watch phone pad book edition series version test"
    " admin user default system service server new york san los las united kingdom china university"
    " college school hospital center centre church store shop market apple samsung galaxy kindle"
    " paperwhite macbook iphone ipad surface thinkpad pixel office cable adapter charger speaker"
    " wireless bluetooth black white red blue green gold silver pack set kit box bottle case cover"
    " coffee tea milk water juice chicken beef pizza burger salad cola classic original premium deluxe"
)

# -- special categories ----------------------------------------------------------------
ETHNIC_GROUPS = words(
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族"
    " 哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族"
    " 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族"
    " 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
)
ETHNIC_WEAK = (
    frozenset(n[:-1] for n in ETHNIC_GROUPS)  # 汉, 维吾尔, 哈萨克 …
    | words("穿青人 未识别民族 外国血统中国籍人士 入籍 其他 其它")
    | words("han, uyghur, uighur, uygur, hui, tibetan, mongol, mongolian, kazakh, kazak, zhuang,"
            " manchu, miao, yi, tujia, dong, yao, bai, hani, dai, li, kyrgyz, tajik, uzbek, tatar")
    | numbers(1, 58, 2) | words("97 98")  # GB 3304 codes
)

POLITICAL = words(
    "中共党员 中共预备党员 中国共产党党员 中国共产党预备党员 共产党员 党员 预备党员 共青团员 团员"
    " 中国共产主义青年团团员 群众 民革会员 民盟盟员 民建会员 民进会员 农工党党员 致公党党员 九三学社社员"
    " 台盟盟员 民主党派 民主党派成员 无党派人士 无党派民主人士 少先队员",
    "party member, ccp member, cpc member, communist party member, communist, ccp, cpc,"
    " probationary party member, probationary ccp member, youth league member,"
    " communist youth league member, cyl member, the masses, masses, ordinary citizen,"
    " democratic party member, non-party, non-party personage, independent (non-party)",
)
POLITICAL_WEAK = (
    numbers(1, 13, 2)  # GB/T 4762 codes
    | words("无 是 否 0", "yes, no, y, n, true, false")
    | words("democrat, democratic, republican, labour, labor, conservative, tory, liberal,"
            " liberal democrat, green, greens, socialist, independent, libertarian, kmt, dpp")
)

RELIGIONS = words(
    "伊斯兰教 佛教 基督教 天主教 道教 东正教 藏传佛教 汉传佛教 南传佛教 基督新教 新教 犹太教 印度教"
    " 喇嘛教 萨满教 锡克教 神道教 摩门教",
    "islam, muslim, moslem, sunni, shia, buddhism, buddhist, christianity, christian, catholic,"
    " roman catholic, catholicism, protestant, protestantism, evangelical, taoism, taoist, daoism,"
    " judaism, jewish, jew, hinduism, hindu, sikhism, sikh, orthodox, eastern orthodox,"
    " orthodox christian, shinto, atheist, atheism, agnostic",
)
RELIGION_WEAK = words("无 无宗教信仰 不信教 无信仰 其他 其它", "none, no religion, other, not religious")

MARITAL = words(
    "未婚 已婚 离异 离婚 丧偶 初婚 再婚 复婚 已婚有配偶 分居 未说明的婚姻状况",
    "single, married, divorced, widowed, widow, widower, separated, never married,"
    " domestic partnership, civil partnership, unmarried",
)
MARITAL_WEAK = numbers(1, 4) | numbers(9, 9) | words("10 20 21 22 23 30 40 90 s m d w")  # GB/T 2261.2

GENDER = words("男 女 男性 女性", "male, female, man, woman, m, f, 男士, 女士")
GENDER_WEAK = words("0 1 2 9 未知 未说明 未知的性别 未说明的性别", "unknown, other, x, u")

HEALTH = words(
    "高血压 低血压 糖尿病 冠心病 心脏病 哮喘 肺结核 结核病 乙肝 乙型肝炎 丙肝 丙型肝炎 艾滋病 艾滋"
    " 艾滋病病毒感染者 精神分裂症 精神分裂 精神病 重性精神疾病 抑郁症 焦虑症 双相情感障碍 癫痫 肿瘤"
    " 癌症 肺癌 肝癌 胃癌 乳腺癌 白血病 脑梗 脑梗塞 脑卒中 中风 慢阻肺 肾衰竭 尿毒症 智力残疾"
    " 精神残疾 肢体残疾 视力残疾 听力残疾 言语残疾 吸毒 戒毒 梅毒 淋病 新冠肺炎 老年痴呆"
    " 阿尔茨海默病 帕金森病 怀孕 妊娠 孕妇 自闭症 孤独症 血友病 地中海贫血 红斑狼疮 类风湿",
    "hypertension, diabetes, asthma, hiv, aids, hiv positive, tuberculosis, schizophrenia,"
    " depression, bipolar disorder, epilepsy, cancer, hepatitis b, hepatitis c, dementia,"
    " alzheimer's, parkinson's, pregnant, pregnancy, covid-19, stroke, heart disease, copd,"
    " autism, leukemia, leukaemia, ptsd, adhd, anxiety disorder, multiple sclerosis",
)
HEALTH_WEAK = words("健康 良好 一般 较差 患病 有病史 无病史 残疾 慢性病 阳性 阴性 无 有")

NOT_A_NAME = NON_NAMES | ETHNIC_GROUPS | POLITICAL | RELIGIONS | MARITAL | GENDER | HEALTH | HEALTH_WEAK
