//! Walking a list as its readers do — keyset pages forward by `next` and back by
//! `prev`, a download's chunks by `after` — for the tests that compare what the walk
//! reads with the list's order.

use std::fmt::Debug;

use shuniu_store::{After, KeyChunk, KeyPage, Total};

/// Walks a keyset list forward by `next` from its first page, then back by `prev` from
/// its last: every page forward counts exactly `want.len()` rows and only the first
/// has no `prev`; the rows forward, read by `key`, are `want` in order; each page back
/// is the page read forward at that place. `page(cursor)` reads one page. Returns the
/// pages read forward.
pub(crate) async fn pages_both_ways<T, K>(
    page: impl AsyncFn(Option<String>) -> KeyPage<T>,
    key: impl Fn(&T) -> K,
    want: &[K],
) -> Vec<KeyPage<T>>
where
    K: PartialEq + Debug,
{
    let keys = |p: &KeyPage<T>| p.items.iter().map(&key).collect::<Vec<_>>();
    let mut pages = vec![];
    let mut at = None;
    loop {
        let p = page(at).await;
        assert_eq!(p.total, Total::Exact(want.len() as i64));
        assert_eq!(p.prev.is_none(), pages.is_empty());
        at = p.next.clone();
        pages.push(p);
        if at.is_none() {
            break;
        }
        assert!(pages.len() <= want.len(), "the walk ends");
    }
    assert_eq!(pages.iter().flat_map(&keys).collect::<Vec<_>>(), want);
    let mut back = pages.last().unwrap().prev.clone();
    for i in (0..pages.len() - 1).rev() {
        let p = page(back).await;
        assert_eq!(keys(&p), keys(&pages[i]), "back to page {i}");
        back = p.prev;
    }
    assert!(back.is_none());
    pages
}

/// Every row of a download, read by `key`, in the order its chunks give them:
/// `chunk(after)` reads the chunk after `after` (`None`: the first), until one says
/// there is no next.
pub(crate) async fn chunk_keys<T, K>(
    chunk: impl AsyncFn(Option<After>) -> KeyChunk<T>,
    key: impl Fn(&T) -> K,
) -> Vec<K> {
    let mut out = Vec::new();
    let mut after = None;
    for _ in 0..1_000 {
        let c = chunk(after.take()).await;
        out.extend(c.items.iter().map(&key));
        match c.next {
            Some(n) => after = Some(n),
            None => return out,
        }
    }
    panic!("the walk does not end");
}
