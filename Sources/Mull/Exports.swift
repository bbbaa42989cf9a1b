/// Hosts need one import: `import Mull` brings the interpreter, values and components, and
/// from the front end only what a host touches (diagnostics and their places, source files,
/// component schemas). The lexer, parser, syntax tree and checker are `package` to Mull's own
/// modules. `MullRuntime` is imported separately, by hosts that write native environments.
@_exported import MullLanguage
