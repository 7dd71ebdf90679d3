/// The answer to `{"action":"history"}` (docs/design.md §4): the totals and the last 30 UTC days.
///
/// `{"visits":N,"visitors":M,"historySince":"YYYY-MM-DD","history":[{"day":…,"visits":n,"visitors":m},…]}`,
/// oldest day first, consecutive from max(today − 29, historySince) to today, days without a record as
/// zeros. Today's figure is the live total less today's opening, so the page can keep today's bar current
/// from later broadcasts (today + visits′ − visits). Without history yet: `"history":[]` and no
/// `historySince`. `visitors` only with unique visitors on.
public struct HistoryAnswer: Sendable, Equatable {
    /// Days in the answer at most.
    public static let days: Int64 = 30

    public var totals: HistoryTotals
    public var since: String?
    /// (day, figures), oldest first.
    public var entries: [(day: String, figures: HistoryTotals)]

    public static func == (a: HistoryAnswer, b: HistoryAnswer) -> Bool {
        a.totals == b.totals && a.since == b.since && a.entries.elementsEqual(b.entries) { $0.day == $1.day && $0.figures == $1.figures }
    }

    /// Builds the answer from the live total, the `history` item and the day items found among the
    /// window's keys.
    /// - Parameter uniqueVisitors: include `visitors` (zero when nothing was counted yet).
    public init(live: HistoryTotals, pointer: HistoryPointer?, recorded: [String: HistoryDay], today: UTCDay, uniqueVisitors: Bool) {
        guard let pointer else {
            totals = HistoryTotals(visits: live.visits, visitors: uniqueVisitors ? (live.visitors ?? 0) : nil)
            since = nil
            entries = []
            return
        }
        // Another instance's clock may be a moment ahead at midnight: its day is then today.
        let todayText = max(today.text, pointer.current.day)
        let last = pointer.current
        // The live total read in the same batch may be a moment older than the pointer: never below it.
        let current = live.merged(with: last.latest)
        let opening = last.day == todayText ? last.opening : last.latest
        var entries: [(day: String, figures: HistoryTotals)] = []
        let end = todayText == today.text ? today : today.adding(days: 1)
        for offset in stride(from: Self.days - 1, through: 0, by: -1) {
            let day = end.adding(days: -offset).text
            guard day >= pointer.since else { continue }
            let figures: HistoryTotals
            if day == todayText {
                figures = current.figures(since: opening)
            } else if let record = recorded[day] {
                figures = record.figures
            } else {
                figures = HistoryTotals(visits: 0, visitors: 0)
            }
            entries.append((day, figures))
        }
        self.totals = HistoryTotals(visits: current.visits, visitors: uniqueVisitors ? (current.visitors ?? 0) : nil)
        self.since = pointer.since
        self.entries = entries
    }

    /// The day keys the answer may need, besides today: the 29 days before it.
    public static func earlierDays(before today: UTCDay) -> [UTCDay] {
        (1..<days).map { today.adding(days: -$0) }
    }

    /// Compact JSON, `visitors` only when `totals.visitors` is set.
    public var json: String {
        let withVisitors = totals.visitors != nil
        var text = "{\"visits\":\(totals.visits)"
        if let visitors = totals.visitors { text += ",\"visitors\":\(visitors)" }
        if let since { text += ",\"historySince\":\"\(since)\"" }
        text += ",\"history\":["
        text += entries.map { entry in
            var item = "{\"day\":\"\(entry.day)\",\"visits\":\(entry.figures.visits)"
            if withVisitors { item += ",\"visitors\":\(entry.figures.visitors ?? 0)" }
            return item + "}"
        }.joined(separator: ",")
        return text + "]}"
    }
}
