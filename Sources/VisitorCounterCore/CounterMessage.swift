/// The one message the server sends (DESIGN §4): `{"visits":1234}`, plus `"live":7` when live viewers are on.
public struct CounterMessage: Sendable, Equatable {
    /// Exact decimal digits of the visit count.
    public var visits: String
    /// Exact decimal digits of the open connections, when known.
    public var live: String?

    /// Accepts only non-negative integers as DynamoDB returns them, so the JSON is always valid.
    public init?(visits: String, live: String? = nil) {
        guard Self.isCount(visits), live.map(Self.isCount) ?? true else { return nil }
        self.visits = visits
        self.live = live
    }

    /// The message as compact JSON text.
    public var json: String {
        if let live { return "{\"visits\":\(visits),\"live\":\(live)}" }
        return "{\"visits\":\(visits)}"
    }

    /// The message as UTF-8 bytes, as posted to each connection.
    public var bytes: [UInt8] { Array(json.utf8) }

    /// Digits only, no sign or fraction; a `live` that went negative through a lost update is not sent.
    static func isCount(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 38 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
