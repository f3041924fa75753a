import FrontwatchSystem

/// The `rejected/` folder beside the state database, for `watch.rejected: move`.
enum RejectedFolder {
    /// Moves a rejected file into `<state>/rejected/` and writes `NAME.reason` beside it.
    /// Returns the new path, or the error when the move failed (the file then stays where it is;
    /// `rename(2)` cannot cross filesystems, so the state folder must be on the inbox's).
    static func move(path: String, reason: String, stateDirectory: String) -> Result<String, Errno> {
        let folder = stateDirectory + "/rejected"
        let name = path.split(separator: "/").last.map(String.init) ?? "file"
        do {
            try FileSystem.createDirectory(folder)
            var target = folder + "/" + name
            var n = 1
            while FileSystem.exists(target) || FileSystem.exists(target + ".reason") {
                n += 1
                target = folder + "/" + name + ".\(n)"
            }
            try FileSystem.rename(path, to: target)
            // The reason is written after the move: a crash in between leaves a file without its
            // reason (the journal and the state database still have it), never a reason for a
            // file that stayed in the inbox.
            try? FileSystem.writeAtomically(reason + "\n", to: target + ".reason")
            return .success(target)
        } catch {
            return .failure(error)
        }
    }
}
