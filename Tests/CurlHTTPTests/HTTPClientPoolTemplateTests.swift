import CurlHTTP
import Foundation
import Testing

/// `HTTPClientPool.run(_:template:...)`: the batch form the fan-out uses, against the loopback test server.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct HTTPClientPoolTemplateTests {
    let server: TestServer

    init() throws { server = try TestServer() }

    @Test func everyAttemptSendsTheTemplateAndItsOwnParts() throws {
        let pool = try HTTPClientPool(maxInFlight: 4)
        let body = pattern(300, seed: 7)
        let template = HTTPRequestTemplate(
            method: .post, headers: HTTPHeaders([("X-Fixed", "same"), ("Content-Type", "application/json"), ("X-Empty", "")]), body: body)
        var echoes = [Echo?](repeating: nil, count: 60)
        var heads = [HTTPHeaders?](repeating: nil, count: 60)
        pool.run(Array(0..<60), template: template, deadline: nil) { job in
            // Attempt fields of varying length, so the reused line buffer grows and shrinks.
            HTTPRequestTemplate.Attempt(
                url: server.url("/echo?job=\(job)"),
                headers: [(name: "X-Job", value: String(job)), (name: "X-Pad", value: String(repeating: "p", count: (job * 97) % 700))],
                timeout: .seconds(10))
        } onResult: { job, result, _ in
            let response = try? result.get()
            echoes[job] = response.flatMap { try? Echo($0) }
            heads[job] = response?.headers
            return .done
        }
        for job in 0..<60 {
            let echo = try #require(echoes[job], "job \(job)")
            #expect(echo.method == "POST")
            #expect(echo.bodyBytes == body)
            #expect(echo.values("x-job") == [String(job)])
            #expect(echo.values("x-pad") == [String(repeating: "p", count: (job * 97) % 700)])
            #expect(echo.values("x-fixed") == ["same"])
            #expect(echo.values("x-empty") == [""])
            #expect(echo.values("content-type") == ["application/json"])
            #expect(echo.values("expect").isEmpty)
            // Attempt fields go before the template's.
            let names = echo.headers.compactMap { $0.first?.lowercased() }
            #expect((names.firstIndex(of: "x-job") ?? 99) < (names.firstIndex(of: "x-fixed") ?? -1))
            // A success carries its status and body but not its header fields.
            #expect(heads[job]?.fields.isEmpty == true)
        }
    }

    @Test func noBodySizeMakesCurlWaitFor100Continue() throws {
        let pool = try HTTPClientPool(maxInFlight: 2)
        for size in [0, 1_024, 1_025, 70_000] {
            var echo: Echo?
            pool.run([0], template: HTTPRequestTemplate(method: .post, body: pattern(size, seed: size)), deadline: nil) { _ in
                HTTPRequestTemplate.Attempt(url: server.url("/echo"), timeout: .seconds(10))
            } onResult: { _, result, _ in
                echo = try? Echo(result.get())
                return .done
            }
            #expect(echo?.bodyBytes == pattern(size, seed: size), "size \(size)")
            #expect(echo?.values("expect") == [], "size \(size)")
            #expect(echo?.values("content-type") == [], "size \(size)")
        }
    }

    @Test func failuresCarryTheirHeadersAndRetriesMakeANewAttempt() throws {
        let pool = try HTTPClientPool(maxInFlight: 2)
        let key = UUID().uuidString
        var made = [Int](repeating: 0, count: 6)
        var seen: [(status: Int, retryAfter: String?, body: String)] = []
        var final = [Int](repeating: 0, count: 6)
        pool.run(Array(0..<6), template: HTTPRequestTemplate(method: .put, body: [1, 2, 3]), deadline: nil) { job in
            made[job] += 1
            let path = job < 3 ? "/flaky/\(key)-\(job)/2?status=429" : "/status/429"
            return HTTPRequestTemplate.Attempt(url: server.url(path), headers: [(name: "X-Attempt", value: String(made[job]))], timeout: .seconds(10))
        } onResult: { job, result, attempt in
            guard let response = try? result.get() else { return .done }
            final[job] = response.status
            if response.status != 200 {
                seen.append((response.status, response.headers["retry-after"], String(decoding: response.body, as: UTF8.self)))
            }
            return response.status == 200 || attempt >= 3 ? .done : .retry(after: .zero)
        }
        #expect(made == [3, 3, 3, 3, 3, 3])
        #expect(final == [200, 200, 200, 429, 429, 429])
        #expect(!seen.isEmpty)
        for failure in seen {
            #expect(failure.status == 429)
            #expect(failure.retryAfter == "0" || failure.body == "flaky failure")
        }
        #expect(seen.contains { $0.retryAfter == "0" && $0.body == "status 429" })
    }

    @Test func aTemplateCurlCannotSendFailsEveryJobWithoutARequest() throws {
        let pool = try HTTPClientPool(maxInFlight: 2)
        let before = try server.stats().requests
        var failures: [HTTPClientError.Code] = []
        var made = 0
        pool.run(Array(0..<5), template: HTTPRequestTemplate(method: .post, headers: HTTPHeaders([("X-Bad", "a\r\nInjected: 1")])),
                 deadline: nil) { _ in
            made += 1
            return HTTPRequestTemplate.Attempt(url: server.url("/echo"), timeout: nil)
        } onResult: { _, result, attempt in
            #expect(attempt == 1)
            if case .failure(let error) = result { failures.append(error.code) }
            return .retry(after: .zero)
        }
        #expect(made == 0)
        #expect(failures == Array(repeating: .invalidRequest, count: 5))
        #expect(try server.stats().requests == before)
    }

    @Test func aBadAttemptFailsAloneAndSendsNothing() throws {
        let pool = try HTTPClientPool(maxInFlight: 2)
        var outcomes = [String](repeating: "", count: 4)
        pool.run(Array(0..<4), template: HTTPRequestTemplate(method: .post), deadline: nil) { job in
            switch job {
            case 1: HTTPRequestTemplate.Attempt(url: "ftp://127.0.0.1/x", timeout: nil)
            case 2: HTTPRequestTemplate.Attempt(url: server.url("/echo"), headers: [(name: "X-Bad", value: "a\nb")], timeout: nil)
            case 3: HTTPRequestTemplate.Attempt(url: server.url("/echo"), headers: [(name: "Bad Name", value: "x")], timeout: nil)
            default: HTTPRequestTemplate.Attempt(url: server.url("/echo"), timeout: nil)
            }
        } onResult: { job, result, _ in
            switch result {
            case .success(let response): outcomes[job] = "\(response.status)"
            case .failure(let error): outcomes[job] = "\(error.code)"
            }
            return .done
        }
        #expect(outcomes == ["200", "invalidRequest", "invalidRequest", "invalidRequest"])
    }

    @Test func templateAndPlainRunsShareAPoolWithoutLeakingOptions() throws {
        let pool = try HTTPClientPool(maxInFlight: 3)
        func plain(_ method: HTTPRequest.Method, body: [UInt8] = []) -> [Echo] {
            var echoes: [Echo] = []
            pool.run(Array(0..<6), deadline: nil) { _ in
                HTTPRequest(method: method, url: server.url("/echo"), body: body)
            } onResult: { _, result, _ in
                if let echo = try? Echo(result.get()) { echoes.append(echo) }
                return .done
            }
            return echoes
        }
        func templated(_ method: HTTPRequest.Method, body: [UInt8]) -> [Echo] {
            var echoes: [Echo] = []
            pool.run(Array(0..<6), template: HTTPRequestTemplate(method: method, headers: HTTPHeaders([("X-T", "1")]), body: body),
                     deadline: nil) { _ in
                HTTPRequestTemplate.Attempt(url: server.url("/echo"), timeout: .seconds(10))
            } onResult: { _, result, _ in
                if let echo = try? Echo(result.get()) { echoes.append(echo) }
                return .done
            }
            return echoes
        }
        let first = templated(.put, body: [9, 9])
        #expect(first.count == 6 && first.allSatisfy { $0.method == "PUT" && $0.bodyBytes == [9, 9] && $0.values("x-t") == ["1"] })
        let gets = plain(.get)
        #expect(gets.count == 6 && gets.allSatisfy { $0.method == "GET" && $0.bodyBytes.isEmpty && $0.values("x-t").isEmpty })
        let second = templated(.post, body: [1])
        #expect(second.count == 6 && second.allSatisfy { $0.method == "POST" && $0.bodyBytes == [1] })
        // A new template run (another body) never sends the previous run's body.
        let third = templated(.post, body: [2, 2, 2])
        #expect(third.count == 6 && third.allSatisfy { $0.method == "POST" && $0.bodyBytes == [2, 2, 2] })
        let deletes = plain(.delete)
        #expect(deletes.count == 6 && deletes.allSatisfy { $0.method == "DELETE" && $0.bodyBytes.isEmpty && $0.values("x-t").isEmpty })
    }

    @Test func theDeadlineEndsATemplateRunLikeAnyOther() throws {
        let pool = try HTTPClientPool(maxInFlight: 2)
        var codes: [HTTPClientError.Code?] = Array(repeating: nil, count: 4)
        let start = ContinuousClock.now
        pool.run(Array(0..<4), template: HTTPRequestTemplate(method: .post), deadline: start + .milliseconds(300)) { _ in
            HTTPRequestTemplate.Attempt(url: server.url("/hang"), timeout: .seconds(30))
        } onResult: { job, result, _ in
            if case .failure(let error) = result { codes[job] = error.code }
            return .done
        }
        #expect(codes == Array(repeating: .timeout, count: 4))
        #expect(ContinuousClock.now - start < .seconds(10))
    }
}
