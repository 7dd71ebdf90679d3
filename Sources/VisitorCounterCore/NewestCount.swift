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
        var best: (record: DynamoDBStreamEvent.StreamRecord, message: CounterMessage)?
        for record in records where record.eventName == .insert || record.eventName == .modify {
            let stream = record.dynamodb
            guard stream.keys["id"] == .string(counterId),
                let visits = stream.newImage?["visits"]?.numberValue,
                // A `live` that is not a count (a lost update drove it below zero) is left out, not the visit count.
                let message = CounterMessage(visits: visits, live: stream.newImage?["live"]?.numberValue)
                    ?? CounterMessage(visits: visits)
            else { continue }
            if best == nil || best!.record.isBefore(stream) {
                best = (stream, message)
            }
        }
        return best?.message
    }
}
