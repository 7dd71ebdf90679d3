/// Lambda event filtering for the stream mapping's `FilterCriteria`: a record goes to the function
/// when any pattern matches it. Supports what a DynamoDB filter needs: nested objects, lists of
/// literal values, and the `prefix`, `exists` and `anything-but` operators.
/// https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
struct EventFilter: Sendable {
    let patterns: [JSONValue]

    /// Whether `record` passes (no patterns: everything passes).
    func allows(_ record: JSONValue) -> Bool {
        patterns.isEmpty || patterns.contains { Self.matches(record, pattern: $0) }
    }

    /// Every key of an object pattern must match the record's member of that name (a missing member
    /// is matched as absent all the way down, so `{"exists": false}` under it holds).
    static func matches(_ value: JSONValue?, pattern: JSONValue) -> Bool {
        switch pattern {
        case .object(let members):
            return members.allSatisfy { key, sub in
                if case .array = sub { return matchesValues(value?[key], allowed: sub) }
                guard case .object = sub else { return false }
                return matches(value?[key], pattern: sub)
            }
        case .array:
            return matchesValues(value, allowed: pattern)
        default:
            return value == pattern
        }
    }

    /// A leaf: the value (or any element, for a list value) equals a literal or satisfies an operator.
    private static func matchesValues(_ value: JSONValue?, allowed: JSONValue) -> Bool {
        guard case .array(let options) = allowed else { return false }
        let candidates: [JSONValue?]
        if case .array(let elements)? = value { candidates = elements } else { candidates = [value] }
        return options.contains { option in candidates.contains { matchesOption($0, option) } }
    }

    private static func matchesOption(_ value: JSONValue?, _ option: JSONValue) -> Bool {
        guard case .object(let rule) = option, rule.count == 1, let (name, argument) = rule.first else {
            return value == option
        }
        switch name {
        case "exists":
            return (value != nil) == (argument == .bool(true))
        case "prefix":
            guard let text = value?.stringValue, let prefix = argument.stringValue else { return false }
            return text.hasPrefix(prefix)
        case "anything-but":
            guard let value else { return false }
            if case .array(let excluded) = argument { return !excluded.contains(value) }
            return value != argument
        default:
            return false
        }
    }
}
