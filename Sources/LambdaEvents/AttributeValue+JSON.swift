import JSONCoding

extension AttributeValue {
    /// The attribute value of a well-formed wire form (`{"<type>": <value>}` with one member of the right JSON
    /// type, a valid number or base64), read straight from the JSON value; nil for anything else, which the
    /// Codable path then decodes or refuses with its precise error. A Scan's rows are nearly all the former;
    /// reading them without Codable's containers is most of a Scan's decoding time (docs/benchmarks.md).
    init?(json: JSONValue) {
        guard case .object(let object) = json, object.count == 1, let type = TypeKey(rawValue: object.keys[0]) else { return nil }
        let member = object.values[0]
        switch (type, member) {
        case (.string, .string(let text)):
            self = .string(text)
        case (.number, .string(let text)):
            guard Self.isValidNumber(text) else { return nil }
            self = .number(text)
        case (.binary, .string(let text)):
            guard let bytes = Base64.decode(text) else { return nil }
            self = .binary(bytes)
        case (.bool, .bool(let flag)):
            self = .bool(flag)
        case (.null, .bool(true)):
            self = .null
        case (.stringSet, .array(let items)), (.numberSet, .array(let items)), (.binarySet, .array(let items)):
            var texts: [String] = []
            texts.reserveCapacity(items.count)
            for item in items {
                guard case .string(let text) = item else { return nil }
                texts.append(text)
            }
            switch type {
            case .stringSet:
                self = .stringSet(texts)
            case .numberSet:
                guard texts.allSatisfy(Self.isValidNumber) else { return nil }
                self = .numberSet(texts)
            default:
                var members: [[UInt8]] = []
                members.reserveCapacity(texts.count)
                for text in texts {
                    guard let bytes = Base64.decode(text) else { return nil }
                    members.append(bytes)
                }
                self = .binarySet(members)
            }
        case (.list, .array(let items)):
            var list: [AttributeValue] = []
            list.reserveCapacity(items.count)
            for item in items {
                guard let value = AttributeValue(json: item) else { return nil }
                list.append(value)
            }
            self = .list(list)
        case (.map, .object(let members)):
            var map: [String: AttributeValue] = [:]
            map.reserveCapacity(members.count)
            for (key, item) in zip(members.keys, members.values) {
                guard let value = AttributeValue(json: item) else { return nil }
                map[key] = value
            }
            self = .map(map)
        default:
            return nil
        }
    }
}
