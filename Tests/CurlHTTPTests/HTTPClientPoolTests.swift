import CurlHTTP
import Testing

/// The multi-handle pool against the loopback test server.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct HTTPClientPoolTests {
    let server: TestServer

    init() throws { server = try TestServer() }

    @Test func fanOutStaysWithinTheLimitAndReusesConnections() throws {
        let pool = try HTTPClientPool(maxInFlight: 8)
        #expect(pool.maxInFlight == 8)
        var calls = [Int](repeating: 0, count: 500)
        var statuses = [Int](repeating: 0, count: 500)
        var made = 0
        pool.run(Array(0..<500), deadline: nil) { job in
            made += 1
            return HTTPRequest(method: .post, url: server.url("/delay/3?job=\(job)"), body: pattern(64, seed: job))
        } onResult: { job, result, attempt in
            calls[job] += 1
            statuses[job] = (try? result.get().status) ?? -1
            #expect(attempt == 1)
            return .done
        }
        #expect(made == 500)
        #expect(calls.allSatisfy { $0 == 1 })
        #expect(statuses.allSatisfy { $0 == 200 })
        var stats = try server.stats()
        #expect(stats.requests == 500)
        #expect(stats.maxInFlight <= 8)
        #expect(stats.maxInFlight > 1, "the pool ran the requests one at a time")
        #expect(stats.connections <= 8)

        // A second run on the same pool reuses the connections it kept.
        pool.run(Array(0..<100), deadline: nil) { _ in
            HTTPRequest(method: .get, url: server.url("/delay/1"))
        } onResult: { _, result, _ in
            #expect((try? result.get().status) == 200)
            return .done
        }
        stats = try server.stats()
        #expect(stats.requests == 600)
        #expect(stats.connections <= 8)
    }

    @Test func everyJobGetsItsOwnResponse() throws {
        let pool = try HTTPClientPool(maxInFlight: 4)
        var matched = [Bool](repeating: false, count: 200)
        pool.run(Array(0..<200), deadline: nil) { job in
            HTTPRequest(method: job.isMultiple(of: 2) ? .post : .put, url: server.url("/echo"),
                        headers: HTTPHeaders([("X-Job", String(job))]), body: pattern(job * 37, seed: job))
        } onResult: { job, result, _ in
            let echo = try? Echo(result.get())
            matched[job] = echo?.bodyBytes == pattern(job * 37, seed: job) && echo?.values("x-job") == [String(job)]
            return .done
        }
        #expect(matched.allSatisfy { $0 })
    }

    @Test func throttledAndFailingResponsesAreRetriedUntilSuccess() throws {
        let pool = try HTTPClientPool(maxInFlight: 3)
        let failures = (0..<24).map { $0 % 4 }
        var made = [Int](repeating: 0, count: 24)
        var calls = [Int](repeating: 0, count: 24)
        var last: [(attempt: Int, status: Int)] = Array(repeating: (0, 0), count: 24)
        pool.run(Array(0..<24), deadline: nil) { job in
            made[job] += 1
            let status = job.isMultiple(of: 2) ? 429 : 500
            return HTTPRequest(method: .post, url: server.url("/flaky/k\(job)/\(failures[job])?status=\(status)"))
        } onResult: { job, result, attempt in
            calls[job] += 1
            let status = (try? result.get().status) ?? -1
            last[job] = (attempt, status)
            return status == 200 ? .done : .retry(after: .milliseconds(5 * (job % 3)))
        }
        for job in 0..<24 {
            #expect(last[job].status == 200, "job \(job)")
            #expect(last[job].attempt == failures[job] + 1, "job \(job)")
            #expect(calls[job] == failures[job] + 1, "job \(job)")
            // Every attempt built its own request (so a retry can be signed afresh).
            #expect(made[job] == failures[job] + 1, "job \(job)")
        }
        #expect(try server.stats().requests == failures.reduce(24, +))
    }

    @Test func aHangingRequestDelaysOnlyItself() throws {
        let pool = try HTTPClientPool(maxInFlight: 2)
        var order: [Int] = []
        var outcomes = [Result<Int, HTTPClientError>?](repeating: nil, count: 21)
        pool.run(Array(0..<21), deadline: nil) { job in
            job == 0
                ? HTTPRequest(method: .get, url: server.url("/hang"), timeout: .seconds(5))
                : HTTPRequest(method: .get, url: server.url("/delay/5"))
        } onResult: { job, result, _ in
            order.append(job)
            outcomes[job] = result.map(\.status)
            return .done
        }
        #expect(order.count == 21)
        #expect(order.last == 0, "the other 20 finished while the hanging one waited out its own timeout")
        if case .failure(let error) = outcomes[0] { #expect(error.code == .timeout) } else { Issue.record("hang did not time out") }
        #expect(outcomes.dropFirst().allSatisfy { (try? $0?.get()) == 200 })
    }

    @Test func transportFailuresAndRejectedRequestsAreReportedPerJob() throws {
        let refusing = try RefusingPort()
        let pool = try HTTPClientPool(maxInFlight: 2)
        var codes = [HTTPClientError.Code?](repeating: nil, count: 6)
        var statuses = [Int?](repeating: nil, count: 6)
        pool.run(Array(0..<6), deadline: nil) { job in
            switch job {
            case 1: HTTPRequest(method: .get, url: "http://127.0.0.1:\(refusing.port)/x")
            case 3: HTTPRequest(method: .get, url: server.url("/echo"), headers: HTTPHeaders([("X-Bad", "a\nb")]))
            default: HTTPRequest(method: .get, url: server.url("/status/201"))
            }
        } onResult: { job, result, _ in
            switch result {
            case .success(let response): statuses[job] = response.status
            case .failure(let error): codes[job] = error.code
            }
            return .done
        }
        #expect(codes[1] == .connect)
        #expect(codes[3] == .invalidRequest)
        #expect([0, 2, 4, 5].allSatisfy { statuses[$0] == 201 })
    }

    @Test func maxInFlightBelowOneIsRejected() {
        let error = #expect(throws: HTTPClientError.self) { try HTTPClientPool(maxInFlight: 0) }
        #expect(error?.code == .invalidRequest)
    }
}
