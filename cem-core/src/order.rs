//! Sorting through one function.
//!
//! Every sort in the crate goes through [`argsort`]: a `sort_by` per call site compiles to its own copy
//! of the standard sort (≈ 3 KB each in the .wasm, whose size is a budget), one non-generic function
//! compiles once.

use std::cmp::Ordering;

/// The indices `0..n` ordered by `cmp`, ties in index order (a stable argsort).
pub(crate) fn argsort(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&a, &b| cmp(a, b).then(a.cmp(&b)));
    order
}

/// `items` reordered so that position k holds `items[order[k]]` (`order` is a permutation of the
/// indices, as from [`argsort`]).
pub(crate) fn permute<T>(items: Vec<T>, order: &[usize]) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.iter().filter_map(|&i| slots.get_mut(i).and_then(Option::take)).collect()
}

/// Floats in ascending [`f64::total_cmp`] order.
pub(crate) fn sort_floats(values: Vec<f64>) -> Vec<f64> {
    let order = argsort(values.len(), &|a, b| values[a].total_cmp(&values[b]));
    permute(values, &order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argsort_is_stable_and_permute_applies_it() {
        let keys = [3, 1, 2, 1, 3, 0];
        let order = argsort(keys.len(), &|a, b| keys[a].cmp(&keys[b]));
        assert_eq!(order, [5, 1, 3, 2, 0, 4]); // equal keys keep their input order
        assert_eq!(permute(vec!["a", "b", "c", "d", "e", "f"], &order), ["f", "b", "d", "c", "a", "e"]);
        assert_eq!(sort_floats(vec![2.0, -0.0, f64::INFINITY, 0.0, -1.5]), [-1.5, -0.0, 0.0, 2.0, f64::INFINITY]);
    }
}
