@testable import AWSClient
import CurlHTTP
import Foundation
import SigV4

/// An in-memory transport: answers from a script and records every request.
final class FakeTransport: HTTPTransport {
    var script: [Result<HTTPResponse, HTTPClientError>]
    private(set) var requests: [HTTPRequest] = []

    init(_ script: [Result<HTTPResponse, HTTPClientError>]) {
        self.script = script
    }

    func execute(_ request: HTTPRequest) throws(HTTPClientError) -> HTTPResponse {
        requests.append(request)
        guard !script.isEmpty else { return HTTPResponse(status: 200, body: Array("{}".utf8)) }
        return try script.removeFirst().get()
    }

    /// The JSON body of request `index`.
    func json(_ index: Int) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(requests[index].body)) as? [String: Any] ?? [:]
    }
}

/// A clock the test moves: sleeping advances it.
final class FakeClock {
    var now = ContinuousClock.now
    private(set) var sleeps: [Duration] = []
    func sleep(_ duration: Duration) {
        sleeps.append(duration)
        now = now.advanced(by: duration)
    }
}

func response(_ status: Int, _ body: String = "{}", headers: [(String, String)] = []) -> Result<HTTPResponse, HTTPClientError> {
    .success(HTTPResponse(status: status, headers: HTTPHeaders(headers), body: Array(body.utf8)))
}

let testConfiguration = AWSConfiguration(
    region: "eu-west-1",
    credentials: AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "SESSIONTOKEN123"),
    dynamoDBEndpoint: "https://dynamodb.eu-west-1.amazonaws.com")
