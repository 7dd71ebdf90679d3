import SystemSupport

/// Step 1b of the canonical request: the canonical URI of a non-S3 service.
///
/// Every AWS service except S3 signs the wire path URI-encoded once more, so an escaped byte on the
/// wire (`%40`) appears as `%2540`. With normalization (what botocore and the AWS CLI always do for
/// these services) dot segments are removed and repeated slashes collapsed first.
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
enum CanonicalURI {
    /// Appends the canonical URI of `path` (the wire path; empty means `/`).
    static func append(path: String, normalize: Bool, to out: inout [UInt8]) {
        let wire = Array(path.utf8)
        if wire.isEmpty {
            out.append(UInt8(ascii: "/"))
        } else if normalize {
            PercentEncoding.appendEncoded(removingDotSegments(wire), keepingSlash: true, to: &out)
        } else {
            PercentEncoding.appendEncoded(wire, keepingSlash: true, to: &out)
        }
    }

    /// RFC 3986 §5.2.4 dot-segment removal that also drops empty segments (`//`), as AWS expects:
    /// `/a/./b/../c//` → `/a/c/`. A leading slash is kept; a trailing one only if a segment remains,
    /// so `/a/..` → `/`.
    static func removingDotSegments(_ path: [UInt8]) -> [UInt8] {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        var kept: [ArraySlice<UInt8>] = []
        for segment in path.split(separator: slash, omittingEmptySubsequences: true) {
            if segment.count == 1 && segment.first == dot { continue }
            if segment.count == 2 && segment.allSatisfy({ $0 == dot }) {
                if !kept.isEmpty { kept.removeLast() }
                continue
            }
            kept.append(segment)
        }
        var out: [UInt8] = []
        out.reserveCapacity(path.count)
        if path.first == slash { out.append(slash) }
        for (position, segment) in kept.enumerated() {
            if position > 0 { out.append(slash) }
            out.append(contentsOf: segment)
        }
        if path.last == slash && !kept.isEmpty { out.append(slash) }
        return out
    }
}
