import MullLanguage

/// The size limits of the values a script builds, checked before anything of that size is
/// allocated (docs/language.md, "Limits"): no single string or list, and no text made from a
/// value, may exceed `maxElements` characters or elements.
enum ValueLimits {
    /// Characters of a string, elements of a list, characters of a value's text.
    static let maxElements = 10_000_000

    static func tooLarge(_ what: String, _ size: Int, at range: SourceRange?) -> MullError {
        MullError("value-too-large", "\(what) would have \(size < Int.max ? grouped(size) : "more than 9e18") elements, more than the limit of 10 million",
                  at: range, suggestion: "build smaller values, or compute the figure you need without materialising it")
    }

    /// `12345678` as `12,345,678`.
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return out
    }

    /// Checks that `a + b` (sizes) stays within the limit.
    static func checkSum(_ a: Int, _ b: Int, _ what: String, at range: SourceRange?) throws {
        let (n, overflow) = a.addingReportingOverflow(b)
        if overflow || n > maxElements { throw tooLarge(what, overflow ? Int.max : n, at: range) }
    }

    /// Checks that the text of `v` (as `str`, `repr` or `print` would write it) stays within the
    /// limit, without building it: a walk that stops as soon as the limit is passed.
    static func checkText(_ v: Value, at range: SourceRange?) throws {
        var budget = maxElements
        func walk(_ v: Value) -> Bool {
            switch v {
            case .string(let s), .symbol(let s): budget -= s.utf8.count + 2
            case .list(let xs):
                budget -= 2
                for x in xs {
                    budget -= 2
                    if budget < 0 || !walk(x) { return false }
                }
            case .record(let r):
                budget -= 2
                for (label, x) in zip(r.labels, r.values) {
                    budget -= (label?.utf8.count ?? 0) + 4
                    if budget < 0 || !walk(x) { return false }
                }
            default: budget -= 24
            }
            return budget >= 0
        }
        if !walk(v) {
            throw MullError("value-too-large", "the text of this value would have more than 10 million characters", at: range,
                            suggestion: "print a part of it (a slice, `len(...)`, a summary) instead")
        }
    }
}
