import FrontwatchSystem

/// The `rejected/` folder beside the state database, for `watch.rejected: move`.
enum RejectedFolder {
    /// Moves a rejected file into `<state>/rejected/` and writes `NAME.reason` beside it.
    /// Returns the new path, or nil when the move failed (the file then stays where it is).
    static func move(path: String, reason: String, stateDirectory: String) -> String? {
        let folder = stateDirectory + "/rejected"
        let name = path.split(separator: "/").last.map(String.init) ?? "file"
        do {
            try FileSystem.createDirectory(folder)
            var target = folder + "/" + name
            var n = 1
            while FileSystem.exists(target) {
                n += 1
                target = folder + "/" + name + ".\(n)"
            }
            try FileSystem.writeAtomically(reason + "\n", to: target + ".reason")
            try FileSystem.rename(path, to: target)
            return target
        } catch {
            return nil
        }
    }
}
