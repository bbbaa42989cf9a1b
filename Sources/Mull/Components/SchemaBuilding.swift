import MullLanguage

/// A field together with its default as a Mull value, for declaring built-in components.
struct Field {
    var schema: FieldSchema
    var defaultValue: Value?

    init(_ name: String, _ type: FieldType, _ defaultValue: Value? = nil, required: Bool = false,
         min: Double? = nil, max: Double? = nil, exclusiveMinimum: Bool = false, aliases: [String] = [],
         atMost: String? = nil, doc: String) {
        schema = FieldSchema(name, type, default: defaultValue.map(\.repr), required: required, min: min, max: max,
                             exclusiveMinimum: exclusiveMinimum, aliases: aliases, doc: doc)
        schema.atMost = atMost
        self.defaultValue = defaultValue
    }
}

extension ComponentDefinition {
    init(_ name: String, _ kind: ComponentKind, doc: String, fields: [Field], provides: Capabilities = [],
         requirements: [Requirement] = [], methods: [MethodSchema] = [], groups: [FieldGroup] = [],
         build: @escaping @Sendable (BuildRequest) throws -> any ComponentInstance) {
        var defaults: [String: Value] = [:]
        for f in fields { if let d = f.defaultValue { defaults[f.schema.name] = d } }
        self.init(schema: ComponentSchema(name: name, kind: kind, doc: doc, fields: fields.map(\.schema),
                                          provides: provides, requirements: requirements, methods: methods, groups: groups),
                  defaults: defaults, build: build)
    }
}

/// Wraps a runtime error as a diagnostic at the component that caused it.
func runtimeErrors<T>(at request: BuildRequest, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as MullError {
        throw e
    } catch {
        throw MullError("invalid-component", "\(request.schema.name): \(error)", at: request.component.range)
    }
}
