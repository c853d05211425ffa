//! The interface words of the home page and the jurisdiction pages: key, Chinese, English.

#[rustfmt::skip]
pub static MESSAGES: &[(&str, &str, &str)] = &[
    // Home
    ("home.title", "首页", "Home"),
    ("home.heading", "让社会组织的服务更简便、更可信", "Simpler, more trustworthy services from social organizations"),
    ("home.lead", "枢纽按“一核两轴”模式，把全市社会组织的登记备案、培育发展与综合管理集中在一处：政府、枢纽组织、社会组织和居民看到的是同一份可信的名录。", "Shuniu brings the registration, cultivation and oversight of a city's social organizations into one place, following the “one core, two axes” hub model: government, hubs, organizations and residents all see the same trustworthy register."),
    ("home.browse", "浏览社会组织", "Browse organizations"),
    ("home.figures", "主要数据", "Key figures"),
    ("home.fig.orgs", "{}登记备案的社会组织", "Registered or filed organizations in {}"),
    ("home.fig.staff", "专兼职工作人员", "Full- and part-time staff"),
    ("home.fig.children", "有社会组织的下级辖区", "Areas below with organizations"),
    ("home.scope", "数据范围", "Data cover"),
    ("home.tree", "辖区与社会组织分布", "Organizations by jurisdiction"),
    ("home.tree_note", "数字含下级辖区，不含已注销的组织。点击名称查看辖区，点击数字查看该辖区的组织。", "Counts include everything below a node and leave out deregistered organizations. Click a name for the jurisdiction, a count for its organizations."),
    ("home.list_here", "查看该辖区的社会组织", "Organizations in this jurisdiction"),

    // Jurisdiction
    ("jurisdiction.list", "查看本辖区社会组织", "Organizations in this jurisdiction"),
    ("jurisdiction.structure_district", "“一核两轴”结构图", "One core, two axes"),
    ("jurisdiction.structure_street", "“1+1+X”", "1+1+X"),
    ("jurisdiction.coverage", "覆盖情况", "Coverage"),
    ("jurisdiction.orgs", "本辖区登记备案的社会组织（含下级）", "Organizations here and below"),
    ("jurisdiction.children_count", "下级辖区", "Sub-jurisdictions"),
    ("jurisdiction.children", "下级辖区", "Sub-jurisdictions"),
    ("jurisdiction.no_children", "没有下级辖区。", "No sub-jurisdictions."),
    ("jurisdiction.total", "合计（含本级）", "Total (including this level)"),
    ("jurisdiction.oox", "“1+1+X”一览", "1+1+X at a glance"),
    ("jurisdiction.members", "促进会成员单位", "Member organizations of the association"),
    ("jurisdiction.oox_link", "查看“1+1+X”结构图", "See the 1+1+X diagram"),
    ("jurisdiction.coverage_link", "查看覆盖情况与未覆盖的组织", "The coverage report and the organizations not covered"),
    ("jurisdiction.domains", "各服务领域的社会组织", "Organizations by service domain"),
    ("jurisdiction.domains_note", "不含已注销的组织；服务多个领域的组织在每个领域各计一次。点击领域查看其中的组织。", "Deregistered organizations are left out; an organization serving several domains counts in each. Click a domain for its organizations."),
    ("jurisdiction.domains_none", "本辖区尚无社会组织。", "No organizations here yet."),
    ("jurisdiction.domains_chart", "各服务领域的社会组织数量", "Organizations in each service domain"),
    ("jurisdiction.col.domain", "服务领域", "Service domain"),
];
