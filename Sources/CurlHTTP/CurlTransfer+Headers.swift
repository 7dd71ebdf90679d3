extension CurlTransfer {
    /// The fields of a response's header lines as curl delivered them (`Name: value\r\n` each, no status
    /// line). Parsed on the bytes; Strings are made only for names and values. Lines without a colon are
    /// skipped; a line starting with whitespace continues the previous field (obsolete folding, RFC 9112 §5.2).
    static func parseHeaderLines(_ raw: [UInt8]) -> HTTPHeaders {
        var fields: [(String, String)] = []
        raw.withUnsafeBufferPointer { bytes in
            var lineStart = 0
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                parseLine(UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd]), into: &fields)
                lineStart = lineEnd + 1
            }
        }
        return HTTPHeaders(fields)
    }

    /// Adds the field of one header line (without its LF) to `fields`.
    private static func parseLine(_ line: UnsafeBufferPointer<UInt8>, into fields: inout [(String, String)]) {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        var end = line.count
        while end > 0, line[end - 1] == 0x0D { end -= 1 }
        guard end > 0 else { return }  // the blank line that ends the header
        if isSpace(line[0]) {
            guard !fields.isEmpty else { return }
            var start = 0
            while start < end, isSpace(line[start]) { start += 1 }
            var stop = end
            while stop > start, isSpace(line[stop - 1]) { stop -= 1 }
            guard stop > start else { return }  // a blank continuation adds nothing
            fields[fields.count - 1].1 += " " + String(decoding: UnsafeBufferPointer(rebasing: line[start..<stop]), as: UTF8.self)
            return
        }
        guard let colon = line[..<end].firstIndex(of: 0x3A) else { return }
        var valueStart = colon + 1
        var valueEnd = end
        while valueStart < valueEnd, isSpace(line[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart, isSpace(line[valueEnd - 1]) { valueEnd -= 1 }
        fields.append((
            String(decoding: UnsafeBufferPointer(rebasing: line[..<colon]), as: UTF8.self),
            String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self)
        ))
    }

    /// The value of a `Content-Length` line (any case, optional spaces), or nil for any other line or a
    /// value that is not a plain decimal number.
    static func contentLength(_ line: UnsafeBufferPointer<UInt8>) -> Int? {
        // Most lines are something else: the first byte settles it without touching the rest.
        guard line.count > 15, line[0] | 0x20 == UInt8(ascii: "c") else { return nil }
        let name: StaticString = "content-length:"
        for index in 1..<15 {
            let byte = line[index]
            guard (byte &- 65 < 26 ? byte | 0x20 : byte) == name.utf8Start[index] else { return nil }
        }
        var value = 0
        var digits = 0
        for byte in line[15...] {
            switch byte {
            case 0x30...0x39:
                guard digits < 15 else { return nil }
                value = value * 10 + Int(byte - 0x30)
                digits += 1
            case 0x20, 0x09, 0x0D, 0x0A: continue
            default: return nil
            }
        }
        return digits > 0 ? value : nil
    }
}
