extension UInt8 {
    /// `A-Z`, `a-z` or `0-9`: the ASCII test of configuration values (access key ids, origins) and
    /// connection ids, in one place.
    package var isASCIIAlphanumeric: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A)
    }
}
