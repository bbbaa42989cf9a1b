import Testing
@testable import MullRuntime

@Suite struct ModelTests {
    @Test func deterministicModelRemembersLastOutcome() {
        let m = DeterministicTabularModel(stateCount: 5, actionCount: 2)
        #expect(!m.isKnown(0, 0) && m.predict(0, 0) == nil && m.distribution(0, 0).isEmpty)
        var rng = RandomSource(seed: 3)
        #expect(m.sampleObservedPair(&rng) == nil)
        #expect(m.sample(2, 1, &rng) == ModelSample(next: 2, reward: 0, terminated: false))
        #expect(m.update(0, 1, reward: 0.5, next: 1, terminated: false))
        #expect(!m.update(0, 1, reward: 0.5, next: 1, terminated: false))
        #expect(m.count(0, 1) == 2 && m.isKnown(0, 1) && !m.isKnown(0, 0))
        #expect(m.predict(0, 1) == ModelSample(next: 1, reward: 0.5, terminated: false))
        m.update(0, 1, reward: 1, next: 4, terminated: true)
        #expect(m.sample(0, 1, &rng) == ModelSample(next: 4, reward: 1, terminated: true))
        #expect(m.distribution(0, 1) == [Outcome(probability: 1, next: 4, reward: 1, terminated: true)])
        m.update(3, 0, reward: 0, next: 4, terminated: false)
        m.update(0, 0, reward: 0, next: 3, terminated: false)
        #expect(m.observedStateCount == 2 && m.observedState(at: 0) == 0 && m.observedState(at: 1) == 3)
        #expect(m.observedActionCount(0) == 2 && m.observedAction(0, at: 0) == 1 && m.observedAction(0, at: 1) == 0)
        for _ in 0..<200 {
            let p = m.sampleObservedPair(&rng)!
            #expect(m.isKnown(p.state, p.action))
        }
    }

    @Test func deterministicPredecessorsSkipStaleEntries() {
        let m = DeterministicTabularModel(stateCount: 4, actionCount: 2)
        m.update(0, 0, reward: 0, next: 2, terminated: false)
        m.update(1, 1, reward: 3, next: 2, terminated: true)
        var preds: [[Double]] = []
        m.forEachPredecessor(of: 2) { s, a, r, t in preds.append([Double(s), Double(a), r, t ? 1 : 0]) }
        #expect(Set(preds) == [[0, 0, 0, 0], [1, 1, 3, 1]])
        // (0,0) now leads elsewhere: no longer a predecessor of 2.
        m.update(0, 0, reward: 0, next: 3, terminated: false)
        var count = 0
        m.forEachPredecessor(of: 2) { s, _, _, _ in count += 1; #expect(s == 1) }
        #expect(count == 1)
        // Back to 2: listed once, not twice.
        m.update(0, 0, reward: 0, next: 2, terminated: false)
        count = 0
        m.forEachPredecessor(of: 2) { _, _, _, _ in count += 1 }
        #expect(count == 2)
        m.reset()
        #expect(m.observedStateCount == 0 && !m.isKnown(1, 1))
        m.forEachPredecessor(of: 2) { _, _, _, _ in Issue.record("predecessor after reset") }
    }

    @Test func stochasticModelCountsOutcomes() {
        let m = StochasticTabularModel(stateCount: 3, actionCount: 1)
        for _ in 0..<3 { m.update(0, 0, reward: 1, next: 1, terminated: false) }
        m.update(0, 0, reward: 2, next: 1, terminated: false)
        m.update(0, 0, reward: -1, next: 2, terminated: true)
        #expect(m.count(0, 0) == 5 && m.count(0, 0, next: 1) == 4 && m.count(0, 0, next: 2) == 1)
        #expect(m.predict(0, 0) == ModelSample(next: 1, reward: 1.25, terminated: false))
        #expect(m.distribution(0, 0) == [
            Outcome(probability: 0.8, next: 1, reward: 1.25, terminated: false),
            Outcome(probability: 0.2, next: 2, reward: -1, terminated: true),
        ])
        // 20000 draws of a 0.8 event: standard deviation sqrt(0.8 * 0.2 / 20000) = 0.0028, so a
        // tolerance of 0.015 is more than 5 standard deviations.
        var rng = RandomSource(seed: 11)
        var ones = 0
        for _ in 0..<20000 where m.sample(0, 0, &rng).next == 1 { ones += 1 }
        #expect(abs(Double(ones) / 20000 - 0.8) < 0.015)
        var preds: [Int] = []
        m.forEachPredecessor(of: 2) { s, a, r, t in preds.append(s); #expect(a == 0 && r == -1 && t) }
        #expect(preds == [0])
        m.reset()
        #expect(!m.isKnown(0, 0) && m.predict(0, 0) == nil && m.observedStateCount == 0)
    }

    @Test func knownModelMatchesEnvironment() throws {
        let g = try GridWorld.dynaMaze()
        let m = KnownTabularModel(g)
        var rng = RandomSource(seed: 5)
        for s in 0..<g.stateCount {
            for a in 0..<4 {
                #expect(m.distribution(s, a) == g.transitions(from: s, action: a))
                let o = g.transitions(from: s, action: a)[0]
                #expect(m.sample(s, a, &rng) == ModelSample(next: o.next, reward: o.reward, terminated: o.terminated))
            }
        }
        #expect(m.isKnown(0, 0) && m.observedStateCount == 54)
        // The goal (0,8) is entered from (1,8) going up; nothing else leads there.
        var preds: [[Int]] = []
        m.forEachPredecessor(of: 8) { s, a, r, t in preds.append([s, a]); #expect(r == 1 && t) }
        #expect(preds == [[17, 0]])
    }

    @Test func heapPopsInPriorityOrderWithOneEntryPerKey() {
        let heap = IndexedMaxHeap(capacity: 100)
        var rng = RandomSource(seed: 9)
        var reference = [Int: Double]()
        for _ in 0..<500 {
            let k = rng.int(below: 100)
            let p = rng.uniform()
            heap.push(k, priority: p)
            reference[k] = max(reference[k] ?? -1, p)
        }
        #expect(heap.count == reference.count)
        var popped: [Double] = []
        while let top = heap.pop() {
            #expect(reference[top.key] == top.priority)
            popped.append(top.priority)
        }
        #expect(popped == popped.sorted(by: >))
        #expect(popped.count == reference.count)
        heap.push(3, priority: 1)
        heap.push(3, priority: 0.5)
        #expect(heap.priority(of: 3) == 1 && heap.count == 1)
        heap.push(3, priority: 2)
        #expect(heap.priority(of: 3) == 2)
        heap.removeAll()
        #expect(heap.isEmpty && !heap.contains(3))
    }
}
