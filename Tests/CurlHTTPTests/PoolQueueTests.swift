@testable import CurlHTTP
import Testing

/// Pure tests of the pool's queues and of the transfer's helpers (no I/O).
struct PoolQueueTests {
    @Test func timerQueuePopsInDueOrderAndKeepsOrderForEqualTimes() {
        let start = ContinuousClock.now
        var queue = RetryTimerQueue()
        // A scrambled but fixed set of delays, several of them equal.
        let delays = (0..<1000).map { ($0 * 7919) % 97 }
        for (job, delay) in delays.enumerated() {
            queue.insert(PendingAttempt(job: job, attempt: 2, previousURL: nil), due: start.advanced(by: .milliseconds(delay)))
        }
        #expect(queue.count == 1000)
        #expect(queue.nextDue == start)
        #expect(queue.popDue(at: start.advanced(by: .milliseconds(-1))) == nil)
        var popped: [Int] = []
        while let next = queue.popDue(at: start.advanced(by: .seconds(1))) { popped.append(next.job) }
        let expected = delays.indices.sorted { (delays[$0], $0) < (delays[$1], $1) }
        #expect(popped == expected)
        #expect(queue.isEmpty)
    }

    @Test func timerQueueReleasesOnlyWhatIsDue() {
        let start = ContinuousClock.now
        var queue = RetryTimerQueue()
        for job in [3, 1, 2] {
            queue.insert(PendingAttempt(job: job, attempt: 1, previousURL: nil), due: start.advanced(by: .seconds(job)))
        }
        #expect(queue.popDue(at: start.advanced(by: .milliseconds(1500)))?.job == 1)
        #expect(queue.popDue(at: start.advanced(by: .milliseconds(1500))) == nil)
        #expect(queue.drain().map(\.job) == [2, 3])
        #expect(queue.isEmpty)
    }

    @Test func readyQueueIsFIFOAcrossCompaction() {
        var queue = ReadyQueue()
        var expected: [Int] = []
        var popped: [Int] = []
        // Interleave pushes and pops so the head moves past the compaction threshold with items left.
        for job in 0..<5000 {
            queue.append(PendingAttempt(job: job, attempt: 1, previousURL: nil))
            expected.append(job)
            if job % 3 != 0, let next = queue.popFirst() { popped.append(next.job) }
        }
        while let next = queue.popFirst() { popped.append(next.job) }
        #expect(popped == expected)
        #expect(queue.isEmpty)
    }

    @Test(arguments: [
        ("https://user:pw@example.com/path?X-Amz-Signature=abc", "https://example.com:443"),
        ("http://127.0.0.1:8080/a?b=c", "http://127.0.0.1:8080"),
        ("HTTP://Example.com", "http://Example.com:80"),
        ("https://[::1]/x", "https://[::1]:443"),
        ("https://[::1]:9443#frag", "https://[::1]:9443"),
        ("not a url", "?"),
    ])
    func targetKeepsOnlySchemeHostAndPort(url: String, target: String) {
        #expect(CurlTransfer.target(of: url) == target)
    }

    @Test func durationsBecomeClampedMilliseconds() {
        #expect(Duration.milliseconds(1500).milliseconds == 1500)
        #expect(Duration.microseconds(999).milliseconds == 0)
        #expect(Duration.seconds(Int64.max).milliseconds == 1 << 40)
        #expect(Duration.seconds(-5).milliseconds == -5000)
    }
}
