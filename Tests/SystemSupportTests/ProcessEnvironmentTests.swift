#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemSupport
import Testing

/// The environment reader against the real process environment (names unique to this test).
@Suite struct ProcessEnvironmentTests {
    @Test func readsWhatIsSetAndNothingElse() {
        let name = "VC_SYSTEM_SUPPORT_TEST_\(getpid())"
        #expect(ProcessEnvironment.value(name) == nil)
        #expect(ProcessEnvironment.current()[name] == nil)
        setenv(name, "a=b c", 1)
        defer { unsetenv(name) }
        // The value is everything after the first `=`, spaces and further `=` included.
        #expect(ProcessEnvironment.value(name) == "a=b c")
        #expect(ProcessEnvironment.current()[name] == "a=b c")
        setenv(name, "", 1)
        #expect(ProcessEnvironment.value(name) == "")
        #expect(ProcessEnvironment.current()[name] == "")
    }
}
