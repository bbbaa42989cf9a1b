import Mull
import MullLanguage
import Testing
@testable import MullREPL

@Suite struct ValueDisplayTests {
    @Test func noneShowsNothing() {
        #expect(ValueDisplay.show(.null) == "")
    }

    @Test func plainValuesUseRepr() {
        #expect(ValueDisplay.show(.string("a\nb")) == "\"a\\nb\"")
        #expect(ValueDisplay.show(.float(3)) == "3.0")
        #expect(ValueDisplay.show(.symbol("left")) == ".left")
    }

    @Test func shortRecordsStayOnOneLine() {
        let r = Value.record(Record([("next", .int(3)), ("reward", .float(-1))]))
        #expect(ValueDisplay.show(r) == "(next: 3, reward: -1.0)")
    }

    @Test func longRecordsGoOneFieldPerLineAligned() {
        let r = Value.record(Record([("episodes", .int(50)), ("mean_return", .float(0.25)),
                                     ("steps", .list((1...12).map { .int($0 * 100) }))]))
        #expect(ValueDisplay.show(r, width: 40) == """
            (
              episodes:    50,
              mean_return: 0.25,
              steps:       [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200],
            )
            """)
    }

    @Test func liveObjectsRenderThemselvesAtTheWidth() {
        #expect(ValueDisplay.show(.object(Corridor()), width: 33) == "S....G\n(width 33)")
    }

    @Test func componentsWithManyFieldsAreAligned() {
        let fields: [(name: String, value: Value, range: SourceRange?)] = (1...7).map { ("f\($0)", .int($0), nil) }
            + [("layout", .string("S.G"), nil)]
        let c = ComponentValue(componentName: "TestWorld", kind: .env, fields: fields, range: nil)
        let shown = ValueDisplay.show(.component(c))
        #expect(shown.hasPrefix("TestWorld {\n  f1:     1,\n"))
        #expect(shown.hasSuffix("  layout: \"S.G\",\n}"))
    }

    @Test func longListsAreAbbreviatedAtAnyDepth() {
        let long = Value.list((0..<1200).map { .int($0) })
        #expect(ValueDisplay.show(long) == "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ... 1187 more ..., 1197, 1198, 1199] (1200 elements)")
        let record = Value.record(Record([("episodes", .int(1200)), ("steps", long)]))
        let shown = ValueDisplay.show(record)
        #expect(shown.count < 200 && shown.contains("(1200 elements)"), "\(shown)")
        #expect(ValueDisplay.show(.list([.int(1), .int(2)])) == "[1, 2]")
    }
}
