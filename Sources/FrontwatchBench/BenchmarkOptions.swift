/// What `frontwatch-bench` measures, and how much of it.
public struct BenchmarkOptions: Sendable, Equatable {
    /// The measurements.
    public enum Test: String, Sendable, CaseIterable {
        /// Rename-to-journal latency at a steady rate.
        case latency
        /// Throughput of a burst of files dropped at once.
        case burst
        /// The extractor alone, in MB/s on one core.
        case extractor
        /// Peak resident memory of the daemon after the burst.
        case memory
        /// Wake-ups and CPU of an idle daemon.
        case idle
        /// Per-article time and state size as history grows.
        case history
        /// Three large articles and a normal one at once: the normal one's wait, memory, state,
        /// and a stop during a large one's analysis.
        case large
    }

    /// Which tests run.
    public var tests: Set<Test> = Set(Test.allCases)
    /// Latency test: articles renamed in.
    public var latencyArticles = 3000
    /// Latency test: files per second.
    public var rate = 100.0
    /// Burst test: files dropped at once.
    public var burst = 100_000
    /// Extractor test: articles in the corpus it reads, and passes over it.
    public var extractorArticles = 3000
    /// Passes over the extractor corpus (the median pass is reported).
    public var extractorPasses = 5
    /// Extractor test: folders of real-style articles (`*.txt`) timed besides the generated corpus.
    public var realCorpora: [String] = []
    /// History test: checkpoints, in processed articles.
    public var history = [1000, 10_000, 100_000, 1_000_000]
    /// Large-articles test: the size of each large article (the case: 12 MB).
    public var largeBytes = 12_000_000
    /// Idle test: seconds of each idle window.
    public var idleSeconds = 30.0
    /// `WATCHDOG_USEC` given to the burst daemon, so the idle window after it sees the pings.
    public var watchdogMicroseconds: UInt64 = 10_000_000
    /// Runs of the latency, burst and extractor tests (figures are medians over runs).
    public var runs = 3
    /// Seed of the corpus.
    public var seed: UInt64 = 2023
    /// Where temporary inboxes, states and corpora go (a fresh folder under it).
    public var workDirectory = "/tmp"
    /// The `frontwatch` binary to run as the daemon.
    public var binary: String
    /// The configuration file whose gazetteer the corpus and the daemon use (nil: the usual search).
    public var configPath: String?
    /// Keep the work folder afterwards.
    public var keep = false

    /// Full sizes, with the daemon at `binary`.
    public init(binary: String) {
        self.binary = binary
    }

    /// Tiny sizes that still produce every figure, for a smoke test.
    public static func quick(binary: String) -> BenchmarkOptions {
        var o = BenchmarkOptions(binary: binary)
        o.latencyArticles = 20
        o.rate = 100
        o.burst = 200
        o.extractorArticles = 20
        o.extractorPasses = 1
        o.history = [100, 200]
        o.idleSeconds = 1
        o.largeBytes = 200_000
        o.watchdogMicroseconds = 1_000_000
        o.runs = 1
        return o
    }
}
