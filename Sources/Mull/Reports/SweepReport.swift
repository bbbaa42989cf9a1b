import Foundation
import MullLanguage

/// The summary table printed after a sweep, and the files written beside it.
enum SweepReport {
    /// Per setting and metric: each run's series reduced to one number, then the mean and the
    /// IQM across runs with 95% bootstrap intervals; plus real steps, planning updates and the
    /// planning rate.
    static func summary(name: String, plan: SweepPlan, outcomes: [TrialOutcome?], record: [String], reduction: String, elapsed: Double) -> String {
        var rows: [[String]] = [plan.columns + ["metric", "runs", "mean [95% CI]", "IQM [95% CI]", "real steps", "planning updates", "updates/s"]]
        var totalUpdates = 0, totalSteps = 0
        for s in plan.settings {
            let runs = (0..<plan.seeds).compactMap { outcomes[s.index * plan.seeds + $0] }.filter { $0.error == nil }
            let real = runs.reduce(0) { $0 + $1.realSteps }, updates = runs.reduce(0) { $0 + $1.planningUpdates }
            let wall = runs.reduce(0.0) { $0 + $1.wallSeconds }
            totalUpdates += updates
            totalSteps += real
            for m in record {
                let values = runs.compactMap { r -> Double? in
                    guard let xs = r.series.first(where: { $0.0 == m })?.1, !xs.isEmpty else { return nil }
                    switch reduction {
                    case "final": return xs.last!
                    case "sum": return xs.reduce(0, +)
                    default: return xs.reduce(0, +) / Double(xs.count)
                    }
                }
                let mean = Statistics.bootstrap(values, Statistics.mean)
                let iqm = Statistics.bootstrap(values, Statistics.iqm)
                rows.append(s.parameters.map { $0.1.repr } + [m, "\(values.count)", fmt(mean), fmt(iqm), "\(real)", "\(updates)",
                                                               wall > 0 && updates > 0 ? rate(Double(updates) / wall) : "-"])
            }
        }
        let what = reduction == "mean" ? "mean over each run's episodes" : reduction == "final" ? "final value of each run" : "sum over each run"
        var out = "sweep \(name): \(plan.settings.count) setting\(plan.settings.count == 1 ? "" : "s") x \(plan.seeds) seed\(plan.seeds == 1 ? "" : "s"), \(String(format: "%.1f", elapsed)) s (per-run figure: \(what))\n"
        out += table(rows)
        return out
    }

    static func fmt(_ e: Estimate) -> String {
        "\(num(e.value)) [\(num(e.low)), \(num(e.high))]"
    }

    static func num(_ d: Double) -> String {
        if d.isNaN { return "-" }
        if abs(d) >= 1000 || (d == d.rounded() && abs(d) < 1e9) { return String(format: "%.0f", d) }
        if abs(d) >= 10 { return String(format: "%.1f", d) }
        return String(format: "%.3g", d)
    }

    static func rate(_ r: Double) -> String {
        r >= 1e6 ? String(format: "%.1fM", r / 1e6) : r >= 1e3 ? String(format: "%.1fk", r / 1e3) : String(format: "%.0f", r)
    }

    static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = first.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    /// results.csv (tidy rows), config.json (every trial's resolved configuration), timing.csv
    /// (the only non-deterministic figures), script.mull, summary.txt and one SVG plot per metric.
    static func write(folder: String, name: String, plan: SweepPlan, outcomes: [TrialOutcome?], record: [String], summary: String,
                      scripts: [(path: String, text: String)], agent: ComponentValue, registry: ComponentRegistry, seed: UInt64) throws {
        let stepMetric = Set(["cumulative_reward"])
        var csv = CSV.row(["experiment"] + plan.columns + ["seed", "episode", "step", "metric", "value"])
        var timing = CSV.row(["experiment"] + plan.columns + ["seed", "real_steps", "planning_updates", "wall_seconds"])
        for s in plan.settings {
            let params = s.parameters.map { v -> String in
                if case .string(let t) = v.1 { return t }
                if case .symbol(let t) = v.1 { return t }
                return v.1.repr
            }
            for seed in 0..<plan.seeds {
                guard let o = outcomes[s.index * plan.seeds + seed], o.error == nil else { continue }
                for (m, xs) in o.series {
                    for (i, x) in xs.enumerated() {
                        let x1 = "\(i + 1)"
                        csv += CSV.row([name] + params + ["\(seed)", stepMetric.contains(m) ? "" : x1, stepMetric.contains(m) ? x1 : "", m, CSV.number(x)])
                    }
                }
                timing += CSV.row([name] + params + ["\(seed)", "\(o.realSteps)", "\(o.planningUpdates)", String(format: "%.6f", o.wallSeconds)])
            }
        }
        try atomicWrite(csv, folder, "results.csv")
        try atomicWrite(timing, folder, "timing.csv")
        try atomicWrite(summary, folder, "summary.txt")
        if let main = scripts.first { try atomicWrite(main.text, folder, "script.mull") }
        try atomicWrite(configJSON(name: name, plan: plan, agent: agent, registry: registry, seed: seed), folder, "config.json")
        for m in record {
            var series: [SVGPlot.Series] = []
            for s in plan.settings {
                let runs = (0..<plan.seeds).compactMap { outcomes[s.index * plan.seeds + $0] }.filter { $0.error == nil }
                    .compactMap { $0.series.first(where: { $0.0 == m })?.1 }
                let length = runs.map(\.count).max() ?? 0
                var mean: [Double] = [], low: [Double] = [], high: [Double] = []
                for i in 0..<length {
                    let xs = runs.compactMap { i < $0.count ? $0[i] : nil }
                    let e = Statistics.meanBand(xs)
                    mean.append(e.value); low.append(e.low); high.append(e.high)
                }
                let label = s.parameters.isEmpty ? name : s.parameters.map { "\($0.0) = \($0.1.repr)" }.joined(separator: ", ")
                series.append(SVGPlot.Series(label: label, mean: mean, low: low, high: high))
            }
            let plot = SVGPlot(title: "\(name): \(m.replacingOccurrences(of: "_", with: " "))", xLabel: stepMetric.contains(m) ? "step" : "episode",
                               yLabel: "\(m.replacingOccurrences(of: "_", with: " ")) (mean, 95% band)", series: series)
            try atomicWrite(plot.render(), folder, "\(m).svg")
        }
    }

    /// Every field of an agent and the components it names, defaults and overrides applied, as JSON.
    static func resolvedConfiguration(_ agent: ComponentValue, _ overrides: [ObjectIdentifier: [String: Value]], registry: ComponentRegistry) -> String {
        func resolved(_ c: ComponentValue, depth: Int) -> String {
            let def = registry.definition(named: c.componentName)
            var fields: [String] = ["\"component\": \(json(.string(c.componentName)))"]
            let names = (def?.schema.fields.map(\.name) ?? []) + c.fields.map(\.name).filter { n in !(def?.schema.fields.contains { $0.name == n } ?? false) }
            for n in names {
                let v = overrides[ObjectIdentifier(c)]?[n] ?? c.field(n) ?? def?.defaults[n] ?? .none
                if case .component(let inner) = v, depth < 4 {
                    fields.append("\(json(.string(n))): \(resolved(inner, depth: depth + 1))")
                } else {
                    fields.append("\(json(.string(n))): \(json(v))")
                }
            }
            return "{" + fields.joined(separator: ", ") + "}"
        }
        return resolved(agent, depth: 0)
    }

    /// Every field of every component of each setting, defaults included.
    static func configJSON(name: String, plan: SweepPlan, agent: ComponentValue, registry: ComponentRegistry, seed: UInt64) -> String {
        func resolved(_ c: ComponentValue, _ overrides: [ObjectIdentifier: [String: Value]], depth: Int) -> String {
            let def = registry.definition(named: c.componentName)
            var fields: [String] = ["\"component\": \(json(.string(c.componentName)))"]
            let names = (def?.schema.fields.map(\.name) ?? []) + c.fields.map(\.name).filter { n in !(def?.schema.fields.contains { $0.name == n } ?? false) }
            for n in names {
                let v = overrides[ObjectIdentifier(c)]?[n] ?? c.field(n) ?? def?.defaults[n] ?? .none
                if case .component(let inner) = v, depth < 4 {
                    fields.append("\(json(.string(n))): \(resolved(inner, overrides, depth: depth + 1))")
                } else {
                    fields.append("\(json(.string(n))): \(json(v))")
                }
            }
            return "{" + fields.joined(separator: ", ") + "}"
        }
        var settings: [String] = []
        for s in plan.settings {
            let params = s.parameters.map { "\(json(.string($0.0))): \(json($0.1))" }.joined(separator: ", ")
            settings.append("    {\"setting\": \(s.index), \"parameters\": {\(params)}, \"seeds\": \(plan.seeds), \"agent\": \(resolved(s.agent, s.resolvedOverrides(), depth: 0))}")
        }
        return "{\n  \"experiment\": \(json(.string(name))),\n  \"script_seed\": \(seed),\n  \"settings\": [\n\(settings.joined(separator: ",\n"))\n  ]\n}\n"
    }

    static func json(_ v: Value) -> String {
        switch v {
        case .none: return "null"
        case .int(let i): return String(i)
        case .float(let d): return d.isFinite ? "\(d)" : "null"
        case .bool(let b): return b ? "true" : "false"
        case .string(let s), .symbol(let s):
            var out = "\""
            for ch in s.unicodeScalars {
                switch ch {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                default: if ch.value < 0x20 { out += String(format: "\\u%04x", ch.value) } else { out.unicodeScalars.append(ch) }
                }
            }
            return out + "\""
        case .list(let xs): return "[" + xs.map(json).joined(separator: ", ") + "]"
        case .record(let r):
            if r.values.isEmpty { return "{}" }
            if r.isTuple { return "[" + r.values.map(json).joined(separator: ", ") + "]" }
            return "{" + zip(r.labels, r.values).map { "\(json(.string($0 ?? "")) ): \(json($1))" }.joined(separator: ", ") + "}"
        default: return json(.string(v.repr))
        }
    }

    static func atomicWrite(_ text: String, _ folder: String, _ name: String) throws {
        let path = (folder as NSString).appendingPathComponent(name)
        let tmp = path + ".tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8)), Foundation.rename(tmp, path) == 0 else {
            throw MullError("io", "cannot write `\(path)`", at: nil)
        }
    }
}
