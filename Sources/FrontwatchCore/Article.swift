/// One dated report, as frontwatch reads it.
///
/// `text` is the whole decoded file; `body` is the part after the header lines, and offsets in
/// events are UTF-8 byte offsets into `text`, so they point into the file a user can open.
public struct Article: Sendable, Equatable {
    /// Where the article's date came from.
    public enum DateSource: String, Sendable, Codable {
        /// A date header (`date 2024-05-10`, `Date: Fri, 10 May 2024 ...`; see `ArticleParser`).
        case header
        /// The file's modification time, because the article had no date header.
        case fileModification = "file-mtime"
        /// Nothing: no header and no fallback given.
        case none
    }

    /// The decoded text of the whole file.
    public let text: String
    /// UTF-8 byte offset in `text` where the body starts (after the header lines).
    public let bodyStart: Int
    /// The day the report speaks for.
    public let date: CalendarDay?
    /// Where `date` came from.
    public let dateSource: DateSource
    /// The `source` header, when there is one.
    public let source: String?
    /// The `title` header, when there is one.
    public let title: String?
    /// The character encoding the bytes were decoded from.
    public let encoding: TextEncoding

    /// Creates an article from its parts; `ArticleParser` is the usual way to get one.
    public init(text: String, bodyStart: Int, date: CalendarDay?, dateSource: DateSource,
                source: String?, title: String?, encoding: TextEncoding = .utf8) {
        self.text = text
        self.bodyStart = bodyStart
        self.date = date
        self.dateSource = dateSource
        self.source = source
        self.title = title
        self.encoding = encoding
    }

    /// The text after the header lines.
    public var body: Substring {
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: bodyStart)
        return text[start...]
    }
}

/// Why a file could not be read as an article.
public struct ArticleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is; stable, for logs and for tests.
    public enum Code: String, Sendable {
        case empty
        case binary
        case undecodable
        case badHeader = "bad-header"
    }

    /// What kind of problem it is.
    public let code: Code
    /// A sentence a user can act on.
    public let message: String

    /// Creates an error with a code and a message that says how to fix it.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
