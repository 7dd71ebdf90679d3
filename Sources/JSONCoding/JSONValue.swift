/// One JSON value as read by ``JSONReader`` (RFC 8259), without Foundation.
///
/// Numbers keep their text, so nothing is lost before the Codable layer decides what they are: an
/// `Int64` is exact whatever its size, a `Double` is rounded once, by the standard library's parser.
public enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as its text in the input (valid RFC 8259 number grammar).
    case number(String)
    /// A string, escapes resolved.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in input order (keys are unique: the reader refuses duplicates).
    case object(JSONObject)
}

/// The members of a JSON object in input order, with unique keys.
public struct JSONObject: Sendable, Equatable {
    /// The member names, in input order.
    public private(set) var keys: [String]
    /// The member values, `values[i]` belonging to `keys[i]`.
    public private(set) var values: [JSONValue]

    /// An empty object.
    public init() {
        keys = []
        values = []
    }

    init(keys: [String], values: [JSONValue]) {
        self.keys = keys
        self.values = values
    }

    /// The number of members.
    public var count: Int { keys.count }

    /// The value of member `key`, nil when absent.
    public subscript(key: String) -> JSONValue? {
        guard let index = keys.firstIndex(of: key) else { return nil }
        return values[index]
    }
}
