import ArgumentParser
import Foundation
import FrontwatchDaemon
import FrontwatchSystem
import FrontwatchTestSupport

/// The program's entry: on the `QuietExecutor`, as every `frontwatch` command runs.
@main
enum Main {
    static func main() {
        QuietRuntime.runMain { await FrontwatchBench.main() }
    }
}

struct FrontwatchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frontwatch-bench",
        abstract: "Measure the daemon end to end against its budgets: latency, burst throughput, extractor speed, memory, idle cost, growth with history.",
        discussion: """
            Runs the real daemon binary with the real journal on a generated corpus (deterministic, \
            seeded) and prints a table of figures with their budgets and the machine. Build with \
            `swift build -c release` first: figures of a debug build mean little. Needs a running \
            systemd-journald. A full run takes about half an hour on 2 cores; --quick takes seconds.
            """)

    @Flag(help: "Tiny sizes that still produce every figure (a smoke test, not a measurement).")
    var quick = false

    @Option(help: ArgumentHelp("Tests to run, comma-separated: latency, burst, extractor, memory, idle, history.", valueName: "list"))
    var only: String?

    @Option(help: ArgumentHelp("Latency test: articles renamed into the inbox.", valueName: "n"))
    var articles: Int?

    @Option(help: ArgumentHelp("Latency test: files per second.", valueName: "per-second"))
    var rate: Double?

    @Option(help: ArgumentHelp("Burst test: files dropped at once.", valueName: "n"))
    var burst: Int?

    @Option(help: ArgumentHelp("History test: checkpoints in processed articles, comma-separated.", valueName: "list"))
    var history: String?

    @Option(help: ArgumentHelp("Extractor test: articles in its corpus.", valueName: "n"))
    var extractorArticles: Int?

    @Option(name: .customLong("real-corpus"), help: ArgumentHelp("Extractor test: a folder of real-style articles (*.txt) timed besides the generated corpus (repeatable; default: the source tree's testdata/eval when found).", valueName: "dir"))
    var realCorpora: [String] = []

    @Option(help: ArgumentHelp("Idle test: seconds of each idle window.", valueName: "seconds"))
    var idleSeconds: Double?

    @Option(help: ArgumentHelp("Runs of the latency, burst, extractor and idle tests; figures are medians.", valueName: "n"))
    var runs: Int?

    @Option(help: ArgumentHelp("Seed of the generated corpus.", valueName: "n"))
    var seed: UInt64?

    @Option(help: ArgumentHelp("Write the figures as JSON to this file (- for standard output).", valueName: "file"))
    var json: String?

    @Option(name: .customLong("work-dir"), help: ArgumentHelp("Where temporary inboxes, state and corpora go.", valueName: "dir"))
    var workDirectory: String?

    @Option(help: ArgumentHelp("The frontwatch binary to run as the daemon (default: the frontwatch beside this program).", valueName: "path"))
    var binary: String?

    @Option(name: .long, help: ArgumentHelp("The configuration file whose gazetteer the corpus uses.", valueName: "file"))
    var config: String?

    @Flag(help: "Keep the work folder afterwards.")
    var keep = false

    func run() async throws {
        let exe = binary ?? DaemonProcess.binary
        guard FileManager.default.isExecutableFile(atPath: exe) else {
            throw failure("\(exe) is not an executable: build it (swift build -c release) or pass --binary")
        }
        var options = quick ? BenchmarkOptions.quick(binary: exe) : BenchmarkOptions(binary: exe)
        if let only {
            var tests = Set<BenchmarkOptions.Test>()
            for name in only.split(separator: ",") {
                guard let test = BenchmarkOptions.Test(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--only: \"\(name)\" is not a test; use \(BenchmarkOptions.Test.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tests.insert(test)
            }
            options.tests = tests
        }
        if let articles { options.latencyArticles = articles }
        if let rate {
            guard rate > 0 else { throw ValidationError("--rate must be greater than 0") }
            options.rate = rate
        }
        if let burst { options.burst = burst }
        if let history {
            let points = history.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !points.isEmpty, points.allSatisfy({ $0 > 0 }) else { throw ValidationError("--history takes positive counts, e.g. 1000,10000") }
            options.history = points
        }
        if let extractorArticles { options.extractorArticles = extractorArticles }
        options.realCorpora = realCorpora
        if realCorpora.isEmpty, let exe = FileSystem.executablePath() {
            // Built in the source tree (.build/<triple>/release/frontwatch-bench): its own real-style passages.
            var dir = exe
            for _ in 0..<5 {
                dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)])
                if FileManager.default.fileExists(atPath: dir + "/testdata/eval/labels.json") {
                    options.realCorpora = [dir + "/testdata/eval"]
                    break
                }
            }
        }
        if let idleSeconds { options.idleSeconds = idleSeconds }
        if let runs { options.runs = max(1, runs) }
        if let seed { options.seed = seed }
        if let workDirectory { options.workDirectory = workDirectory }
        options.configPath = config
        options.keep = keep
        let loaded: LoadedConfig
        do {
            // The configuration `frontwatch` would load here: CONFIGURATION_DIRECTORY is one of its places.
            let environment = ["CONFIGURATION_DIRECTORY", "STATE_DIRECTORY"].reduce(into: [String: String]()) { env, name in
                env[name] = FileSystem.environment(name)
            }
            loaded = try ConfigLoader.load(configPath: config, environment: environment, requireScorer: true)
        } catch {
            throw failure(error.message, code: 78)  // EX_CONFIG, as frontwatch says it
        }
        let command = (["frontwatch-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let report: BenchmarkReport
        do {
            report = try await Benchmark(options: options, loaded: loaded) { printError($0) }.run(command: command)
        } catch let error as BenchmarkError {
            throw failure(error.message)
        }
        if let json {
            let data = try report.json()
            if json == "-" {
                print(String(decoding: data, as: UTF8.self))
            } else {
                try data.write(to: URL(fileURLWithPath: json))
            }
        }
        if json != "-" { print(report.table) }
    }
}

/// Says `frontwatch-bench: MESSAGE` on stderr; the exit status to end with.
func failure(_ message: String, code: Int32 = 1) -> ExitCode {
    printError("frontwatch-bench: \(message)")
    return ExitCode(code)
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
