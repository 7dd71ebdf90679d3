import Testing
import TestSupport

@Test func motoStartsWithAuth() throws {
    let moto = try MotoServer()
    #expect(moto.endpoint.hasPrefix("http://127.0.0.1:"))
    #expect(moto.sessionCredentials?.sessionToken?.isEmpty == false)
}
