import CurlHTTP
import Testing

/// The pool's deadline: no attempt starts after it, and whatever it cut short ends with `.timeout`.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct HTTPClientPoolDeadlineTests {
    /// One onResult call, as recorded by the tests.
    struct Call {
        let attempt: Int
        let result: Result<HTTPResponse, HTTPClientError>
        var status: Int? { try? result.get().status }
        var error: HTTPClientError? { if case .failure(let error) = result { error } else { nil } }
    }

    let server: TestServer

    init() throws { server = try TestServer() }

    @Test func deadlineStopsRetriesAndAbortsWhatIsInFlight() throws {
        let pool = try HTTPClientPool(maxInFlight: 4)
        // 0-2 always fail and retry soon; 3 hangs; 4-7 succeed; 8 asks for a retry long after the deadline.
        let paths = ["/status/500", "/status/500", "/status/500", "/hang", "/delay/1", "/delay/1", "/delay/1", "/delay/1", "/status/503"]
        var calls = [[Call]](repeating: [], count: paths.count)
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(1500))
        pool.run(Array(paths.indices), deadline: deadline) { job in
            HTTPRequest(method: .get, url: server.url(paths[job] + "?q=secret"), timeout: nil)
        } onResult: { job, result, attempt in
            calls[job].append(Call(attempt: attempt, result: result))
            return job == 8 ? .retry(after: .seconds(600)) : .retry(after: .milliseconds(30))
        }
        let target = "http://127.0.0.1:\(server.port)"
        for job in 0...2 {
            #expect(calls[job].count > 1, "job \(job) was retried")
            #expect(calls[job].dropLast().allSatisfy { $0.status == 500 })
            #expect(calls[job].map(\.attempt) == Array(1...calls[job].count))
            #expect(calls[job].last?.error?.code == .timeout)
            #expect(calls[job].last?.error?.target == target)
        }
        #expect(calls[3].count == 1)
        #expect(calls[3].first?.error?.code == .timeout)
        #expect(calls[3].first?.error?.target == target)
        for job in 4...7 {
            // A `.retry` after a success is the caller's choice, so these retried until the deadline too.
            #expect(calls[job].dropLast().allSatisfy { $0.status == 200 })
            #expect(calls[job].last?.error?.code == .timeout)
        }
        // The retry due after the deadline is reported at once as attempt 2, not scheduled.
        #expect(calls[8].count == 2)
        #expect(calls[8].first?.status == 503)
        #expect(calls[8].last?.attempt == 2)
        #expect(calls[8].last?.error?.code == .timeout)
        #expect(calls[8].last?.error?.target == target)
        #expect(calls.joined().allSatisfy { $0.error.map { !"\($0)".contains("secret") } ?? true })
    }

    @Test func jobsThatCannotStartBeforeTheDeadlineEndWithTimeout() throws {
        let pool = try HTTPClientPool(maxInFlight: 1)
        var made = 0
        var calls = [[Call]](repeating: [], count: 6)
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(500))
        pool.run(Array(0..<6), deadline: deadline) { job in
            made += 1
            return HTTPRequest(method: .get, url: server.url(job == 0 ? "/hang" : "/delay/1"), timeout: nil)
        } onResult: { job, result, attempt in
            calls[job].append(Call(attempt: attempt, result: result))
            return .done
        }
        // The only transfer hung until the deadline, so jobs 1-5 never started and no request was built for them.
        #expect(made == 1)
        #expect(calls.allSatisfy { $0.count == 1 && $0.first?.attempt == 1 && $0.first?.error?.code == .timeout })
        #expect(calls.dropFirst().allSatisfy { $0.first?.error?.target == "-" })
        #expect(try server.stats().requests == 1)
    }

    @Test func aDeadlineAlreadyPastStartsNothing() throws {
        let pool = try HTTPClientPool(maxInFlight: 2)
        var made = 0
        var codes: [HTTPClientError.Code?] = []
        pool.run(Array(0..<3), deadline: ContinuousClock.now) { _ in
            made += 1
            return HTTPRequest(method: .get, url: server.url("/delay/1"))
        } onResult: { _, result, _ in
            if case .failure(let error) = result { codes.append(error.code) } else { codes.append(nil) }
            return .retry(after: .zero)
        }
        #expect(made == 0)
        #expect(codes == [.timeout, .timeout, .timeout])
        #expect(try server.stats().requests == 0)
    }
}
