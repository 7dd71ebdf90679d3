import LambdaRuntime

/// A calendar day in UTC: the unit of unique visitors, of their salt and of the history (docs/design.md).
///
/// Its text `YYYY-MM-DD` is what items are keyed by; those texts sort as the days do, so a condition or a
/// comparison on the text is one on the day.
public struct UTCDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let number: Int64

    public init(number: Int64) {
        self.number = number
    }

    /// The day that contains `epochMilliseconds`.
    public init(epochMilliseconds ms: Int64) {
        number = ms >= 0 ? ms / 86_400_000 : -((-ms + 86_399_999) / 86_400_000)
    }

    /// `YYYY-MM-DD`.
    public var text: String {
        String(WallClock.iso8601(epochMilliseconds: number * 86_400_000).prefix(10))
    }

    public var description: String { text }

    /// Epoch seconds of the day's first second.
    package var startEpochSeconds: Int64 { number * 86_400 }

    /// Epoch seconds of the next day's first second.
    package var endEpochSeconds: Int64 { (number + 1) * 86_400 }

    /// The day `days` later (earlier when negative).
    public func adding(days: Int64) -> UTCDay { UTCDay(number: number + days) }

    public static func < (a: UTCDay, b: UTCDay) -> Bool { a.number < b.number }
}
