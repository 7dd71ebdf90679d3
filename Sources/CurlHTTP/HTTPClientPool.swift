// TEMPORARY STAND-IN written by the aws helper so AWSClient can build before the http helper's pool
// lands. Same API as /work/api-contracts.md, but runs the jobs ONE AT A TIME over one HTTPClient.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What to do after an attempt.
public enum PoolDecision: Sendable {
    /// The job is finished.
    case done
    /// Try the job again after the delay.
    case retry(after: Duration)
}

/// Stand-in pool: sequential.
public final class HTTPClientPool {
    private let client: HTTPClient

    /// Creates the pool.
    public init(maxInFlight: Int, connectTimeout: Duration = .seconds(3)) throws(HTTPClientError) {
        client = try HTTPClient(connectTimeout: connectTimeout)
    }

    /// Runs every job (sequentially in this stand-in).
    public func run<Job>(
        _ jobs: [Job], deadline: ContinuousClock.Instant?,
        makeRequest: (Job) -> HTTPRequest,
        onResult: (Job, Result<HTTPResponse, HTTPClientError>, _ attempt: Int) -> PoolDecision
    ) {
        var queue: [(job: Job, attempt: Int, notBefore: ContinuousClock.Instant)] = jobs.map { ($0, 1, .now) }
        while !queue.isEmpty {
            let index = queue.indices.min { queue[$0].notBefore < queue[$1].notBefore }!
            let entry = queue.remove(at: index)
            let wait = ContinuousClock.now.duration(to: entry.notBefore)
            if wait > .zero {
                let (s, a) = wait.components
                var ts = timespec(tv_sec: Int(s), tv_nsec: Int(a / 1_000_000_000))
                nanosleep(&ts, nil)
            }
            let result: Result<HTTPResponse, HTTPClientError>
            if let deadline, ContinuousClock.now >= deadline {
                result = .failure(HTTPClientError(code: .timeout, message: "deadline passed", target: "-"))
            } else {
                var request = makeRequest(entry.job)
                if let deadline {
                    let left = ContinuousClock.now.duration(to: deadline)
                    request.timeout = min(request.timeout ?? left, left)
                }
                do { result = .success(try client.execute(request)) } catch { result = .failure(error) }
            }
            let timedOutByDeadline: Bool
            if case .failure(let error) = result, error.code == .timeout, let deadline, ContinuousClock.now >= deadline {
                timedOutByDeadline = true
            } else {
                timedOutByDeadline = false
            }
            if case .retry(let after) = onResult(entry.job, result, entry.attempt), !timedOutByDeadline {
                queue.append((entry.job, entry.attempt + 1, .now.advanced(by: after)))
            }
        }
    }
}
