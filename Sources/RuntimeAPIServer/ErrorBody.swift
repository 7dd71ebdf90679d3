import Foundation

/// The `{"errorMessage","errorType"}` JSON Lambda uses for error posts and for its own error answers.
struct ErrorBody: Codable {
    var errorMessage: String?
    var errorType: String?

    /// Decodes what the function posted; anything undecodable leaves both fields nil.
    init(decoding bytes: [UInt8]) {
        let decoded = try? JSONDecoder().decode(ErrorBody.self, from: Data(bytes))
        errorMessage = decoded?.errorMessage
        errorType = decoded?.errorType
    }

    init(errorMessage: String, errorType: String) {
        self.errorMessage = errorMessage
        self.errorType = errorType
    }

    /// The JSON bytes (for the server's own 4xx answers).
    var json: [UInt8] {
        (try? Array(JSONEncoder().encode(self))) ?? Array("{}".utf8)
    }
}
