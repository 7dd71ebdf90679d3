/// What a stream poller hands its batches to: the hosted DBStreamProcessor in the stack, a recorder in tests.
protocol StreamBatchTarget: Sendable {
    /// Invokes the function with one batch (`{"Records": [...]}`); `detail` goes into the log line.
    func invoke(_ payload: [UInt8], detail: String) async -> HostedFunction.Outcome
}

extension HostedFunction: StreamBatchTarget {}
