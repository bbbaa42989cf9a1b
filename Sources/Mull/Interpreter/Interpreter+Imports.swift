import Foundation
import MullLanguage

extension Interpreter {
    /// Where an `import` leads: source a host supplied, or a file.
    enum ImportTarget {
        case host(String)
        case file(String)
    }

    /// Resolves and loads an `import`. Scripts are hermetic: `std/...` comes from the standard
    /// library, anything else must be a relative path that stays inside the folder of the script
    /// that was run (or a folder the host added).
    func importModule(_ decl: ImportDecl) throws -> Module {
        let path = decl.path
        let range = decl.pathRange
        switch try resolveImport(decl) {
        case .host(let source):
            return try loadModule(key: "host:" + path, name: Resolver.moduleName(path), file: SourceFile(path: path, text: source), at: range)
        case .file(let resolved):
            return try loadModule(key: resolved, name: Resolver.moduleName(path), file: try Interpreter.readSource(resolved), at: range)
        }
    }

    /// Where `decl` leads, checked without loading anything: the front end reports a bad import
    /// path this way under `mull check` as under `mull run`.
    func resolveImport(_ decl: ImportDecl) throws -> ImportTarget {
        let path = decl.path
        let range = decl.pathRange
        if let loader = configuration.moduleLoader, let source = loader(path) { return .host(source) }
        if path.hasPrefix("std/") {
            // `std/../../x` would otherwise reach any `.mull` file on the machine.
            guard !path.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) else {
                throw MullError("import-outside-root", "standard library module names may not contain `..`, `.` or empty parts: `\(path)`", at: range)
            }
            let relative = path.hasSuffix(".mull") ? path : path + ".mull"
            for folder in stdlibFolders() {
                let candidate = (folder as NSString).appendingPathComponent(relative)
                if FileManager.default.fileExists(atPath: candidate) { return .file(candidate) }
            }
            let available = stdlibFolders().flatMap { folder in
                ((try? FileManager.default.contentsOfDirectory(atPath: (folder as NSString).appendingPathComponent("std"))) ?? [])
                    .filter { $0.hasSuffix(".mull") }.map { "std/" + $0.dropLast(5) }
            }
            throw MullError("import-not-found", "no standard library module `\(path)`", at: range,
                            notes: stdlibFolders().isEmpty ? ["the standard library was not found; set MULL_STDLIB_PATH to the folder that holds `std/`"] : [],
                            suggestion: Suggest.closest(to: path, among: available).map { "did you mean `\($0)`?" })
        }
        if path.hasPrefix("/") || path.hasPrefix("~") {
            throw MullError("import-outside-root", "imports must be relative paths or `std/...`; `\(path)` is absolute", at: range)
        }
        let importer = range.file.path
        let base: String
        if importer.hasPrefix("<") { base = rootFolder ?? FileManager.default.currentDirectoryPath } else { base = Interpreter.canonicalFolder(of: importer) }
        let withExtension = path.hasSuffix(".mull") ? path : path + ".mull"
        let resolved = URL(fileURLWithPath: base).appendingPathComponent(withExtension).standardizedFileURL.resolvingSymlinksInPath().path
        let roots = [rootFolder ?? base] + configuration.importPaths.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }
        guard roots.contains(where: { resolved == $0 || resolved.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else {
            throw MullError("import-outside-root", "import `\(path)` leaves the script's folder", at: range,
                            notes: ["scripts may import only from their own folder, its subfolders and `std/`"],
                            suggestion: "add the folder with `--import-path DIR` if you trust it")
        }
        guard FileManager.default.fileExists(atPath: resolved) else {
            throw MullError("import-not-found", "no module `\(path)` (looked for `\(withExtension)` next to `\(importer)`)", at: range)
        }
        return .file(resolved)
    }

    private func loadModule(key: String, name: String, file: SourceFile, at range: SourceRange) throws -> Module {
        if let m = modules[key] { return m }
        if loading.contains(key) {
            throw MullError("import-cycle", "import cycle: `\(name)` imports itself through \(loading.map { "`\(Resolver.moduleName($0))`" }.joined(separator: " -> "))", at: range)
        }
        loading.append(key)
        defer { loading.removeLast() }
        let scope = GlobalScope()
        let (all, code) = compile(file, into: scope)
        if all.contains(where: { $0.severity == .error }) {
            var first = all.first { $0.severity == .error }!
            first.notes.append(Diagnostic.Note("in the module imported here", at: range))
            throw MullError(first)
        }
        moduleScopes.append(scope)
        _ = try code!(scope.frame, context)
        let module = Module(name: name, path: key)
        for n in scope.order {
            if let v = scope.value(of: n) {
                module.names.append(n)
                module.values[n] = v
            }
        }
        modules[key] = module
        return module
    }

    /// Folders holding `std/`: the configured ones, else `MULL_STDLIB_PATH`, else a `stdlib`
    /// folder beside or above the executable (so `swift run` finds the package's own).
    func stdlibFolders() -> [String] {
        if !configuration.stdlibPaths.isEmpty { return configuration.stdlibPaths }
        if let env = ProcessInfo.processInfo.environment["MULL_STDLIB_PATH"], !env.isEmpty {
            return env.split(separator: ":").map(String.init)
        }
        return Interpreter.discoveredStdlib.map { [$0] } ?? []
    }

    static let discoveredStdlib: String? = {
        var candidates: [URL] = []
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        candidates.append(exe.deletingLastPathComponent())
        candidates.append(URL(fileURLWithPath: #filePath))
        for start in candidates {
            var dir = start
            for _ in 0..<8 {
                for sub in ["stdlib", "share/mull/stdlib"] {
                    let c = dir.appendingPathComponent(sub)
                    if FileManager.default.fileExists(atPath: c.appendingPathComponent("std").path) { return c.path }
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        return nil
    }()
}
