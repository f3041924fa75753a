// swift-tools-version:6.1
// A libFuzzer target for the article parser and extractor (FrontwatchCore), kept out of the
// main package so its sanitizer flags never touch the daemon's build. Run it with `scripts/fuzz`.
import PackageDescription

let package = Package(
    name: "frontwatch-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "frontwatch", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "ArticleFuzzer",
            dependencies: [.product(name: "FrontwatchCore", package: "frontwatch")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
