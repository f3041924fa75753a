import FrontwatchCore

/// The shipped gazetteer, lexicon and scorer, found from the source tree this fuzzer was built
/// from (or `$FRONTWATCH_CONFIG_DIR`), so the extractor is fuzzed as it ships.
let extractor: Extractor = {
    let root = String(#filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(4).joined(separator: "/"))
    let dir = getenvString("FRONTWATCH_CONFIG_DIR") ?? root + "/config"
    guard let g = readWhole(dir + "/gazetteer.yaml"), let gazetteer = try? Gazetteer(yaml: g),
          let l = readWhole(dir + "/lexicon.en.yaml"), let lexicon = try? Lexicon(yaml: l),
          let s = readWhole(dir + "/scorer.en.tsv"), let scorer = try? Scorer(tsv: s) else {
        fatalError("cannot load gazetteer.yaml, lexicon.en.yaml and scorer.en.tsv from \(dir); set FRONTWATCH_CONFIG_DIR")
    }
    return Extractor(gazetteer: gazetteer, lexicon: lexicon, scorer: scorer)
}()

/// One input: raw file bytes, as the daemon would read them. Parsing may refuse them (that is an
/// answer, not a failure); whatever is parsed must extract without trapping, and every event must
/// point inside the text, with an axis and a confidence between 0 and 1.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let article: Article
    do {
        article = try ArticleParser.parse(bytes: bytes, fallbackDate: CalendarDay(dayNumber: 19_000))
    } catch {
        return 0
    }
    var scratch = Extractor.Scratch()
    let events = extractor.extract(from: article, scratch: &scratch)
    let length = article.text.utf8.count
    for event in events {
        precondition(0 <= event.start && event.start <= event.end && event.end <= length,
                     "event bytes \(event.start)-\(event.end) outside a text of \(length) bytes")
        precondition((0...1).contains(event.confidence), "confidence \(event.confidence)")
        precondition(!event.axis.isEmpty, "an event without an axis")
    }
    // The same input twice gives the same events (no state leaks through the scratch space).
    precondition(extractor.extract(from: article, scratch: &scratch) == events, "a second extraction differs")
    // The tracker takes whatever the extractor gives.
    _ = AxisTracker.collapse(events)
    return 0
}

/// libFuzzer's driver: parses the flags, runs the corpus and the mutations.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// SwiftPM renames an executable's `main` to `<target>_main` and links `main` to it, which hides
/// libFuzzer's own `main`; this entry point hands over to libFuzzer's driver instead.
@_cdecl("ArticleFuzzer_main")
public func articleFuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
