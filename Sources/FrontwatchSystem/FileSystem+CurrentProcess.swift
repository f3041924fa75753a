import Glibc

extension FileSystem {
    /// The absolute path of the running executable (`readlink(2)` of `/proc/self/exe`).
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The value of an environment variable (`getenv(3)`).
    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
