import Foundation

/// A limit a figure must keep.
public struct Budget: Sendable, Codable, Equatable {
    /// How the figure compares with the limit.
    public enum Comparison: String, Sendable, Codable {
        case below = "<"
        case atMost = "<="
        case atLeast = ">="
    }

    /// The comparison.
    public var comparison: Comparison
    /// The limit.
    public var limit: Double

    /// Below `limit`.
    public static func below(_ limit: Double) -> Budget { Budget(comparison: .below, limit: limit) }
    /// At most `limit`.
    public static func atMost(_ limit: Double) -> Budget { Budget(comparison: .atMost, limit: limit) }
    /// At least `limit`.
    public static func atLeast(_ limit: Double) -> Budget { Budget(comparison: .atLeast, limit: limit) }

    /// True when `value` keeps the budget.
    public func isMet(by value: Double) -> Bool {
        switch comparison {
        case .below: return value < limit
        case .atMost: return value <= limit
        case .atLeast: return value >= limit
        }
    }

    /// "< 5", ">= 5000".
    public var text: String { "\(comparison.rawValue) \(BenchmarkReport.format(limit))" }
}

/// One measured figure: the median of its runs, with its unit and budget.
public struct BenchmarkFigure: Sendable, Codable, Equatable {
    /// A stable key, e.g. `latency_p99_ms`.
    public var name: String
    /// What it measures, for the table.
    public var label: String
    /// The median over `runs`.
    public var value: Double
    /// The unit of `value`.
    public var unit: String
    /// Every run's value, in run order.
    public var runs: [Double]
    /// The limit it must keep, if any.
    public var budget: Budget?
    /// Whether the median keeps the budget (nil without a budget).
    public var pass: Bool?

    /// A figure from its runs.
    public init(name: String, label: String, unit: String, runs: [Double], budget: Budget? = nil) {
        self.name = name
        self.label = label
        self.unit = unit
        self.runs = runs
        self.value = BenchmarkReport.median(runs)
        self.budget = budget
        self.pass = budget.map { $0.isMet(by: value) }
    }
}

/// The machine a run was made on.
public struct MachineDescription: Sendable, Codable, Equatable {
    /// CPU model name from /proc/cpuinfo.
    public var cpu: String
    /// Online cores.
    public var cores: Int
    /// MemTotal, in GiB.
    public var memoryGiB: Double
    /// The kernel release.
    public var kernel: String
    /// The Swift compiler the binary was built with.
    public var swift: String
    /// `release` or `debug`.
    public var build: String

    /// Reads the current machine's description from /proc.
    public static func current() -> MachineDescription {
        func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        let cpuinfo = read("/proc/cpuinfo")
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let memKB = read("/proc/meminfo").split(separator: "\n").first { $0.hasPrefix("MemTotal:") }
            .flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Double($0) } ?? 0
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        return MachineDescription(cpu: model, cores: ProcessInfo.processInfo.activeProcessorCount,
                                  memoryGiB: (memKB / 1_048_576 * 10).rounded() / 10,
                                  kernel: read("/proc/sys/kernel/osrelease").trimmingCharacters(in: .whitespacesAndNewlines),
                                  swift: compilerVersion, build: build)
    }

    static var compilerVersion: String {
        #if compiler(>=6.4)
        return "6.4 or later"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }

    /// One line for the table's head.
    public var summary: String {
        "\(cpu), \(cores) cores, \(BenchmarkReport.format(memoryGiB)) GiB, Linux \(kernel), Swift \(swift), \(build) build"
    }
}

/// Everything a benchmark run measured, as a table or as JSON.
public struct BenchmarkReport: Sendable, Codable, Equatable {
    /// Where it ran.
    public var machine: MachineDescription
    /// The command line that produced it.
    public var command: String
    /// When it started (ISO 8601, UTC).
    public var date: String
    /// How many runs each repeated figure is the median of.
    public var runs: Int
    /// The figures, in the order they were measured.
    public var figures: [BenchmarkFigure]
    /// Notes on what was measured how (corpus, sizes, anything skipped).
    public var notes: [String]

    /// The figure with this name.
    public func figure(_ name: String) -> BenchmarkFigure? {
        figures.first { $0.name == name }
    }

    /// True when every figure with a budget keeps it.
    public var allBudgetsMet: Bool {
        figures.allSatisfy { $0.pass != false }
    }

    /// The report as pretty-printed JSON.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The report as a plain-text table.
    public var table: String {
        var rows: [[String]] = [["figure", "median", "unit", "budget", "result", "runs"]]
        for f in figures {
            rows.append([f.label, Self.format(f.value), f.unit, f.budget?.text ?? "", f.pass.map { $0 ? "pass" : "FAIL" } ?? "",
                         f.runs.count > 1 ? f.runs.map(Self.format).joined(separator: " ") : ""])
        }
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var lines = ["machine: \(machine.summary)", "command: \(command)", "date:    \(date)", ""]
        for (r, row) in rows.enumerated() {
            let cells = row.enumerated().map { i, cell in
                i == 1 ? String(repeating: " ", count: widths[i] - cell.count) + cell
                    : cell + String(repeating: " ", count: widths[i] - cell.count)
            }
            lines.append(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            if r == 0 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        if !notes.isEmpty {
            lines.append("")
            lines += notes.map { "note: " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// The median (the mean of the middle two for an even count); 0 when empty.
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The `q` quantile (0...1) by the nearest-rank method; 0 when empty.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    /// Three significant digits, without exponent notation for everyday sizes.
    public static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e9 { return String(Int(v)) }
        let a = abs(v)
        let digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3
        return String(format: "%.\(digits)f", v)
    }
}
