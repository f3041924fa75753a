import Glibc
import SystemPackage

extension FileSystem {
    /// The absolute path of `path` with every symlink, `.` and `..` resolved: `realpath(3)` of
    /// the longest leading part that exists, with the rest (what does not exist yet) appended
    /// as written, as `realpath -m` does. A relative path is taken from the current directory
    /// (`getcwd(3)`). The same folder, however it is spelled, gives the same string.
    public static func resolvedPath(_ path: String) -> String {
        var absolute = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            guard getcwd(&buffer, buffer.count) != nil else { return path }
            absolute = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/" + path
        }
        var head = FilePath(absolute)
        var rest: [FilePath.Component] = []
        while true {
            if let resolved = realpath(head.string, nil) {
                defer { free(resolved) }
                var result = FilePath(String(cString: resolved))
                for component in rest.reversed() {
                    switch component.kind {
                    case .currentDirectory: continue
                    case .parentDirectory: result.removeLastComponent()
                    case .regular: result.append(component)
                    }
                }
                return result.string
            }
            guard let last = head.lastComponent else { return absolute }
            rest.append(last)
            head.removeLastComponent()
        }
    }
}
