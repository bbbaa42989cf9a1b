import Foundation
import Testing

/// The REPL at a real terminal: `tools/repl_pty.py` drives `mull repl` through a
/// pseudo-terminal and checks Ctrl-C during `train` (back at the prompt with a one-line
/// account, the training kept), Ctrl-C at the prompt (a fresh prompt, the session goes on) and
/// Ctrl-D (status 0).
@Suite("REPL through a pseudo-terminal")
struct ReplTerminalTests {
    @Test func ctrlCAndCtrlDAtATerminal() throws {
        guard let mull = MullExecutable.url else { Issue.record("`mull` is not built"); return }
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python else { Issue.record("python3 is needed to drive a pseudo-terminal"); return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [MullExecutable.packageRoot.appendingPathComponent("tools/repl_pty.py").path, mull.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.hasPrefix("ok:"), "\(text)")
    }
}
