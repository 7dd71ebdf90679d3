/// Whether `condition` holds within `timeout`, checked every 20 ms.
///
/// For what a child process printed: its pipes are read on their own threads, so a line a function wrote
/// just before it answered an invocation may reach the test's copy of its output just after the answer.
public func eventually(within timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let end = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < end else { return false }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return true
}
