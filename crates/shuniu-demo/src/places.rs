//! The places Xuanwu's residents know, under the demo's communities (issue 12, item 3):
//! each community's own road and the street's roads shared among its communities, the
//! district's main roads where they pass, residential compounds 小区 and landmarks, and
//! the communities' own names — so that typing "珠江", "梅园新村" or "锁金" finds one's
//! community and street.

use shuniu_domain::places::PlaceNameKind;
use shuniu_store::{Store, StoreError};

use crate::tables::{self, XUANWU};

/// Compounds and landmarks of each community (by the tables' community names).
const KNOWN: &[(&str, &[&str])] = &[
    ("梅园新村", &["梅园新村纪念馆", "汉府新村", "梅园新村小区"]),
    ("大悲巷", &["总统府", "大悲巷小区"]),
    ("雍园", &["雍园公寓", "雍园小区"]),
    ("碑亭巷", &["碑亭巷小区", "利济巷"]),
    ("复成新村", &["复成新村", "复成新村小区"]),
    ("逸仙桥", &["逸仙名居", "逸仙桥"]),
    ("竺桥", &["竺桥小区", "南京图书馆"]),
    ("丹凤街", &["丹凤新寓", "丹凤街小区"]),
    ("估衣廊", &["估衣廊小区", "珠江路地铁站"]),
    ("成贤街", &["东南大学四牌楼校区", "成贤街小区"]),
    ("大树根", &["大树根小区"]),
    ("吉兆营", &["吉兆营小区", "吉兆营清真寺"]),
    ("进香河", &["进香河小区"]),
    ("文昌巷", &["文昌巷小区"]),
    ("百子亭", &["百子亭小区", "傅抱石故居"]),
    ("高楼门", &["高楼门小区"]),
    ("樱铁村", &["樱铁村小区"]),
    ("同仁街", &["同仁新村"]),
    ("台城", &["台城", "九华山公园"]),
    ("鸡鸣寺", &["鸡鸣寺", "北极阁公园"]),
    ("锁金一村", &["锁金新村一区"]),
    ("锁金二村", &["锁金新村二区"]),
    ("锁金三村", &["锁金新村三区"]),
    ("锁金四村", &["锁金新村四区", "南京林业大学"]),
    ("板仓", &["板仓小区"]),
    ("樱驼村", &["樱驼花园"]),
    ("蒋王庙", &["蒋王庙小区"]),
    ("红山新村", &["红山新村", "红山森林动物园"]),
    ("五塘村", &["五塘新村"]),
    ("岗子村", &["岗子村小区"]),
    ("曹后村", &["曹后村小区"]),
    ("和燕路", &["和燕花园"]),
    ("黑龙江路", &["黑龙江路小区"]),
    ("十字街", &["十字街小区"]),
    ("卫岗", &["卫岗小区", "南京农业大学"]),
    ("钟灵街", &["钟灵花园"]),
    ("孝陵卫", &["孝陵卫小区"]),
    ("白水桥", &["白水桥小区"]),
    ("童卫路", &["南京理工大学"]),
    ("王府园", &["王府园小区"]),
    ("中山门", &["中山门小区"]),
    ("后宰门", &["后宰门小区"]),
    ("北安门", &["北安门小区"]),
    ("西安门", &["明故宫遗址公园"]),
    ("明故宫", &["明故宫小区"]),
    ("龙蟠里", &["龙蟠里小区"]),
    ("环湖", &["玄武湖公园"]),
];

/// The district's main roads and the communities they pass (several each).
const MAIN_ROADS: &[(&str, &[&str])] = &[
    ("珠江路", &["估衣廊", "吉兆营", "进香河"]),
    ("北京东路", &["鸡鸣寺", "台城", "成贤街"]),
    ("中山路", &["估衣廊", "丹凤街"]),
    ("长江路", &["大悲巷", "梅园新村"]),
    ("龙蟠路", &["锁金二村", "板仓"]),
    ("玄武大道", &["环湖", "蒋王庙"]),
    ("中山东路", &["明故宫", "西安门", "竺桥"]),
];

fn kind_of(name: &str) -> PlaceNameKind {
    const ROADS: [&str; 5] = ["路", "街", "巷", "大道", "大街"];
    const COMPOUNDS: [&str; 7] = ["村", "小区", "花园", "公寓", "新寓", "名居", "区"];
    if ROADS.iter().any(|s| name.ends_with(s)) {
        PlaceNameKind::Road
    } else if COMPOUNDS.iter().any(|s| name.ends_with(s)) {
        PlaceNameKind::Compound
    } else {
        PlaceNameKind::Landmark
    }
}

/// Each place name with the code of its community.
pub fn names() -> Vec<(String, String, PlaceNameKind)> {
    let mut out = Vec::new();
    for s in &tables::STREETS {
        let code_of = |i: usize| format!("{}{:03}", &s.code[..9], i + 1);
        for (i, (community, road)) in s.communities.iter().enumerate() {
            let code = code_of(i);
            out.push((code.clone(), road.to_string(), kind_of(road)));
            if let Some((_, known)) = KNOWN.iter().find(|k| k.0 == *community) {
                out.extend(
                    known
                        .iter()
                        .map(|n| (code.clone(), n.to_string(), kind_of(n))),
                );
            }
        }
        // The street's other roads, one community each in turn.
        for (i, road) in s.roads.iter().enumerate() {
            let code = code_of(i % s.communities.len());
            out.push((code, road.to_string(), kind_of(road)));
        }
        for (road, passes) in MAIN_ROADS {
            for (i, (community, _)) in s.communities.iter().enumerate() {
                if passes.contains(community) {
                    out.push((code_of(i), road.to_string(), PlaceNameKind::Road));
                }
            }
        }
    }
    out
}

/// Writes the place names and indexes the communities' own names; returns how many
/// names were added (0 when they were there already).
pub async fn build(store: &Store) -> Result<usize, StoreError> {
    let mut added = store.add_place_names(&names()).await?;
    if let Some(district) = store.jurisdiction(XUANWU).await? {
        added += store.index_community_names(&district).await?;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_community_has_names_and_main_roads_are_shared() {
        let names = names();
        for s in &tables::STREETS {
            for i in 0..s.communities.len() {
                let code = format!("{}{:03}", &s.code[..9], i + 1);
                assert!(names.iter().any(|n| n.0 == code), "{code} has no names");
            }
        }
        let zhujiang = names.iter().filter(|n| n.1 == "珠江路").count();
        assert!(zhujiang >= 3, "{zhujiang}");
        for (_, passes) in MAIN_ROADS {
            for c in *passes {
                assert!(
                    tables::STREETS
                        .iter()
                        .any(|s| s.communities.iter().any(|x| x.0 == *c)),
                    "{c} is no community"
                );
            }
        }
    }
}
