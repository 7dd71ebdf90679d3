import AWSClient
import LambdaEvents
import SigV4

/// The daily salt of unique visitors (docs/design.md, "Unique visitors").
///
/// The salt of a day is the item `salt#YYYY-MM-DD`: 32 bytes from the system's random number generator,
/// created by the first instance that needs it with a conditional put (a loser of that race reads the
/// winner's), then kept in the process for that day only. It is deleted twice over: its TTL is the end
/// of its day, and since DynamoDB deletes expired items up to days late, the first instance to fetch a
/// salt a minute or more into the next day deletes the previous day's explicitly. A salt is only ever
/// used for its own day: the cache and the key are both the day.
extension DynamoDBCounterStore {
    /// Salt bytes.
    static let saltLength = 32
    /// A connect that started just before midnight may still be running just after it: the previous
    /// day's salt is deleted from this long into the new day.
    static let saltDeletionGraceSeconds: Int64 = 60

    static func saltKey(_ day: UTCDay) -> DynamoDBItem { ["id": .string("salt#\(day.text)")] }

    public func visitorSalt(for day: UTCDay, deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> [UInt8] {
        let salt: [UInt8]
        if let cached = saltCache, cached.day == day {
            salt = cached.salt
        } else {
            salt = try fetchOrCreateSalt(for: day, deadline: deadline)
            saltCache = (day, salt)
        }
        deletePreviousSaltIfDue(today: day, deadline: deadline)
        return salt
    }

    private func fetchOrCreateSalt(for day: UTCDay, deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let fresh = (0..<Self.saltLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        var item = Self.saltKey(day)
        item["salt"] = .string(Hex.lowercase(fresh))
        item["expiresAt"] = .number(String(day.endEpochSeconds))
        do {
            try client.putItem(table: counterTable, item: item, condition: "attribute_not_exists(id)", deadline: deadline)
            return fresh
        } catch where error.isConditionalCheckFailure {
            // Another instance made it first: everyone uses that one.
        } catch {
            throw Self.storageError("create the day's salt", error)
        }
        let stored: DynamoDBItem?
        do {
            stored = try client.getItem(table: counterTable, key: Self.saltKey(day), consistentRead: true, deadline: deadline)
        } catch {
            throw Self.storageError("read the day's salt", error)
        }
        guard case .string(let text)? = stored?["salt"], let salt = Hex.decodeLowercase(text), salt.count == Self.saltLength else {
            throw VisitorCounterError(.storage, "the salt of \(day) is missing or malformed")
        }
        return salt
    }

    /// Once per process and day, from a minute into the day: delete the previous day's salt. A failure is
    /// not retried (TTL deletes it in any case) and never fails the connect.
    private func deletePreviousSaltIfDue(today: UTCDay, deadline: ContinuousClock.Instant) {
        guard previousSaltDeleted != today, now() / 1000 >= today.startEpochSeconds + Self.saltDeletionGraceSeconds
        else { return }
        previousSaltDeleted = today
        _ = try? client.deleteItem(
            table: counterTable, key: Self.saltKey(today.adding(days: -1)), deadline: min(deadline, .now + .seconds(1)))
    }
}
