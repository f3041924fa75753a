// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "frontwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "frontwatch", targets: ["frontwatch"]),
        .executable(name: "frontwatch-bench", targets: ["FrontwatchBench"]),
        .library(name: "FrontwatchCore", targets: ["FrontwatchCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
    ],
    targets: [
        // Pure Swift: article text in, events and alerts out. No I/O.
        .target(
            name: "FrontwatchCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // libsystemd and inotify, seen through one small shim header.
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        // The Swift runtime's global-executor hooks, for QuietExecutor alone (weak, checked at run time).
        .systemLibrary(name: "CExecutorHooks"),
        // The Linux edges: inotify, journald, sd_notify, safe file reads.
        .target(
            name: "FrontwatchSystem",
            dependencies: [
                "CSystemd",
                "CExecutorHooks",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strict
        ),
        // Services and wiring: folder watch -> analysis -> store -> alert sink.
        .target(
            name: "FrontwatchDaemon",
            dependencies: [
                "FrontwatchCore",
                "FrontwatchSystem",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "frontwatch",
            dependencies: [
                "FrontwatchCore",
                "FrontwatchDaemon",
                "FrontwatchSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The harness that runs the real binary as systemd would: the daemon runner, the journal
        // reader, systemd's side of the notify protocol. For the tests and the bench only.
        .target(
            name: "FrontwatchTestSupport",
            dependencies: ["FrontwatchSystem", "CSystemd"],
            swiftSettings: strict
        ),
        // `frontwatch-bench`: the daemon measured end to end against its budgets.
        .executableTarget(
            name: "FrontwatchBench",
            dependencies: [
                "FrontwatchCore",
                "FrontwatchDaemon",
                "FrontwatchSystem",
                "FrontwatchTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FrontwatchCoreTests",
            dependencies: ["FrontwatchCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FrontwatchSystemTests",
            dependencies: ["FrontwatchSystem", "CSystemd"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FrontwatchDaemonTests",
            dependencies: [
                "FrontwatchDaemon", "FrontwatchCore", "FrontwatchSystem",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "frontwatchTests",
            dependencies: ["frontwatch", "FrontwatchBench", "FrontwatchSystem", "FrontwatchTestSupport"],
            swiftSettings: strict
        ),
    ]
)
