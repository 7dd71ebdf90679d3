import LambdaEvents

/// Picks the one count worth broadcasting from a stream batch (DESIGN §5).
///
/// Only INSERT/MODIFY records of the counter item whose new image has `visits` count; of those the
/// newest wins. Sequence numbers are decimal strings of varying length, so they compare as numbers
/// ("9" < "10"), never as text. One batch, at most one broadcast: that is the coalescing.
public enum NewestCount {
    /// The counter item's key value.
    public static let counterId = "visitors"

    /// The message for the newest counter image in `records`, or nil when the batch has none.
    public static func message(in records: [DynamoDBStreamEvent.Record]) -> CounterMessage? {
        var best: (sequence: Substring, message: CounterMessage)?
        for record in records {
            guard record.eventName == .insert || record.eventName == .modify,
                let stream = record.dynamodb,
                stream.keys?["id"] == .string(counterId),
                case .number(let visits)? = stream.newImage?["visits"],
                let sequence = stream.sequenceNumber.flatMap(normalisedSequence)
            else { continue }
            var live: String?
            if case .number(let value)? = stream.newImage?["live"] { live = value }
            guard let message = CounterMessage(visits: visits, live: live) ?? CounterMessage(visits: visits) else { continue }
            if best == nil || isNewer(sequence, than: best!.sequence) {
                best = (sequence, message)
            }
        }
        return best?.message
    }

    /// Digits without leading zeros; nil when the text is not a sequence number.
    static func normalisedSequence(_ text: String) -> Substring? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        let trimmed = text.drop { $0 == "0" }
        return trimmed.isEmpty ? "0" : trimmed
    }

    /// Numeric order of two normalised digit strings: longer is larger; equal lengths compare digit by digit.
    static func isNewer(_ a: Substring, than b: Substring) -> Bool {
        a.utf8.count != b.utf8.count ? a.utf8.count > b.utf8.count : a > b
    }
}
