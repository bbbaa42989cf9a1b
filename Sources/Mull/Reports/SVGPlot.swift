import Foundation

/// A line plot of a metric against episodes or steps, one line per setting: the mean across
/// runs with a shaded 95% band (mean ± 1.96 standard errors). Self-contained SVG 1.1 with fixed
/// number formatting, so the same data gives the same file.
struct SVGPlot {
    struct Series {
        var label: String
        var mean: [Double]
        var low: [Double]
        var high: [Double]
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    /// Okabe & Ito's colour-blind-safe palette.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

    func render(width: Double = 720, height: Double = 440) -> String {
        let left = 70.0, right = 180.0, top = 40.0, bottom = 55.0
        let pw = width - left - right, ph = height - top - bottom
        let n = series.map(\.mean.count).max() ?? 0
        var lo = Double.infinity, hi = -Double.infinity
        for s in series {
            for v in s.low + s.high + s.mean where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
        }
        if !lo.isFinite { lo = 0; hi = 1 }
        if lo == hi { lo -= 1; hi += 1 }
        let yTicks = SVGPlot.ticks(lo, hi)
        lo = min(lo, yTicks.first ?? lo); hi = max(hi, yTicks.last ?? hi)
        let xTicks = SVGPlot.ticks(1, Double(max(n, 2))).filter { $0 >= 1 && $0 <= Double(max(n, 2)) }
        func x(_ i: Double) -> Double { left + (n <= 1 ? 0 : (i - 1) / Double(n - 1) * pw) }
        func y(_ v: Double) -> Double { top + ph - (v - lo) / (hi - lo) * ph }
        func f(_ d: Double) -> String { String(format: "%.2f", d) }
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(left + pw / 2))" y="22" text-anchor="middle" font-size="15">\(SVGPlot.escape(title))</text>

            """
        for t in yTicks {
            out += "<line x1=\"\(f(left))\" x2=\"\(f(left + pw))\" y1=\"\(f(y(t)))\" y2=\"\(f(y(t)))\" stroke=\"#e5e5e5\"/>\n"
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(y(t) + 4))\" text-anchor=\"end\">\(SVGPlot.label(t))</text>\n"
        }
        for t in xTicks {
            out += "<line x1=\"\(f(x(t)))\" x2=\"\(f(x(t)))\" y1=\"\(f(top + ph))\" y2=\"\(f(top + ph + 5))\" stroke=\"black\"/>\n"
            out += "<text x=\"\(f(x(t)))\" y=\"\(f(top + ph + 18))\" text-anchor=\"middle\">\(SVGPlot.label(t))</text>\n"
        }
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(pw))\" height=\"\(f(ph))\" fill=\"none\" stroke=\"black\"/>\n"
        out += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">\(SVGPlot.escape(xLabel))</text>\n"
        out += "<text transform=\"translate(18 \(f(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\">\(SVGPlot.escape(yLabel))</text>\n"
        for (k, s) in series.enumerated() {
            let color = SVGPlot.palette[k % SVGPlot.palette.count]
            let count = s.mean.count
            guard count > 0 else { continue }
            var band = ""
            for i in 0..<count { band += "\(f(x(Double(i + 1)))),\(f(y(s.high[i]))) " }
            for i in (0..<count).reversed() { band += "\(f(x(Double(i + 1)))),\(f(y(s.low[i]))) " }
            out += "<polygon points=\"\(band.trimmingCharacters(in: .whitespaces))\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
            let line = (0..<count).map { "\(f(x(Double($0 + 1)))),\(f(y(s.mean[$0])))" }.joined(separator: " ")
            out += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"/>\n"
            let ly = top + 14 + Double(k) * 18
            out += "<line x1=\"\(f(left + pw + 12))\" x2=\"\(f(left + pw + 34))\" y1=\"\(f(ly - 4))\" y2=\"\(f(ly - 4))\" stroke=\"\(color)\" stroke-width=\"3\"/>\n"
            out += "<text x=\"\(f(left + pw + 40))\" y=\"\(f(ly))\">\(SVGPlot.escape(s.label))</text>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// About six round tick values covering [lo, hi].
    static func ticks(_ lo: Double, _ hi: Double) -> [Double] {
        let span = hi - lo
        guard span > 0 && span.isFinite else { return [lo] }
        let raw = span / 5
        let mag = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2.0, 2.5, 5.0, 10.0].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        var t = (lo / step).rounded(.down) * step
        var out: [Double] = []
        while t <= hi + step * 0.5 && out.count < 20 {
            out.append(t)
            t += step
        }
        return out
    }

    static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
        return String(format: "%g", v)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
