/// One step of a coding path, kept as plain data: a decoder or encoder records its place without boxing
/// the caller's `CodingKey` (one allocation per nested value otherwise); `codingPath` rebuilds the keys
/// only when asked, which is for error messages.
enum CodingPathElement {
    case key(String)
    case index(Int)

    var codingKey: any CodingKey {
        switch self {
        case .key(let name): JSONKey(stringValue: name)
        case .index(let index): JSONKey(intValue: index)
        }
    }
}

/// A coding key for paths and for `superDecoder()`/`superEncoder()`.
struct JSONKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }

    static let superKey = JSONKey(stringValue: "super")
}

/// The coding path of a node: its parent's path plus its own element.
protocol PathNode: AnyObject {
    var parentNode: (any PathNode)? { get }
    var element: CodingPathElement? { get }
}

extension PathNode {
    /// The keys from the top down to this node.
    var path: [any CodingKey] {
        var elements: [any CodingKey] = []
        var node: (any PathNode)? = self
        while let current = node {
            if let element = current.element { elements.append(element.codingKey) }
            node = current.parentNode
        }
        return elements.reversed()
    }
}
