import SystemPackage

/// Every system call frontwatch makes itself goes through here: it retries `EINTR` and turns
/// -1 into a thrown `Errno`. (Calls through swift-system's `FileDescriptor` retry in
/// swift-system, with `retryOnInterrupt`, and reach a typed throw through `throwingErrno`.)
@inline(__always)
package func syscall<T: BinaryInteger>(_ body: () -> T) throws(Errno) -> T {
    while true {
        let result = body()
        if result >= 0 { return result }
        let err = Errno.current
        if err == .interrupted { continue }
        throw err
    }
}

/// Runs calls on swift-system's `FileDescriptor`, which throw nothing but `Errno` though their
/// signatures are untyped, under a typed `throws(Errno)`.
@inline(__always)
func throwingErrno<T>(_ body: () throws -> T) throws(Errno) -> T {
    do {
        return try body()
    } catch let error as Errno {
        throw error
    } catch {
        preconditionFailure("swift-system threw \(error), which is not an Errno")
    }
}

/// `syscall()` for the calls that return their error number instead of setting `errno`
/// (`clock_nanosleep(2)`, the `pthread_*` functions), where 0 is success: `EINTR` is retried,
/// any other number thrown.
@inline(__always)
package func syscallReturningErrno(_ body: () -> Int32) throws(Errno) {
    while true {
        let result = body()
        if result == 0 { return }
        let err = Errno(result)
        if err == .interrupted { continue }
        throw err
    }
}
