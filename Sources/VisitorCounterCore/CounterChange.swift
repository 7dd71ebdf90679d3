import LambdaEvents

/// What a stream batch says about the counter, and so whether and what to broadcast (docs/design.md).
///
/// Only INSERT/MODIFY records of a counter shard (`visitors`, `visitors#k`) count; visit markers never do.
/// With one shard the newest image of `visitors` that has `visits` carries the count (sequence numbers
/// are decimal strings of varying length, so they compare as numbers, "9" < "10"). With more shards one
/// shard's image is only part of the total, so any shard's change means "read the total". One batch, at
/// most one broadcast: that is the coalescing.
///
/// A record whose new image carries `correction` was written by a broadcast to bring the stored live
/// count to what it found open; every other write of a shard removes that attribute. A batch of nothing
/// but corrections is not broadcast: the broadcast that wrote them already sent the right value. This is
/// what keeps corrections from looping: a correction is written only by a broadcast, a broadcast starts
/// only from a batch with an ordinary change, so every correction follows a real visit or departure and
/// none can start another broadcast, even when the scan and the stored value keep disagreeing.
package enum CounterChange: Sendable, Equatable {
    /// No counter change in the batch: nothing to send.
    case none
    /// Only live corrections: nothing to send (see the type's doc).
    case correctionsOnly
    /// The newest count, from the one shard's image (with its visitors, when it has any).
    case newest(visits: String, visitors: String?)
    /// A shard changed and the total must be read.
    case readTotal

    /// The new image attribute that marks a live correction.
    package static let correctionAttribute = "correction"

    /// Classifies `records` for a counter of `shards` shards.
    public static func of(_ records: [DynamoDBStreamEvent.Record], shards: Int) -> CounterChange {
        var sawCorrection = false
        var sawOtherShard = false
        var best: (record: DynamoDBStreamEvent.StreamRecord, visits: String, visitors: String?)?
        for record in records where record.eventName == .insert || record.eventName == .modify {
            let stream = record.dynamodb
            guard case .string(let id)? = stream.keys["id"], let shard = CounterShards.index(of: id), let image = stream.newImage
            else { continue }
            if image[correctionAttribute] != nil {
                sawCorrection = true
                continue
            }
            if shards > 1 || shard != 0 {
                // Part of the total (or a shard a one-shard setting does not know): only a read is right.
                sawOtherShard = true
                continue
            }
            // moto's first INSERT of a new item lacks the updated attribute: no count, nothing to send.
            guard let visits = image["visits"]?.numberValue, CounterMessage.isCount(visits) else { continue }
            if best == nil || best!.record.isBefore(stream) {
                best = (stream, visits, image["visitors"]?.numberValue.flatMap { CounterMessage.isCount($0) ? $0 : nil })
            }
        }
        if sawOtherShard { return .readTotal }
        if let best { return .newest(visits: best.visits, visitors: best.visitors) }
        return sawCorrection ? .correctionsOnly : .none
    }
}
