//! The importance × performance map: where each driver falls.

crate::vocabulary::vocabulary! {
    /// Where a driver falls on the importance × performance map (split at the mean importance and the
    /// mean performance of the drivers).
    pub enum Quadrant as "quadrant" {
        /// Important and performing below the others: fix first.
        FixFirst = "fix_first",
        /// Important and performing well: keep it so.
        Keep = "keep",
        /// Less important and performing below the others: low priority.
        LowPriority = "low_priority",
        /// Less important and performing well: possible overkill.
        Overkill = "overkill",
    }
}

impl Quadrant {
    /// The quadrant of a driver that is (or is not) important and performs (or does not perform) well.
    pub(crate) fn of(important: bool, strong: bool) -> Quadrant {
        match (important, strong) {
            (true, false) => Quadrant::FixFirst,
            (true, true) => Quadrant::Keep,
            (false, false) => Quadrant::LowPriority,
            (false, true) => Quadrant::Overkill,
        }
    }
}
