import Foundation
import FrontwatchCore
import FrontwatchDaemon
import FrontwatchSystem
import FrontwatchTestSupport
import Logging
import Synchronization

struct ExtractorFigures: Sendable {
    var megabytesPerSecond = 0.0
    var articlesPerSecond = 0.0
}

struct HistoryPoint: Sendable {
    var articles: Int
    var microsecondsPerArticle: Double
    var cpuMicrosecondsPerArticle: Double
    var stateMegabytes: Double
}

/// Counts alerts instead of sending them: the history test measures the store, not journald.
struct CountingAlertSink: AlertSink {
    let delivered = Counter()

    func deliver(_ alert: Alert) throws {
        delivered.add(1)
    }
}

final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func add(_ n: Int) { value.add(n, ordering: .relaxed) }
    var current: Int { value.load(ordering: .relaxed) }
}

extension Benchmark {
    /// The extractor alone on one core: parsed articles in memory, `extract` timed over whole
    /// passes; the median pass's bytes per second (bytes of the whole file, header included).
    func extractorTest() -> ExtractorFigures {
        let generator = CorpusGenerator(axes: generatorAxes, options: .init(seed: options.seed &+ 2))
        var texts: [String] = []
        for i in 0..<options.extractorArticles { texts.append(generator.article(i).text) }
        return timeExtractor(texts)
    }

    /// The same over real-style articles: every `*.txt` of `realCorpora`, read once; nil when
    /// there is none.
    func realExtractorTest(rulesOnly: Bool = false) throws -> ExtractorFigures? {
        var texts: [String] = []
        for folder in options.realCorpora {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for name in names.sorted() where name.hasSuffix(".txt") {
                do {
                    texts.append(try FileSystem.readText(at: folder + "/" + name))
                } catch {
                    throw BenchmarkError("cannot read \(folder)/\(name): \(error)")
                }
            }
        }
        return texts.isEmpty ? nil : timeExtractor(texts, rulesOnly: rulesOnly)
    }

    func timeExtractor(_ texts: [String], rulesOnly: Bool = false) -> ExtractorFigures {
        var articles: [Article] = []
        var bytes = 0
        for text in texts {
            guard let article = try? ArticleParser.parse(text: text, fallbackDate: nil) else { continue }
            articles.append(article)
            bytes += text.utf8.count
        }
        let extractor = rulesOnly ? loaded.rules : loaded.extractor
        var scratch = Extractor.Scratch()
        var events = 0
        // One untimed pass warms caches and the scratch buffers.
        for a in articles { events &+= extractor.extract(from: a, scratch: &scratch).count }
        // Small corpora are read several times per pass, so that a pass lasts long enough to time.
        let repeats = max(1, 2_000_000 / max(1, bytes))
        var rates: [Double] = []
        for _ in 0..<max(1, options.extractorPasses) {
            let start = ContinuousClock.now
            for _ in 0..<repeats {
                for a in articles { events &+= extractor.extract(from: a, scratch: &scratch).count }
            }
            rates.append(Double(bytes * repeats) / (ContinuousClock.now - start).seconds)
        }
        blackHole(events)
        let rate = BenchmarkReport.median(rates)
        return ExtractorFigures(megabytesPerSecond: rate / 1e6,
                                articlesPerSecond: rate / Double(max(1, bytes)) * Double(articles.count))
    }

    /// The daemon's pipeline and store in this process, with a state folder on disk: articles
    /// are written one by one into an inbox, processed (their alerts delivered to a counting
    /// sink and marked sent), and removed. Reports the mean time per article just before each
    /// checkpoint and the state's size on disk at it.
    func historyTest(folder: String) async throws -> [HistoryPoint] {
        let checkpoints = options.history.sorted()
        guard let last = checkpoints.last, last > 0 else { return [] }
        let inbox = folder + "/inbox", stateFolder = folder + "/state"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        var config = loaded
        config.config.stateDirectory = stateFolder
        config.config.watchDirectory = inbox
        config.config.futureDays = Self.corpusFutureDays
        let database = try AppDatabase.open(stateDirectory: stateFolder)
        let logger = Logger(label: "frontwatch-bench") { _ in SwiftLogNoOpLogHandler() }
        let pipeline = ArticlePipeline(loaded: config, database: database, logger: logger)
        let dispatcher = AlertDispatcher(database: database, sink: CountingAlertSink(), logger: logger)
        var unmarked = Set<String>()
        let generator = CorpusGenerator(axes: generatorAxes, options: .init(seed: options.seed &+ 3))
        var points: [HistoryPoint] = []
        var next = 0
        var windowStart = 0
        var windowNanos: Int64 = 0
        var windowCPUNanos: Int64 = 0
        var lastReport = ContinuousClock.now
        for i in 0..<last {
            if i == 0 || (next < checkpoints.count && i == timedFrom(checkpoints[next])) {
                windowStart = i
                windowNanos = 0
                windowCPUNanos = 0
            }
            let article = generator.article(i)
            let path = inbox + "/" + article.name
            do {
                try FileSystem.writeFile(article.text, to: path)
            } catch {
                throw BenchmarkError("cannot write \(path): \(error)")
            }
            let cpuStart = Clocks.processCPUNanoseconds()
            let start = ContinuousClock.now
            let outcome = await pipeline.process(path: path)
            if case .processed(_, let alerts) = outcome, !alerts.isEmpty { _ = dispatcher.flush(unmarked: &unmarked) }
            let elapsed = ContinuousClock.now - start
            windowCPUNanos += Clocks.processCPUNanoseconds() - cpuStart
            windowNanos += elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
            try? FileSystem.remove(path)
            guard case .processed = outcome else {
                throw BenchmarkError("history: article \(i) was not processed: \(outcome)")
            }
            if next < checkpoints.count, i + 1 == checkpoints[next] {
                let n = i + 1 - windowStart
                points.append(HistoryPoint(articles: i + 1, microsecondsPerArticle: Double(windowNanos) / 1000 / Double(n),
                                           cpuMicrosecondsPerArticle: Double(windowCPUNanos) / 1000 / Double(n),
                                           stateMegabytes: Double(Self.stateBytes(stateFolder)) / 1e6))
                progress("  \(i + 1) articles: \(BenchmarkReport.format(points.last!.microsecondsPerArticle)) µs/article (CPU \(BenchmarkReport.format(points.last!.cpuMicrosecondsPerArticle)) µs), state \(BenchmarkReport.format(points.last!.stateMegabytes)) MB")
                next += 1
            }
            if ContinuousClock.now - lastReport > .seconds(30) {
                lastReport = ContinuousClock.now
                progress("  \(i + 1) of \(last) articles")
            }
        }
        try database.close()
        return points
    }

    /// Articles timed before each checkpoint: the last this many, or half the checkpoint.
    static let historyWindow = 2000

    private func timedFrom(_ checkpoint: Int) -> Int {
        checkpoint - min(Self.historyWindow, max(1, checkpoint / 2))
    }

    /// Bytes of the database, its WAL and its shared-memory index.
    static func stateBytes(_ folder: String) -> Int {
        let db = AppDatabase.path(in: folder)
        return [db, db + "-wal", db + "-shm"].reduce(0) { sum, path in
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            return sum + size
        }
    }
}

/// Keeps a value alive so the optimiser cannot drop the work that made it.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
