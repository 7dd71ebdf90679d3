import SigV4
import Testing

@Suite struct HexTests {
    @Test func lowercaseHexRoundTrips() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 16, 33] {
            let bytes = (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let text = Hex.lowercase(bytes)
            #expect(text.utf8.count == count * 2)
            #expect(text == text.lowercased())
            #expect(Hex.decodeLowercase(text) == bytes)
        }
        #expect(Hex.lowercase([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }

    @Test(arguments: ["0", "abc", "0g", "AB", " 0a", "0a "])
    func anythingButLowercaseHexPairsIsRefused(_ text: String) {
        #expect(Hex.decodeLowercase(text) == nil)
    }
}
