import Foundation
import Testing
@testable import MullRuntime
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Collects element names and checks that the document parses.
final class SVGStructure: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var texts: [String] = []
    var root: String?
    var current = ""
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if root == nil { root = name }
        elements[name, default: 0] += 1
        current = ""
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(current) }
        current = ""
    }
}

func parseSVG(_ svg: String) -> (ok: Bool, structure: SVGStructure) {
    let parser = XMLParser(data: Data(svg.utf8))
    let s = SVGStructure()
    parser.delegate = s
    return (parser.parse(), s)
}

@Suite struct PlotTests {
    /// Three settings x five seeds of noisy learning curves over 60 episodes.
    func sweep() throws -> ([TrialSpec], [TrialResult?]) {
        var plan = SweepPlan(seeds: 5)
        plan.grid("agent", [.symbol("q_learning"), .symbol("dyna_q")])
        plan.grid("n", [.int(5), .int(50)])
        let trials = try plan.trials()
        let results: [TrialResult?] = trials.map { t in
            var rng = t.randomSource(scriptSeed: 3)
            let speed = (t["agent"] == .symbol("dyna_q") ? 0.15 : 0.04) * (t["n"] == .int(50) ? 2 : 1)
            var v = -200.0, values: [Double] = []
            for _ in 0..<60 {
                v += speed * (-20 - v)
                values.append(v + 8 * rng.normal())
            }
            var r = TrialResult()
            r.add("return", perEpisode: values)
            r.add("loss", atSteps: [100, 200, 300, 400], values: [1, 0.1, 0.01, 0.003].map { $0 * (1 + 0.2 * rng.uniform()) })
            return r
        }
        return (trials, results)
    }

    func keep(_ svg: String, _ name: String) {
        if let dir = ProcessInfo.processInfo.environment["MULL_PLOT_PREVIEW"] {
            try? svg.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        }
    }

    @Test func curvesAverageSeedsWithTBands() throws {
        let (trials, results) = try sweep()
        let curves = LearningCurve.curves(trials: trials, results: results, metric: "return")
        #expect(curves.count == 4)
        #expect(curves.map(\.label) == ["agent=q_learning, n=5", "agent=q_learning, n=50", "agent=dyna_q, n=5", "agent=dyna_q, n=50"])
        let c = curves[0]
        #expect(c.x.count == 60 && c.x.first == 1 && c.x.last == 60)
        #expect(c.n.allSatisfy { $0 == 5 })
        // Point 10 by hand: the five seeds' values at episode 10.
        let v = (0..<5).map { results[$0]!.series[0].values[9] }
        let m = v.reduce(0, +) / 5
        let sd = (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 4).squareRoot()
        #expect(abs(c.mean[9] - m) < 1e-9)
        #expect(abs(c.upper[9] - (m + 2.776445 * sd / 5.0.squareRoot())) < 1e-9)
        // Binning: 60 episodes into 7 bins keeps the overall mean of each seed's values.
        let binned = LearningCurve.curves(trials: trials, results: results, metric: "return", maxPoints: 7)
        #expect(binned[0].x.count == 7)
        #expect(binned[0].x.first! > 1 && binned[0].x.last! < 60)
        // A single setting keeps its full label; a single seed has no band.
        let one = LearningCurve.curves(trials: [trials[0]], results: [results[0]], metric: "return")
        #expect(one[0].label == "agent=q_learning, n=5")
        #expect(one[0].lower == one[0].mean && one[0].upper == one[0].mean)
    }

    @Test func svgIsWellFormedAndDeterministic() throws {
        let (trials, results) = try sweep()
        let svg = SVGPlot.lineChart(trials: trials, results: results, metric: "return",
                                    options: PlotOptions(title: "Returns <maze & friends>"))
        keep(svg, "returns.svg")
        let (ok, st) = parseSVG(svg)
        #expect(ok)
        #expect(st.root == "svg")
        #expect(svg.contains("xmlns=\"http://www.w3.org/2000/svg\"") && svg.contains("version=\"1.1\""))
        // 4 bands + 4 lines as paths, 4 legend entries.
        #expect(st.elements["path"] == 8)
        #expect(st.texts.contains("Returns <maze & friends>"))
        #expect(st.texts.contains("episode") && st.texts.contains("return"))
        #expect(st.texts.contains("agent=dyna_q, n=50"))
        for color in SVGPlot.palette.prefix(4) { #expect(svg.contains(color)) }
        #expect(SVGPlot.lineChart(trials: trials, results: results, metric: "return",
                                  options: PlotOptions(title: "Returns <maze & friends>")) == svg)
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func logScaleAndStepAxis() throws {
        let (trials, results) = try sweep()
        let svg = SVGPlot.lineChart(trials: trials, results: results, metric: "loss", options: PlotOptions(logY: true))
        keep(svg, "loss-log.svg")
        let (ok, st) = parseSVG(svg)
        #expect(ok)
        #expect(st.texts.contains("step"))
        // Decade ticks from 0.001 to 1.
        #expect(st.texts.contains("0.001") && st.texts.contains("0.01") && st.texts.contains("0.1") && st.texts.contains("1"))
        // Non-positive values are dropped on a log axis, not drawn at -infinity.
        var bad = results
        bad[0]!.series[1].values[0] = 0
        let (ok2, _) = parseSVG(SVGPlot.lineChart(trials: trials, results: bad, metric: "loss", options: PlotOptions(logY: true)))
        #expect(ok2)
    }

    @Test func oneEpisodeSweepsAreDrawnAsColumnsWithIntervals() {
        // Every setting has one point (one episode per run): a column per setting, a dot at the
        // mean and its interval as an error bar, instead of a stack of dots at x = 1.
        let curves = (0..<3).map { i in
            LearningCurve(label: "agent=\(["cem", "icem", "mppi"][i])", settingIndex: i, x: [1], mean: [-150 - 10 * Double(i)],
                          lower: [-180 - 10 * Double(i)], upper: [-120 - 10 * Double(i)], n: [20])
        }
        let svg = SVGPlot.render(curves, options: PlotOptions(title: "return"))
        let (ok, st) = parseSVG(svg)
        #expect(ok)
        #expect(svg.components(separatedBy: "r=\"4\"").count - 1 == 3)
        #expect(svg.components(separatedBy: "<path d=\"M").count - 1 == 3, "one error bar per setting")
        #expect(st.texts.contains("setting (see the legend)"))
        let xs = Set(svg.components(separatedBy: "<circle cx=\"").dropFirst().map { $0.prefix(while: { $0 != "\"" }) })
        #expect(xs.count == 3, "the settings share one x position: \(xs)")
    }

    @Test func emptyPlotStillRenders() {
        let svg = SVGPlot.render([], options: PlotOptions(title: "nothing"))
        let (ok, st) = parseSVG(svg)
        #expect(ok && st.texts.contains("no data"))
    }

    @Test func niceTicksAndLabels() {
        #expect(SVGPlot.niceTicks(0, 1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        #expect(SVGPlot.niceTicks(-200, -20) == [-200, -150, -100, -50, 0])
        #expect(SVGPlot.niceTicks(1, 60) == [0, 10, 20, 30, 40, 50, 60])
        #expect(SVGPlot.tickLabel(0.6000000000000001, step: 0.2) == "0.6")
        #expect(SVGPlot.tickLabel(-150, step: 50) == "-150")
        #expect(SVGPlot.tickLabel(250000, step: 50000) == "250k")
        #expect(SVGPlot.tickLabel(1_500_000, step: 500_000) == "1.5M")
        #expect(SVGPlot.fixed(-0.004, decimals: 2) == "0")
        #expect(SVGPlot.fixed(3.14159, decimals: 2) == "3.14")
        #expect(SVGPlot.fixed(0.05, decimals: 2) == "0.05")
        #expect(SVGPlot.powerOfTenLabel(-5) == "1e-5" && SVGPlot.powerOfTenLabel(3) == "1000")
        #expect(SVGPlot.escape("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;")
    }
}

/// A first value that dwarfs the rest does not flatten the curve: the axis covers the later
/// values and says that early ones are off it.
@Suite struct PlotRangeTests {
    static func curve(_ ys: [Double]) -> LearningCurve {
        LearningCurve(label: "a", settingIndex: 0, x: ys.indices.map { Double($0 + 1) }, mean: ys, lower: ys, upper: ys,
                      n: ys.map { _ in 1 })
    }

    @Test func earlyOutliersAreClipped() {
        let svg = SVGPlot.render([Self.curve([800, 300] + (0..<48).map { 14 + Double($0 % 5) })], options: PlotOptions(yLabel: "steps"))
        #expect(svg.contains("steps (early values off the axis)"))
        #expect(!svg.contains(">800<") && !svg.contains(">600<"))
    }

    @Test func ordinaryCurvesKeepTheirRange() {
        let svg = SVGPlot.render([Self.curve((0..<50).map { Double(100 - 2 * $0) })], options: PlotOptions(yLabel: "steps"))
        #expect(!svg.contains("off the axis"))
        #expect(svg.contains(">100<"))
    }
}
