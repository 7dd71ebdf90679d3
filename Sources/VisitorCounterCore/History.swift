/// Daily figures kept exact by keeping totals, not increments (docs/design.md, "History").
///
/// DBStreamProcessor reads the counter's total on every change it broadcasts. It keeps, per UTC day, the
/// total at the day's opening (the last total recorded on an earlier day) and the highest total recorded
/// that day: the day's figure is their difference. The days therefore add up, by construction, to the
/// latest total less the opening of history's first day, whatever was recorded twice, late or not at all.
///
/// One item, `history`, holds the latest day with its opening and latest totals and a version number;
/// every write is conditioned on the version read, so concurrent processors serialise on it, and a stale
/// observation (a replayed batch, an image older than what is recorded) never lowers anything.
public struct HistoryTotals: Sendable, Equatable {
    /// Counted visits.
    public var visits: Int64
    /// Counted visitors; nil while unique visitors have never been on.
    public var visitors: Int64?

    public init(visits: Int64, visitors: Int64? = nil) {
        self.visits = visits
        self.visitors = visitors
    }

    /// Each figure the larger of the two (a missing `visitors` is the other's).
    func merged(with other: HistoryTotals) -> HistoryTotals {
        let visitors: Int64? = switch (self.visitors, other.visitors) {
        case let (a?, b?): max(a, b)
        case let (a, b): a ?? b
        }
        return HistoryTotals(visits: max(visits, other.visits), visitors: visitors)
    }

    /// `self` less `opening`, never below zero (an opening without visitors counts as none).
    func figures(since opening: HistoryTotals) -> HistoryTotals {
        HistoryTotals(
            visits: max(0, visits - opening.visits),
            visitors: visitors.map { max(0, $0 - (opening.visitors ?? 0)) })
    }
}

/// One recorded day (the item `day#YYYY-MM-DD`), or the latest one (the `history` item).
public struct HistoryDay: Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public var day: String
    /// The total when the day opened: the last total recorded on an earlier day.
    public var opening: HistoryTotals
    /// The highest total recorded that day.
    public var latest: HistoryTotals

    public init(day: String, opening: HistoryTotals, latest: HistoryTotals) {
        self.day = day
        self.opening = opening
        self.latest = latest
    }

    /// What happened that day.
    public var figures: HistoryTotals { latest.figures(since: opening) }
}

/// The `history` item: when history began, the latest recorded day, and the version writes condition on.
public struct HistoryPointer: Sendable, Equatable {
    /// The first day of history (`YYYY-MM-DD`): its opening is the first total recorded.
    public var since: String
    /// The latest recorded day.
    public var current: HistoryDay
    /// Raised by one on every write.
    public var version: Int64

    public init(since: String, current: HistoryDay, version: Int64) {
        self.since = since
        self.current = current
        self.version = version
    }

    /// The pointer after recording `observed` (a total read just now) on `today`; nil when that records
    /// nothing new (no figure rose: a replay, or an older image). A pointer whose day is ahead of `today`
    /// (another instance's clock a little ahead at midnight) keeps its day.
    public static func next(after pointer: HistoryPointer?, observed: HistoryTotals, today: UTCDay) -> HistoryPointer? {
        guard let pointer else {
            // History begins: its first day opens at the first total recorded.
            return HistoryPointer(
                since: today.text, current: HistoryDay(day: today.text, opening: observed, latest: observed), version: 1)
        }
        let latest = pointer.current.latest.merged(with: observed)
        guard latest != pointer.current.latest else { return nil }
        var next = pointer
        next.version += 1
        if today.text > pointer.current.day {
            // The first record of a new day: it opens where the last recorded day closed.
            next.current = HistoryDay(day: today.text, opening: pointer.current.latest, latest: latest)
        } else {
            next.current.latest = latest
        }
        return next
    }
}
