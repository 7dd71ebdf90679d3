/// A value in a structured log line: the JSON scalars a log field needs.
public enum LogValue: Sendable, Equatable {
    /// A JSON string.
    case string(String)
    /// A JSON integer.
    case int(Int)
    /// A JSON number (NaN and infinity are written as `null`).
    case double(Double)
    /// A JSON boolean.
    case bool(Bool)

    /// The value as JSON text.
    var jsonText: String {
        switch self {
        case .string(let value): JSONText.quoted(value)
        case .int(let value): String(value)
        case .double(let value): JSONText.number(value)
        case .bool(let value): value ? "true" : "false"
        }
    }
}

extension LogValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral
{
    /// `"text"` in a fields dictionary.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `42` in a fields dictionary.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// `1.5` in a fields dictionary.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// `true` in a fields dictionary.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
