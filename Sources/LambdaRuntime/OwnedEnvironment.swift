#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Environment variables that change on every invocation (`_X_AMZN_TRACE_ID`), set without leaking.
///
/// glibc's `setenv` copies `NAME=value` into a new allocation and never frees the one it replaces (a
/// pointer `getenv` returned earlier may still be in use), so a new trace id per invocation leaked about
/// 170 bytes each time: 2 MB per 12,000 invocations in `make soak`, without end. Here the process owns
/// each variable's `NAME=value` buffer and hands it to `putenv`, which keeps the pointer itself; later
/// values are written into the same buffer. Only a value longer than the buffer makes a new one, of at
/// least twice the size; the old one is kept (a `getenv` pointer may still point into it), so memory
/// stays bounded by the longest value seen.
///
/// Not thread-safe (the environment is not): the run loop sets it between invocations, on its thread.
final class OwnedEnvironment {
    private struct Slot {
        var buffer: UnsafeMutablePointer<CChar>
        var capacity: Int
    }

    private var slots: [String: Slot] = [:]
    /// Buffers given up for larger ones: never freed, for pointers `getenv` handed out.
    private var retired: [UnsafeMutablePointer<CChar>] = []

    /// Sets `name` to `value`. For nil, a variable this object installed is set to the empty string
    /// in place (X-Ray's SDKs read an empty `_X_AMZN_TRACE_ID` as none) and any other is removed.
    ///
    /// In place because libcurl may still be loading on a background thread during the first invocations
    /// (`HTTPClient`), and its initialisation reads the environment: glibc's `getenv` takes no lock, and
    /// adding or removing a variable moves (and may free) the array a concurrent `getenv` walks, while
    /// rewriting a value in our own buffer changes nothing it walks. So the runtime installs the variable
    /// once at start, before any thread exists, and afterwards only writes values.
    func set(_ name: String, _ value: String?) {
        guard let value else {
            if let existing = slots[name], getenv(name) == existing.buffer + name.utf8.count + 1 {
                existing.buffer[name.utf8.count + 1] = 0
            } else {
                unsetenv(name)
            }
            return
        }
        let size = name.utf8.count + 1 + value.utf8.count + 1
        // One lookup, bound once: Swift 6.3.1's debug build read a garbage capacity from `slots[name]?.capacity`
        // written inline (an abort on allocation when the first value was empty).
        let existing = slots[name]
        var slot: Slot
        var installed: Bool
        if let existing, existing.capacity >= size {
            slot = existing
            // putenv's entry is still ours unless someone unset or replaced the variable since.
            installed = getenv(name) == existing.buffer + name.utf8.count + 1
        } else {
            var previousCapacity = 0
            if let existing {
                retired.append(existing.buffer)
                previousCapacity = existing.capacity
            }
            let capacity = max(size, 2 * previousCapacity, 128)
            slot = Slot(buffer: .allocate(capacity: capacity), capacity: capacity)
            slots[name] = slot
            installed = false
        }
        var offset = 0
        for byte in name.utf8 {
            slot.buffer[offset] = CChar(bitPattern: byte)
            offset += 1
        }
        slot.buffer[offset] = CChar(bitPattern: UInt8(ascii: "="))
        offset += 1
        for byte in value.utf8 {
            slot.buffer[offset] = CChar(bitPattern: byte)
            offset += 1
        }
        slot.buffer[offset] = 0
        if !installed { putenv(slot.buffer) }
    }
}
