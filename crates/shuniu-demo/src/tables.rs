//! The vocabulary the generator draws from: Xuanwu's streets with their communities and
//! roads, the kinds of organizations found there, and the words their names are built of.

use shuniu_domain::registry::ServiceDomain::{self, *};

/// Xuanwu district (GB/T 2260).
pub const XUANWU: &str = "320102";

/// Nanjing 南京市, which registers foundations (GB/T 2260).
pub const NANJING: &str = "320100";

/// A street 街道 of Xuanwu with the places its organizations sit in.
pub struct Street {
    pub code: &'static str,
    pub name: &'static str,
    /// How local names shorten it (梅园阳光家园, 锁金阳光家园 …).
    pub short: &'static str,
    /// How many organizations are registered or filed in it (they add up, with the
    /// district-level ones, to the article's 1,379).
    pub quota: usize,
    pub roads: &'static [&'static str],
    /// Communities 社区 and the road their activity rooms are on.
    pub communities: &'static [(&'static str, &'static str)],
}

/// Organizations registered with the district itself rather than placed in a street.
pub const DISTRICT_QUOTA: usize = 118;

/// The district office's road, for district-level organizations.
pub const DISTRICT_ROADS: &[&str] = &[
    "北京东路",
    "长江路",
    "中山路",
    "珠江路",
    "龙蟠中路",
    "中央路",
    "太平北路",
    "黄埔路",
];

pub const STREETS: [Street; 7] = [
    Street {
        code: "320102002000",
        name: "梅园新村街道",
        short: "梅园",
        quota: 196,
        roads: &[
            "长江路",
            "汉府街",
            "大悲巷",
            "长江后街",
            "碑亭巷",
            "太平北路",
            "竺桥",
            "梅园新村",
        ],
        communities: &[
            ("梅园新村", "梅园新村"),
            ("大悲巷", "大悲巷"),
            ("雍园", "雍园"),
            ("碑亭巷", "碑亭巷"),
            ("复成新村", "复成新村"),
            ("逸仙桥", "逸仙桥"),
            ("竺桥", "竺桥"),
        ],
    },
    Street {
        code: "320102003000",
        name: "新街口街道",
        short: "新街口",
        quota: 177,
        roads: &[
            "珠江路",
            "丹凤街",
            "进香河路",
            "成贤街",
            "估衣廊",
            "洪武北路",
            "吉兆营",
            "文昌巷",
        ],
        communities: &[
            ("丹凤街", "丹凤街"),
            ("估衣廊", "估衣廊"),
            ("成贤街", "成贤街"),
            ("大树根", "大树根"),
            ("吉兆营", "吉兆营"),
            ("进香河", "进香河路"),
            ("文昌巷", "文昌巷"),
        ],
    },
    Street {
        code: "320102005000",
        name: "玄武门街道",
        short: "玄武门",
        quota: 172,
        roads: &[
            "中央路",
            "北京东路",
            "百子亭",
            "高楼门",
            "鸡鸣寺路",
            "樱铁村",
            "同仁街",
            "台城路",
        ],
        communities: &[
            ("百子亭", "百子亭"),
            ("高楼门", "高楼门"),
            ("樱铁村", "樱铁村"),
            ("同仁街", "同仁街"),
            ("台城", "台城路"),
            ("鸡鸣寺", "鸡鸣寺路"),
        ],
    },
    Street {
        code: "320102007000",
        name: "锁金村街道",
        short: "锁金",
        quota: 189,
        roads: &[
            "龙蟠路",
            "锁金村",
            "板仓街",
            "玄武大道",
            "蒋王庙街",
            "樱驼村",
            "紫金山路",
        ],
        communities: &[
            ("锁金一村", "锁金村"),
            ("锁金二村", "锁金村"),
            ("锁金三村", "锁金村"),
            ("锁金四村", "锁金村"),
            ("板仓", "板仓街"),
            ("樱驼村", "樱驼村"),
            ("蒋王庙", "蒋王庙街"),
        ],
    },
    Street {
        code: "320102008000",
        name: "红山街道",
        short: "红山",
        quota: 188,
        roads: &[
            "和燕路",
            "红山路",
            "黑龙江路",
            "岗子村",
            "五塘村",
            "曹后村",
            "十字街",
            "红山南路",
        ],
        communities: &[
            ("红山新村", "红山路"),
            ("五塘村", "五塘村"),
            ("岗子村", "岗子村"),
            ("曹后村", "曹后村"),
            ("和燕路", "和燕路"),
            ("黑龙江路", "黑龙江路"),
            ("十字街", "十字街"),
        ],
    },
    Street {
        code: "320102009000",
        name: "孝陵卫街道",
        short: "孝陵卫",
        quota: 187,
        roads: &[
            "中山门大街",
            "孝陵卫街",
            "钟灵街",
            "卫岗",
            "童卫路",
            "白水桥",
            "前湖路",
        ],
        communities: &[
            ("卫岗", "卫岗"),
            ("钟灵街", "钟灵街"),
            ("孝陵卫", "孝陵卫街"),
            ("白水桥", "白水桥"),
            ("童卫路", "童卫路"),
            ("王府园", "中山门大街"),
            ("中山门", "中山门大街"),
        ],
    },
    Street {
        code: "320102010000",
        name: "玄武湖街道",
        short: "玄武湖",
        quota: 152,
        roads: &[
            "后宰门街",
            "北安门街",
            "西安门",
            "龙蟠中路",
            "中山东路",
            "明故宫路",
            "环湖路",
        ],
        communities: &[
            ("后宰门", "后宰门街"),
            ("北安门", "北安门街"),
            ("西安门", "西安门"),
            ("明故宫", "明故宫路"),
            ("龙蟠里", "龙蟠中路"),
            ("环湖", "环湖路"),
        ],
    },
];

/// How many people an organization of a kind employs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// A volunteer team or club: nobody or one person full-time, a few part-time.
    Team,
    /// A membership association: a secretariat of a few.
    Assoc,
    Small,
    Mid,
    Large,
    /// Private schools, nursing homes, rehabilitation hospitals.
    Xl,
}

/// Which 字号 (trade names) fit a kind of service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    General,
    Elderly,
    Children,
}

/// A kind of social service institution 民办非企业单位: name ending, domains, size, weight.
pub struct Service {
    pub ending: &'static str,
    pub domains: &'static [ServiceDomain],
    pub size: Size,
    pub theme: Theme,
    pub weight: u32,
}

const fn svc(
    ending: &'static str,
    domains: &'static [ServiceDomain],
    size: Size,
    theme: Theme,
    weight: u32,
) -> Service {
    Service {
        ending,
        domains,
        size,
        theme,
        weight,
    }
}

use Size::*;

pub const SERVICES: &[Service] = &[
    svc("养老服务中心", &[Elderly], Mid, Theme::Elderly, 8),
    svc(
        "居家养老服务中心",
        &[Elderly, PublicWelfare],
        Mid,
        Theme::Elderly,
        6,
    ),
    svc("老年公寓", &[Elderly], Large, Theme::Elderly, 3),
    svc("护理院", &[Elderly], Xl, Theme::Elderly, 1),
    svc("长者照护之家", &[Elderly], Mid, Theme::Elderly, 3),
    svc(
        "老年助餐服务中心",
        &[Elderly, PublicWelfare],
        Small,
        Theme::Elderly,
        3,
    ),
    svc(
        "健康服务中心",
        &[Elderly, PublicWelfare],
        Small,
        Theme::General,
        2,
    ),
    svc("幼儿园", &[Children, Education], Large, Theme::Children, 5),
    svc("托育中心", &[Children], Mid, Theme::Children, 3),
    svc(
        "儿童成长服务中心",
        &[Children, PublicWelfare],
        Small,
        Theme::Children,
        3,
    ),
    svc(
        "青少年发展中心",
        &[Children, Education],
        Small,
        Theme::Children,
        2,
    ),
    svc(
        "艺术培训中心",
        &[CultureSports, Education],
        Mid,
        Theme::General,
        4,
    ),
    svc("培训学校", &[Education], Large, Theme::General, 4),
    svc(
        "职业技能培训学校",
        &[Employment, Education],
        Large,
        Theme::General,
        3,
    ),
    svc(
        "家庭教育指导中心",
        &[Children, Education],
        Small,
        Theme::Children,
        2,
    ),
    svc("实验学校", &[Education], Xl, Theme::General, 1),
    svc("康复医院", &[Disability, Elderly], Xl, Theme::General, 1),
    svc("残疾人康复中心", &[Disability], Mid, Theme::General, 2),
    svc(
        "特殊儿童康复中心",
        &[Children, Disability],
        Mid,
        Theme::Children,
        2,
    ),
    svc(
        "助残服务社",
        &[Disability, PublicWelfare],
        Small,
        Theme::General,
        2,
    ),
    svc(
        "社会工作服务中心",
        &[SocialAffairs, PublicWelfare],
        Mid,
        Theme::General,
        5,
    ),
    svc(
        "社工事务所",
        &[SocialAffairs, PublicWelfare],
        Mid,
        Theme::General,
        3,
    ),
    svc(
        "心理咨询服务中心",
        &[PublicWelfare, SocialAffairs],
        Small,
        Theme::General,
        3,
    ),
    svc(
        "家庭服务中心",
        &[SocialAffairs, Elderly, Children],
        Small,
        Theme::General,
        3,
    ),
    svc(
        "公益服务中心",
        &[PublicWelfare, CharityRelief],
        Small,
        Theme::General,
        3,
    ),
    svc(
        "社区服务中心",
        &[SocialAffairs, PublicWelfare],
        Small,
        Theme::General,
        3,
    ),
    svc(
        "公益法律服务中心",
        &[SocialAffairs, CharityRelief],
        Small,
        Theme::General,
        1,
    ),
    svc("调解服务中心", &[SocialAffairs], Small, Theme::General, 1),
    svc("就业创业服务中心", &[Employment], Small, Theme::General, 2),
    svc("创业孵化服务中心", &[Employment], Mid, Theme::General, 1),
    svc(
        "环保公益服务中心",
        &[Environment, PublicWelfare],
        Small,
        Theme::General,
        1,
    ),
    svc("文化艺术中心", &[CultureSports], Small, Theme::General, 3),
    svc("书画院", &[CultureSports], Small, Theme::General, 2),
    svc("体育俱乐部", &[CultureSports], Small, Theme::General, 3),
    svc(
        "文化交流中心",
        &[Academic, CultureSports],
        Small,
        Theme::General,
        2,
    ),
    svc("发展研究中心", &[Academic], Small, Theme::General, 1),
];

/// 字号 of social service institutions, by the services they suit.
pub const GENERAL_BRANDS: &[&str] = &[
    "阳光",
    "暖阳",
    "春晖",
    "和美",
    "悦享",
    "启明",
    "晨曦",
    "星光",
    "明德",
    "博雅",
    "睿思",
    "善行",
    "仁爱",
    "慧心",
    "乐活",
    "邻里",
    "益家",
    "众帮",
    "心桥",
    "同行",
    "蓝天",
    "绿洲",
    "紫金",
    "钟山",
    "玄湖",
    "金陵",
    "六朝",
    "鸡鸣",
    "九华",
    "梧桐",
    "红枫",
    "银杏",
    "知行",
    "致远",
    "德善",
    "恒爱",
    "同心",
    "心语",
    "安康",
    "怡心",
    "爱邻",
    "乐帮",
    "新航",
    "领航",
    "扬帆",
    "筑梦",
    "善缘",
    "雨露",
    "春雨",
    "润心",
    "友邻",
    "汇善",
    "北极阁",
    "台城",
    "青溪",
    "景明",
    "和煦",
    "行知",
    "博爱",
    "馨家",
];
pub const ELDERLY_BRANDS: &[&str] = &[
    "乐龄",
    "颐康",
    "康乐",
    "福寿",
    "金秋",
    "夕阳红",
    "福颐",
    "孝亲",
    "长乐",
    "康宁",
    "泰和",
    "松鹤",
    "椿萱",
    "颐和",
    "寿康",
    "安颐",
    "常青",
    "晚晴",
];
pub const CHILDREN_BRANDS: &[&str] = &[
    "童心",
    "童趣",
    "小苗",
    "育英",
    "向日葵",
    "彩虹",
    "繁星",
    "小太阳",
    "蒲公英",
    "萌芽",
    "小橡树",
    "启智",
    "春芽",
    "贝贝",
    "七色花",
    "小海豚",
];

/// Prefixes of institution names registered with the district civil-affairs bureau.
pub const SSI_PREFIXES: &[(&str, u32)] = &[("南京玄武", 45), ("南京市玄武区", 40), ("玄武区", 15)];

/// A community organization 社区社会组织 filed with its street: `{community}社区{ending}`.
pub struct Activity {
    pub ending: &'static str,
    pub domains: &'static [ServiceDomain],
    pub weight: u32,
}

const fn act(ending: &'static str, domains: &'static [ServiceDomain], weight: u32) -> Activity {
    Activity {
        ending,
        domains,
        weight,
    }
}

pub const ACTIVITIES: &[Activity] = &[
    // Culture and sports (文体类).
    act("老年舞蹈队", &[CultureSports], 4),
    act("夕阳红合唱团", &[CultureSports], 4),
    act("书画协会", &[CultureSports], 3),
    act("太极拳队", &[CultureSports], 3),
    act("京剧票友社", &[CultureSports], 2),
    act("越剧沙龙", &[CultureSports], 2),
    act("摄影协会", &[CultureSports], 2),
    act("健身操队", &[CultureSports], 3),
    act("门球队", &[CultureSports], 1),
    act("棋牌协会", &[CultureSports], 2),
    act("腰鼓队", &[CultureSports], 2),
    act("民乐队", &[CultureSports], 2),
    act("空竹队", &[CultureSports], 2),
    act("柔力球队", &[CultureSports], 2),
    act("乒乓球协会", &[CultureSports], 2),
    act("模特队", &[CultureSports], 1),
    act("诗词社", &[CultureSports], 1),
    act("手工编织社", &[CultureSports], 1),
    act("广场舞队", &[CultureSports], 3),
    act("读书会", &[CultureSports, Education], 2),
    act("亲子阅读会", &[Children, CultureSports], 1),
    // Public-welfare and mutual aid (公益服务类, 互助类), incl. Suojincun's public-welfare posts.
    act("志愿者协会", &[PublicWelfare], 4),
    act("巾帼志愿服务队", &[PublicWelfare, SocialAffairs], 2),
    act("党员志愿服务队", &[PublicWelfare], 3),
    act("爱心服务社", &[CharityRelief, PublicWelfare], 2),
    act("便民服务社", &[PublicWelfare, SocialAffairs], 3),
    act("邻里守望队", &[PublicSecurity], 2),
    act("治安巡逻队", &[PublicSecurity], 2),
    act("禁毒志愿服务队", &[PublicSecurity], 1),
    act("环保志愿服务队", &[Environment], 2),
    act("垃圾分类督导队", &[Environment], 1),
    act("文明劝导队", &[SocialAffairs], 1),
    act("人民调解工作室", &[SocialAffairs], 2),
    act("老年人协会", &[Elderly], 3),
    act("空巢老人关爱服务队", &[Elderly, PublicWelfare], 2),
    act("银龄互助社", &[Elderly], 2),
    act("助老服务队", &[Elderly, PublicWelfare], 2),
    act("四点半课堂", &[Children, Education], 2),
    act("青少年假日学校", &[Children, Education], 1),
    act("残疾人互助会", &[Disability], 2),
    act("助残志愿服务队", &[Disability, PublicWelfare], 1),
    act("再就业帮扶队", &[Employment], 1),
    act("扶弱助困服务队", &[CharityRelief], 2),
    act("爱心助学社", &[CharityRelief, Education], 1),
    act("健康促进会", &[Elderly, PublicWelfare], 1),
    act("家庭教育指导站", &[Children, Education], 1),
];

/// Social groups a street has besides its promotion association: `{street}{ending}`.
pub const STREET_GROUPS: &[(&str, &[ServiceDomain])] = &[
    ("老年人体育协会", &[CultureSports, Elderly]),
    ("商会", &[Other]),
    ("志愿者协会", &[PublicWelfare]),
    ("残疾人协会", &[Disability]),
    ("慈善协会", &[CharityRelief, PublicWelfare]),
    ("文化体育协会", &[CultureSports]),
    ("老年协会", &[Elderly]),
    ("科普协会", &[Education, PublicWelfare]),
    ("书画协会", &[CultureSports]),
    ("社区教育协会", &[Education]),
    ("睦邻互助会", &[PublicWelfare, SocialAffairs]),
];

/// District-wide social groups: `玄武区{ending}` (玄武区空竹协会 is a named case).
pub const DISTRICT_GROUPS: &[(&str, &[ServiceDomain])] = &[
    ("社会组织联合会", &[SocialAffairs]),
    ("老年人体育协会", &[CultureSports, Elderly]),
    ("书法家协会", &[CultureSports]),
    ("美术家协会", &[CultureSports]),
    ("摄影家协会", &[CultureSports]),
    ("音乐家协会", &[CultureSports]),
    ("舞蹈家协会", &[CultureSports]),
    ("作家协会", &[CultureSports]),
    ("戏剧家协会", &[CultureSports]),
    ("围棋协会", &[CultureSports]),
    ("象棋协会", &[CultureSports]),
    // Industry hub of 团区委 (see `crate::structure`).
    ("青少年社会组织联合会", &[Children, Education]),
    ("门球协会", &[CultureSports]),
    ("太极拳协会", &[CultureSports]),
    ("健身气功协会", &[CultureSports]),
    ("乒乓球协会", &[CultureSports]),
    ("羽毛球协会", &[CultureSports]),
    ("武术协会", &[CultureSports]),
    ("楹联协会", &[CultureSports]),
    ("诗词协会", &[CultureSports]),
    // Industry hub of 区妇联.
    ("妇女儿童社会组织联合会", &[Children, SocialAffairs]),
    ("慈善协会", &[CharityRelief, PublicWelfare]),
    ("志愿者协会", &[PublicWelfare]),
    ("青年志愿者协会", &[PublicWelfare]),
    ("巾帼志愿者协会", &[PublicWelfare, SocialAffairs]),
    ("社会工作者协会", &[Academic, SocialAffairs]),
    ("心理卫生协会", &[Academic, PublicWelfare]),
    ("老龄事业发展促进会", &[Elderly]),
    ("养老服务行业协会", &[Elderly]),
    ("残疾人体育协会", &[CultureSports, Disability]),
    ("盲人协会", &[Disability]),
    ("聋人协会", &[Disability]),
    ("肢残人协会", &[Disability]),
    ("智力残疾人及亲友协会", &[Disability]),
    // Industry hub of 区残联.
    ("助残社会组织联合会", &[Disability, PublicWelfare]),
    ("家庭教育研究会", &[Academic, Education]),
    ("教育学会", &[Academic, Education]),
    ("民办教育协会", &[Education]),
    ("科普志愿者协会", &[Education, PublicWelfare]),
    ("老科技工作者协会", &[Academic]),
    ("历史文化研究会", &[Academic, CultureSports]),
    ("民国建筑文化研究会", &[Academic, CultureSports]),
    ("法学会", &[Academic]),
    ("个体劳动者协会", &[Employment]),
    ("私营企业协会", &[Employment]),
    ("女企业家协会", &[Employment]),
    ("青年创业者协会", &[Employment]),
    ("家政服务行业协会", &[Employment, SocialAffairs]),
    ("餐饮行业协会", &[Other]),
    ("商业联合会", &[Other]),
    ("物业管理协会", &[Other]),
    ("软件行业协会", &[Other]),
    ("旅游协会", &[Other]),
    ("文化产业协会", &[CultureSports]),
    // Industry hub of 区总工会.
    ("职工服务社会组织联合会", &[Employment, SocialAffairs]),
    ("消费者协会", &[SocialAffairs]),
    ("安全生产协会", &[PublicSecurity]),
    ("禁毒协会", &[PublicSecurity]),
    ("见义勇为协会", &[PublicSecurity, PublicWelfare]),
    ("环境保护协会", &[Environment]),
    ("绿化协会", &[Environment]),
    ("计划生育协会", &[SocialAffairs]),
];

/// Foundations: very few, and charitable (name, domains).
pub const FOUNDATIONS: &[(&str, &[ServiceDomain])] = &[
    ("南京玄武紫金公益基金会", &[CharityRelief, PublicWelfare]),
    ("南京市玄武区教育发展基金会", &[CharityRelief, Education]),
    (
        "南京玄武乐善助学基金会",
        &[Children, CharityRelief, Education],
    ),
];

/// Common surnames, most frequent first, and characters of given names.
pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "贾", "夏", "韦",
    "方", "邹", "孟", "秦", "江", "薛", "顾", "戴", "钱", "严", "汤", "缪", "葛", "倪", "殷", "芮",
];
pub const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "英", "华", "玲", "平", "刚", "建", "国", "志", "海", "燕", "红", "霞", "琳", "晨",
    "宁", "峰", "斌", "凤", "兰", "萍", "慧", "颖", "婷", "雪", "云", "鹏", "亮", "辉", "浩", "宇",
    "文", "梅", "荣", "玉", "春", "桂", "珍", "德", "金", "永", "庆", "宏", "卫", "东",
];

/// Mobile number prefixes common in Nanjing (China Mobile, Unicom, Telecom).
pub const MOBILE_PREFIXES: &[&str] = &[
    "139", "138", "137", "136", "135", "134", "150", "151", "152", "157", "158", "159", "182",
    "183", "187", "188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "180",
    "181", "189", "177", "199",
];

/// Leading digits of organization codes issued before the unified code (GB 11714).
pub const OLD_ORG_CODE_PREFIXES: &[&str] = &["50", "51", "66", "67", "69", "74", "77", "78", "79"];

/// The communities' names in English (pinyin), as on the residents' committees' signs.
const COMMUNITIES_EN: &[(&str, &str)] = &[
    ("梅园新村", "Meiyuan Xincun"),
    ("大悲巷", "Dabeixiang"),
    ("雍园", "Yongyuan"),
    ("碑亭巷", "Beitingxiang"),
    ("复成新村", "Fucheng Xincun"),
    ("逸仙桥", "Yixianqiao"),
    ("竺桥", "Zhuqiao"),
    ("丹凤街", "Danfengjie"),
    ("估衣廊", "Guyilang"),
    ("成贤街", "Chengxianjie"),
    ("大树根", "Dashugen"),
    ("吉兆营", "Jizhaoying"),
    ("进香河", "Jinxianghe"),
    ("文昌巷", "Wenchangxiang"),
    ("百子亭", "Baiziting"),
    ("高楼门", "Gaoloumen"),
    ("樱铁村", "Yingtiecun"),
    ("同仁街", "Tongrenjie"),
    ("台城", "Taicheng"),
    ("鸡鸣寺", "Jimingsi"),
    ("锁金一村", "Suojin Yicun"),
    ("锁金二村", "Suojin Ercun"),
    ("锁金三村", "Suojin Sancun"),
    ("锁金四村", "Suojin Sicun"),
    ("板仓", "Bancang"),
    ("樱驼村", "Yingtuocun"),
    ("蒋王庙", "Jiangwangmiao"),
    ("红山新村", "Hongshan Xincun"),
    ("五塘村", "Wutangcun"),
    ("岗子村", "Gangzicun"),
    ("曹后村", "Caohoucun"),
    ("和燕路", "Heyanlu"),
    ("黑龙江路", "Heilongjianglu"),
    ("十字街", "Shizijie"),
    ("卫岗", "Weigang"),
    ("钟灵街", "Zhonglingjie"),
    ("孝陵卫", "Xiaolingwei"),
    ("白水桥", "Baishuiqiao"),
    ("童卫路", "Tongweilu"),
    ("王府园", "Wangfuyuan"),
    ("中山门", "Zhongshanmen"),
    ("后宰门", "Houzaimen"),
    ("北安门", "Bei'anmen"),
    ("西安门", "Xi'anmen"),
    ("明故宫", "Minggugong"),
    ("龙蟠里", "Longpanli"),
    ("环湖", "Huanhu"),
];

/// A community's English name (its Chinese name if the table lacks it).
pub fn community_en(zh: &str) -> &str {
    COMMUNITIES_EN
        .iter()
        .find(|c| c.0 == zh)
        .map_or(zh, |c| c.1)
}
