@testable import AWSClient
import CurlHTTP
import LambdaEvents
import SigV4
import Testing

/// A sandbox whose libcrypto cannot be loaded: every call that would sign fails with the loader's error
/// (each library tried and its dlerror text), sends nothing and the process goes on. The clients get a
/// loader over a library name that does not exist; the test process's own libcrypto is left alone.
@Suite struct CryptoUnavailableTests {
    static let missing = "/nonexistent/vc-test/libcrypto.so.3"
    static func loadMissing() throws(SigV4Error) {
        _ = try CryptoLibrary.open(names: [missing])
    }

    func expectCryptoFailure(_ error: AWSClientError?, operation: String) {
        #expect(error?.code == .configuration)
        #expect(error?.operation == operation)
        #expect(error?.isRetryable == false)
        #expect((error?.underlying as? SigV4Error)?.code == .cryptoUnavailable)
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("libcrypto could not be loaded; tried [\(Self.missing): dlopen: \(Self.missing): cannot open shared object file"), "\(text)")
    }

    @Test func dynamoDBCallsFailWithTheLoadErrorAndSendNothing() throws {
        let transport = FakeTransport([])
        let client = try DynamoDBClient(
            configuration: testConfiguration, retryPolicy: .default, transport: transport, sleep: { _ in }, loadCrypto: Self.loadMissing)
        for _ in 0..<2 {
            let error = #expect(throws: AWSClientError.self) { try client.getItem(table: "T", key: ["id": .string("x")]) }
            expectCryptoFailure(error, operation: "DynamoDB.GetItem")
        }
        #expect(transport.requests.isEmpty)
        #expect(client.retryCount == 0)
    }

    @Test func managementAPICallsAndTheFanOutFailWithTheLoadError() throws {
        let transport = FakeTransport([])
        let management = try ManagementAPIClient(
            configuration: testConfiguration, endpoint: "https://abc123.execute-api.eu-west-1.amazonaws.com/prod",
            retryPolicy: .default, transport: transport, sleep: { _ in }, loadCrypto: Self.loadMissing)
        let single = #expect(throws: AWSClientError.self) { try management.postToConnection("L0SM9cOFvHcCIhw=", data: [1]) }
        expectCryptoFailure(single, operation: "ManagementAPI.PostToConnection")

        let report = management.post([1], to: ["AAAAAAAAAAAAAAA=", "BBBBBBBBBBBBBBB="], concurrency: 4, deadline: .now + .seconds(5))
        #expect(report.deliveries.count == 2)
        for delivery in report.deliveries {
            guard case .failed(let error) = delivery.outcome else {
                Issue.record("\(delivery.connectionId) was not failed: \(delivery.outcome)")
                continue
            }
            expectCryptoFailure(error, operation: "ManagementAPI.PostToConnection")
            #expect(delivery.attempts == 0)
        }
        #expect(transport.requests.isEmpty)
        // Nothing was signed, so no libcurl pool was made for the fan-out either.
        #expect(management.pool == nil)
    }

    @Test func theRealLoaderPassesInThisProcess() throws {
        let transport = FakeTransport([response(200, "{}")])
        let client = try DynamoDBClient(configuration: testConfiguration, retryPolicy: .default, transport: transport)
        #expect(try client.getItem(table: "T", key: ["id": .string("x")]) == nil)
        #expect(transport.requests.first?.headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 ") == true)
    }
}
