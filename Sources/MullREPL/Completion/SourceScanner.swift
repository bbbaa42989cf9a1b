/// A light look at source text for completion: which brackets are still open at the end,
/// skipping strings (plain and triple-quoted) and `#` comments. It never fails; it only guesses.
struct SourceScanner {
    let chars: [Character]

    init(_ text: String) { chars = Array(text) }

    /// What the end of the text is inside of, besides brackets.
    enum Ending: Equatable {
        case code, comment, string, tripleQuotedString
    }

    /// Indices of the brackets `(`, `[`, `{` still open at the end, outermost first, and whether
    /// the text ends inside a string or comment.
    func openBrackets() -> (stack: [Int], inLiteral: Bool) {
        let (stack, ending) = scan()
        return (stack, ending != .code)
    }

    /// True when the text ends inside a `"""` string (where blank lines are content).
    var endsInsideTripleQuotedString: Bool { scan().ending == .tripleQuotedString }

    private func scan() -> (stack: [Int], ending: Ending) {
        var stack: [Int] = []
        var i = 0
        let n = chars.count
        while i < n {
            let c = chars[i]
            switch c {
            case "#":
                while i < n && chars[i] != "\n" { i += 1 }
                if i >= n { return (stack, .comment) }
            case "\"":
                if i + 2 < n && chars[i + 1] == "\"" && chars[i + 2] == "\"" {
                    i += 3
                    while i + 2 < n && !(chars[i] == "\"" && chars[i + 1] == "\"" && chars[i + 2] == "\"") { i += 1 }
                    if i + 2 >= n { return (stack, .tripleQuotedString) }
                    i += 2
                } else {
                    i += 1
                    while i < n && chars[i] != "\"" && chars[i] != "\n" {
                        if chars[i] == "\\" { i += 1 }
                        i += 1
                    }
                    if i >= n { return (stack, .string) }
                }
            case "(", "[", "{":
                stack.append(i)
            case ")", "]", "}":
                if !stack.isEmpty { stack.removeLast() }
            default:
                break
            }
            i += 1
        }
        return (stack, .code)
    }

    /// The identifier that ends just before index `end` (spaces allowed in between), if any.
    func identifier(endingBefore end: Int) -> String? {
        var j = end - 1
        while j >= 0 && (chars[j] == " " || chars[j] == "\t" || chars[j] == "\n") { j -= 1 }
        let last = j
        while j >= 0 && chars[j].isIdentifierChar { j -= 1 }
        guard last > j, !chars[j + 1].isNumber else { return nil }
        return String(chars[(j + 1)...last])
    }

    /// The last character before `end` that is not a space or tab, and whether a newline was
    /// crossed to reach it.
    func previousSignificant(before end: Int) -> (char: Character?, crossedNewline: Bool) {
        var j = end - 1
        var crossed = false
        while j >= 0 {
            let c = chars[j]
            if c == "\n" { crossed = true } else if c != " " && c != "\t" && c != "\r" { return (c, crossed) }
            j -= 1
        }
        return (nil, crossed)
    }
}

extension Character {
    var isIdentifierChar: Bool { self == "_" || isLetter || isNumber }
}
