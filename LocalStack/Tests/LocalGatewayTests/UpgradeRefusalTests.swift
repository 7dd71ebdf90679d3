import NIOHTTP1
import Testing

@testable import LocalGateway

/// What a refused handshake says: the browser sees the status, the log and the body say what to change.
@Suite struct UpgradeRefusalTests {
    @Test func aWrongPathIsA404ThatNamesTheStage() {
        let refusal = UpgradeRefusal.wrongPath("/prod", stageURL: "ws://127.0.0.1:8080/local")
        #expect(refusal.status.code == 404)
        #expect(refusal.reason.contains("/prod") && refusal.reason.contains("ws://127.0.0.1:8080/local"))
    }

    @Test func aRefusedOriginIsA403ThatNamesTheOriginAndTheSetting() {
        let refusal = UpgradeRefusal.connectRefused(status: 403, origin: "http://localhost:5500")
        #expect(refusal.status.code == 403)
        #expect(refusal.reason.contains("http://localhost:5500"))
        #expect(refusal.reason.contains("--allowed-origins") && refusal.reason.contains("AllowedOrigins"))
    }

    @Test func anyOtherAnswerOfConnectKeepsItsStatus() {
        #expect(UpgradeRefusal.connectRefused(status: 500, origin: nil).status.code == 500)
        #expect(UpgradeRefusal.connectRefused(status: 400, origin: "https://a.example").status.code == 400)
    }

    @Test func refusedOriginsCompareAsDBUpdaterComparesThem() {
        let origins = RefusedOrigins()
        origins.add("https://Example.com/")
        #expect(origins.contains("https://example.com"))
        #expect(!origins.contains("https://example.org"))
    }
}
