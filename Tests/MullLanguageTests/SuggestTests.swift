import Testing
@testable import MullLanguage

@Suite struct SuggestTests {
    let fields = ["planning_steps", "alpha", "epsilon", "gamma", "model", "env", "episodes", "seeds"]

    @Test(arguments: [
        ("planing_steps", "planning_steps"), ("planningSteps", "planning_steps"), ("PlanningSteps", "planning_steps"),
        ("aplha", "alpha"), ("epsilom", "epsilon"), ("Gamma", "gamma"), ("modle", "model"), ("evn", "env"),
        ("episode", "episodes"), ("seed", "seeds"), ("alpha", "alpha"),
    ])
    func finds(_ typo: String, _ expected: String) {
        #expect(Suggest.closest(to: typo, among: fields) == expected)
    }

    @Test(arguments: ["x", "banana", "zzzzzzz", "", "q"])
    func nothingCloseEnough(_ name: String) {
        #expect(Suggest.closest(to: name, among: fields) == nil)
    }

    @Test func tiesAreBrokenDeterministically() {
        #expect(Suggest.closest(to: "cat", among: ["bat", "cot", "car"]) == "bat")
        #expect(Suggest.closest(to: "cat", among: ["car", "cot", "bat"]) == "bat")
        #expect(Suggest.closest(to: "Foo", among: ["fOO", "foo"]) == "foo")
        #expect(Suggest.closest(to: "foo", among: ["Fob", "fob"]) == "fob")
    }

    @Test func thresholdScalesWithLength() {
        #expect(Suggest.closest(to: "ab", among: ["xy"]) == nil)
        #expect(Suggest.closest(to: "abcdef", among: ["abcxyz"]) == nil)
        #expect(Suggest.closest(to: "abcdef", among: ["abcdxy"]) == "abcdxy")
    }

    @Test func editDistance() {
        #expect(Suggest.editDistance(Array("ca"), Array("ac")) == 1)
        #expect(Suggest.editDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(Suggest.editDistance(Array(""), Array("abc")) == 3)
        #expect(Suggest.editDistance(Array("abc"), Array("abc")) == 0)
    }
}
