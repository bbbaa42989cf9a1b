/// Finds every mistake that can be found without running a script: names, component kinds,
/// fields against their schemas, compatibility between components, and sweeps.
package struct Checker {
    package let schemas: any SchemaProvider
    /// Names defined before this program (builtins, and globals of earlier REPL inputs).
    package let predeclared: Set<String>
    /// Parameter names of predeclared built-in functions, so calls with too many arguments or
    /// an unknown label are found before running (a name absent here is not checked).
    package let builtinParameters: [String: [String]]

    package init(schemas: any SchemaProvider, predeclared: Set<String>, builtinParameters: [String: [String]] = [:]) {
        self.schemas = schemas
        self.predeclared = predeclared
        self.builtinParameters = builtinParameters
    }

    /// Every diagnostic of `program`, in source order: the resolver's (unless `resolution` is
    /// given, when the caller has them) and the checker's.
    package func check(_ program: Program, resolution given: Resolution? = nil) -> [Diagnostic] {
        let resolution = given ?? Resolver(builtins: predeclared, schemas: schemas).resolve(program, globals: NameScope())
        let session = CheckSession(schemas: schemas, program: program, resolution: resolution)
        session.builtinParameters = builtinParameters
        session.checkProgram()
        let all = (given == nil ? resolution.diagnostics : []) + session.diagnostics
        return all.enumerated().sorted { a, b in
            let sa = a.element.range?.start ?? Int.max, sb = b.element.range?.start ?? Int.max
            return sa != sb ? sa < sb : a.offset < b.offset
        }.map(\.element)
    }
}
