//! One stable sort for every list the console orders.
//!
//! The standard library's sort is generic over the item and the comparison, so each list sorted
//! with it would carry its own copy of the whole algorithm into the browser build (about 2 KB
//! each). Here the algorithm runs once, over positions, and each list supplies only how two of its
//! items compare.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`.
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_positions(items.len(), &|a, b| compare(&items[a], &items[b]));
    permute(items, &order);
}

/// Sorts `items` stably by a key computed once for each item.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = sorted_positions(keys.len(), &|a, b| keys[a].cmp(&keys[b]));
    permute(items, &order);
}

/// Sorts `items` by their own order and keeps one of each.
pub fn sort_dedup<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
    items.dedup();
}

/// The positions `0..len` in the order `compare` puts them; equal ones keep their order.
#[inline(never)]
fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Puts `items` in the order of `order` (a permutation of their positions).
fn permute<T>(items: &mut Vec<T>, order: &[usize]) {
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .iter()
            .filter_map(|&position| slots.get_mut(position).and_then(Option::take)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_by_comparison_and_by_key() {
        let mut words = vec!["pear", "fig", "apple", "kiwi", "plum"];
        sort_by(&mut words, |a, b| a.len().cmp(&b.len()));
        assert_eq!(words, ["fig", "pear", "kiwi", "plum", "apple"]);
        sort_by_key(&mut words, |w| std::cmp::Reverse(w.len()));
        assert_eq!(words, ["apple", "pear", "kiwi", "plum", "fig"]);
        let mut empty: Vec<String> = Vec::new();
        sort_by_key(&mut empty, |w| w.len());
        assert!(empty.is_empty());
    }

    #[test]
    fn sort_dedup_keeps_one_of_each_in_order() {
        let mut names = vec!["b", "a", "c", "a", "b"];
        sort_dedup(&mut names);
        assert_eq!(names, ["a", "b", "c"]);
    }
}
