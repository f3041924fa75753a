import CSystemd
import Foundation
import Glibc

/// What happened in a watched directory.
public enum DirectoryEvent: Sendable, Equatable {
    /// A file was closed after writing (`IN_CLOSE_WRITE`): it may still be written again.
    case closedAfterWrite(name: String)
    /// A file was moved into the directory (`IN_MOVED_TO`): it arrived complete.
    case arrived(name: String)
    /// A name was created (`IN_CREATE`): complete only if it is a hard link to an existing file
    /// (`ln`); a file being written will be followed by `closedAfterWrite`.
    case created(name: String)
    /// A file's permissions, owner or times changed (`IN_ATTRIB`: chmod, chown, touch): a file
    /// that could not be read may be readable now.
    case attributesChanged(name: String)
    /// The watched directory's own permissions, owner or times changed (`IN_ATTRIB` with no
    /// name): files that could not be examined may be reachable now.
    case directoryAttributesChanged
    /// The kernel's queue overflowed (`IN_Q_OVERFLOW`): events were lost, rescan the directory.
    case overflow
    /// The directory itself was deleted, moved away or unmounted: watch it again when it is back.
    case directoryGone
    /// A file whose name is not valid UTF-8 arrived (any of the events above); the raw name.
    case undecodableName(bytes: [UInt8])
    /// The mount table changed (a file system was mounted or unmounted somewhere): the watched
    /// path may now lead to another directory. Only with `watchingMounts`.
    case mountsChanged
}

/// Watches one directory with inotify(7) and delivers its events as an `AsyncStream`.
///
/// The watch mask is `IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB | IN_DELETE_SELF |
/// IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK`: never open or access events, so reading a file
/// does not wake the daemon (an atime update is not an `IN_ATTRIB`). A reader thread blocks in `poll(2)` on the inotify descriptor and an `eventfd(2)` that
/// `stop()` signals, so stopping never waits for a file event.
public final class InotifyWatcher: @unchecked Sendable {
    private let inotifyFD: Int32
    private let wakeFD: Int32
    /// `/proc/self/mountinfo`, polled for `POLLPRI` (the kernel's signal that the mount table
    /// changed); -1 when not asked for.
    private let mountsFD: Int32
    private let lock = NSLock()
    private var stopped = false
    private var watchDescriptor: Int32 = -1

    /// Creates an inotify instance (`inotify_init1(IN_NONBLOCK | IN_CLOEXEC)`). With
    /// `watchingMounts`, changes of the mount table are reported too (`.mountsChanged`): the
    /// reader thread also polls `/proc/self/mountinfo`, which costs no wake-up until a mount
    /// or unmount happens.
    public init(watchingMounts: Bool = false) throws(Errno) {
        inotifyFD = try syscall { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
        do {
            wakeFD = try syscall { eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK)) }
        } catch {
            Glibc.close(inotifyFD)
            throw error
        }
        mountsFD = watchingMounts ? open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC) : -1
    }

    deinit {
        Glibc.close(inotifyFD)
        Glibc.close(wakeFD)
        if mountsFD >= 0 { Glibc.close(mountsFD) }
    }

    /// Arms the watch on `directory` (`inotify_add_watch(2)`), replacing any earlier one.
    public func watch(directory: String) throws(Errno) {
        let mask = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_CREATE) | UInt32(IN_ATTRIB) | UInt32(IN_DELETE_SELF)
            | UInt32(IN_MOVE_SELF) | UInt32(IN_ONLYDIR) | UInt32(IN_EXCL_UNLINK)
        let wd = try syscall { inotify_add_watch(inotifyFD, directory, mask) }
        let old = lock.withLock { () -> Int32 in
            defer { watchDescriptor = wd }
            return watchDescriptor
        }
        // A folder moved away keeps its watch; drop it so its events stop.
        if old >= 0 && old != wd { inotify_rm_watch(inotifyFD, old) }
    }

    /// The events, in batches as the kernel delivers them. The stream ends after `stop()`.
    /// Call once.
    public func events() -> AsyncStream<[DirectoryEvent]> {
        let (stream, continuation) = AsyncStream<[DirectoryEvent]>.makeStream()
        let thread = Thread { [self] in
            self.readLoop(continuation)
        }
        thread.name = "frontwatch-inotify"
        thread.start()
        return stream
    }

    /// Ends the event stream (writes the eventfd the reader thread polls).
    public func stop() {
        let already = lock.withLock { () -> Bool in
            defer { stopped = true }
            return stopped
        }
        if already { return }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    private func readLoop(_ continuation: AsyncStream<[DirectoryEvent]>.Continuation) {
        defer { continuation.finish() }
        var fds = [pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
        if mountsFD >= 0 { fds.append(pollfd(fd: mountsFD, events: Int16(POLLPRI), revents: 0)) }
        let bufferSize = 256 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            for i in fds.indices { fds[i].revents = 0 }
            do {
                _ = try syscall { poll(&fds, nfds_t(fds.count), -1) }
            } catch {
                return
            }
            if fds[1].revents != 0 { return }
            // The kernel clears the mount table's POLLPRI as it reports it.
            let mounts = fds.count > 2 && fds[2].revents & Int16(POLLPRI | POLLERR) != 0
            if mounts { continuation.yield([.mountsChanged]) }
            guard fds[0].revents != 0 else { continue }
            var batch: [DirectoryEvent] = []
            while true {
                let n = read(inotifyFD, buffer, bufferSize)
                if n <= 0 { break }
                parse(buffer, count: n, into: &batch)
            }
            if !batch.isEmpty { continuation.yield(batch) }
        }
    }

    private func parse(_ buffer: UnsafeMutableRawPointer, count: Int, into batch: inout [DirectoryEvent]) {
        let header = Int(cfw_inotify_event_size())
        var offset = 0
        let currentWD = lock.withLock { watchDescriptor }
        while offset + header <= count {
            let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
            let nameLength = Int(event.len)
            let mask = event.mask
            var name = ""
            var rawName: [UInt8] = []
            if nameLength > 0 {
                let namePointer = (buffer + offset + header).assumingMemoryBound(to: UInt8.self)
                rawName = Array(UnsafeBufferPointer(start: namePointer, count: nameLength).prefix(while: { $0 != 0 }))
                name = String(decoding: rawName, as: UTF8.self)
            }
            offset += header + nameLength
            if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                batch.append(.overflow)
                continue
            }
            // Events of an older, replaced watch are stale.
            if event.wd != currentWD { continue }
            if mask & (UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_UNMOUNT)) != 0 {
                batch.append(.directoryGone)
                continue
            }
            if mask & UInt32(IN_IGNORED) != 0 {
                batch.append(.directoryGone)
                continue
            }
            if name.isEmpty {
                if mask & UInt32(IN_ATTRIB) != 0 { batch.append(.directoryAttributesChanged) }
                continue
            }
            if String(validating: rawName, as: UTF8.self) == nil {
                // Only report it once: on arrival, or on creation of something that is not a file
                // being written (which will report again on close).
                if mask & (UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO)) != 0 || mask & UInt32(IN_ISDIR) != 0 {
                    batch.append(.undecodableName(bytes: rawName))
                }
                continue
            }
            if mask & UInt32(IN_CLOSE_WRITE) != 0 {
                batch.append(.closedAfterWrite(name: name))
            } else if mask & UInt32(IN_MOVED_TO) != 0 {
                batch.append(.arrived(name: name))
            } else if mask & UInt32(IN_CREATE) != 0 {
                batch.append(.created(name: name))
            } else if mask & UInt32(IN_ATTRIB) != 0 {
                batch.append(.attributesChanged(name: name))
            }
        }
    }
}
