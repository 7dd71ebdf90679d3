import CCurl

/// The header lines one template attempt adds, written into memory a transfer keeps from attempt to
/// attempt (grown when needed, never shrunk) and linked in front of the template's fixed lines as curl
/// list nodes: no allocation per attempt once the buffers are large enough.
///
/// The memory must not change while curl may read it, i.e. while the transfer is in a multi handle:
/// `write` is only called between transfers.
struct AttemptHeaderLines {
    private var text: UnsafeMutablePointer<CChar>?
    private var textCapacity = 0
    private var nodes: UnsafeMutablePointer<curl_slist>?
    private var nodeCapacity = 0

    /// Writes `Name: value` (or `Name;` for an empty value, curl's form for sending it empty) for each
    /// field, NUL-terminated, and returns the first node of the list, which ends in `tail`. Returns `tail`
    /// itself when there are no fields.
    mutating func write(_ fields: [(name: String, value: String)], before tail: UnsafeMutablePointer<curl_slist>?)
        -> UnsafeMutablePointer<curl_slist>?
    {
        guard !fields.isEmpty else { return tail }
        var size = 0
        for field in fields { size += field.name.utf8.count + (field.value.isEmpty ? 2 : 3 + field.value.utf8.count) }
        reserve(text: size, nodes: fields.count)
        guard let text, let nodes else { return tail }
        var offset = 0
        for (index, field) in fields.enumerated() {
            let start = text + offset
            offset += copy(field.name, to: text + offset)
            if field.value.isEmpty {
                text[offset] = CChar(UInt8(ascii: ";"))
                offset += 1
            } else {
                text[offset] = CChar(UInt8(ascii: ":"))
                text[offset + 1] = CChar(UInt8(ascii: " "))
                offset += 2
                offset += copy(field.value, to: text + offset)
            }
            text[offset] = 0
            offset += 1
            nodes[index] = curl_slist(data: start, next: index + 1 < fields.count ? nodes + index + 1 : tail)
        }
        return nodes
    }

    /// Frees the buffers (the owner's deinit).
    mutating func deallocate() {
        text?.deallocate()
        nodes?.deallocate()
        text = nil
        nodes = nil
        textCapacity = 0
        nodeCapacity = 0
    }

    private mutating func reserve(text size: Int, nodes count: Int) {
        if size > textCapacity {
            text?.deallocate()
            textCapacity = max(size, 2 * textCapacity, 512)
            text = .allocate(capacity: textCapacity)
        }
        if count > nodeCapacity {
            nodes?.deallocate()
            nodeCapacity = max(count, 4)
            nodes = .allocate(capacity: nodeCapacity)
        }
    }

    /// Copies the UTF-8 of `string` (no NUL) and returns its length.
    private func copy(_ string: String, to destination: UnsafeMutablePointer<CChar>) -> Int {
        var string = string
        return string.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return 0 }
            UnsafeMutableRawPointer(destination).copyMemory(from: base, byteCount: bytes.count)
            return bytes.count
        }
    }
}
