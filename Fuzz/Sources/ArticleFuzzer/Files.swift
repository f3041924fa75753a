#if canImport(Glibc)
import Glibc
#endif

/// An environment variable.
func getenvString(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

/// A whole small text file, or nil.
func readWhole(_ path: String) -> String? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        if n <= 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}
