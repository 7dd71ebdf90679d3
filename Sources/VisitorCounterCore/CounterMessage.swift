/// The one message the server sends (docs/design.md §4): `{"visits":1234}`, plus `"visitors":567` with
/// unique visitors on and `"live":7` with live viewers on.
package struct CounterMessage: Sendable, Equatable {
    /// Exact decimal digits of the visit count.
    public var visits: String
    /// Exact decimal digits of the open connections, when known.
    public var live: String?
    /// Exact decimal digits of the visitor count, with unique visitors on.
    public var visitors: String?

    /// Accepts only non-negative integers as DynamoDB returns them, so the JSON is always valid.
    public init?(visits: String, live: String? = nil, visitors: String? = nil) {
        guard Self.isCount(visits), live.map(Self.isCount) ?? true, visitors.map(Self.isCount) ?? true else { return nil }
        self.visits = visits
        self.live = live
        self.visitors = visitors
    }

    /// The message as compact JSON text.
    public var json: String {
        var text = "{\"visits\":\(visits)"
        if let visitors { text += ",\"visitors\":\(visitors)" }
        if let live { text += ",\"live\":\(live)" }
        return text + "}"
    }

    /// The message as UTF-8 bytes, as posted to each connection.
    public var bytes: [UInt8] { Array(json.utf8) }

    /// Digits only, no sign or fraction; a `live` that went negative through a lost update is not sent.
    static func isCount(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 38 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
