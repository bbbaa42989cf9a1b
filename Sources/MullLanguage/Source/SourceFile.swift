/// The text of one Mull source file, with the line table needed to turn byte offsets into
/// line and column numbers for diagnostics.
public final class SourceFile: Sendable {
    /// The path shown in diagnostics (as the user named it, or a pseudo-name like `<repl>`).
    public let path: String
    /// The text, decoded leniently: invalid UTF-8 has been replaced (and reported by the lexer).
    public let text: String
    /// The UTF-8 bytes of `text`; all source offsets index into this array.
    public let bytes: [UInt8]
    /// Offsets of the first byte of every line.
    public let lineStarts: [Int]
    /// True when the original bytes were not valid UTF-8.
    public let hadInvalidUTF8: Bool

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.bytes = Array(text.utf8)
        self.lineStarts = SourceFile.computeLineStarts(bytes)
        self.hadInvalidUTF8 = false
    }

    /// Decodes raw bytes, replacing invalid UTF-8 sequences with U+FFFD.
    public init(path: String, bytes raw: [UInt8]) {
        self.path = path
        let decoded = String(decoding: raw, as: UTF8.self)
        self.text = decoded
        self.bytes = Array(decoded.utf8)
        self.lineStarts = SourceFile.computeLineStarts(self.bytes)
        self.hadInvalidUTF8 = self.bytes != raw
    }

    private static func computeLineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        return starts
    }

    /// 1-based line and column of a byte offset; the column counts Unicode scalars.
    public func location(of offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= clamped { lo = mid } else { hi = mid - 1 }
        }
        var column = 1
        var i = lineStarts[lo]
        while i < clamped {
            // Count only the first byte of each UTF-8 sequence.
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourceLocation(line: lo + 1, column: column, offset: clamped)
    }

    /// The text of 1-based line `line`, without its newline.
    public func lineText(_ line: Int) -> String {
        guard line >= 1 && line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The source text covered by a range.
    public func text(in range: SourceRange) -> String {
        let s = max(0, min(range.start, bytes.count)), e = max(s, min(range.end, bytes.count))
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
}

/// A 1-based line and column, with the byte offset it came from.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int
    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }
    public var description: String { "\(line):\(column)" }
}

/// A half-open range of byte offsets in one source file.
public struct SourceRange: Sendable, CustomStringConvertible {
    public let file: SourceFile
    public var start: Int
    public var end: Int

    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    public var startLocation: SourceLocation { file.location(of: start) }
    public var endLocation: SourceLocation { file.location(of: end) }
    public var text: String { file.text(in: self) }

    /// `path:line:col`.
    public var description: String { "\(file.path):\(startLocation)" }
}
