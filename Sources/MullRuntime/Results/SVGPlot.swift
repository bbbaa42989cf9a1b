#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appearance of a line plot.
public struct PlotOptions: Sendable, Hashable {
    public var title: String?
    /// Defaults to the series axis (`episode` or `step`).
    public var xLabel: String?
    /// Defaults to the metric name.
    public var yLabel: String?
    public var width: Int
    public var height: Int
    /// Logarithmic y axis (non-positive values are left out).
    public var logY: Bool
    /// Draw the 95% confidence band.
    public var showBand: Bool
    /// Points per curve before binning (see `LearningCurve.curves`).
    public var maxPoints: Int

    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, width: Int = 760,
                height: Int = 460, logY: Bool = false, showBand: Bool = true, maxPoints: Int = 500) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.width = width
        self.height = height
        self.logY = logY
        self.showBand = showBand
        self.maxPoints = maxPoints
    }
}

/// Self-contained SVG 1.1 line plots of learning curves: one line per setting (mean across
/// seeds) with a shaded 95% band, a legend, nice ticks and the Okabe-Ito palette. The output
/// depends only on the data and options (coordinates printed with two decimals).
public enum SVGPlot {
    /// The Okabe-Ito colour-blind-safe palette (Okabe & Ito, 2008, "Color Universal Design"),
    /// ordered for contrast on white; yellow comes late because it is faint on white.
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
    /// Dash patterns used once the palette repeats (more than 8 settings).
    static let dashes = ["", "6,3", "2,2", "8,3,2,3"]

    /// A plot of `metric` from a sweep's trials (see `LearningCurve.curves`).
    public static func lineChart(trials: [TrialSpec], results: [TrialResult?], metric: String,
                                 axis: SeriesAxis? = nil, options: PlotOptions = PlotOptions()) -> String {
        let curves = LearningCurve.curves(trials: trials, results: results, metric: metric, axis: axis,
                                          maxPoints: options.maxPoints)
        var axisName = axis?.rawValue ?? "episode"
        if axis == nil {
            outer: for r in results { for s in r?.series ?? [] where s.name == metric { axisName = s.axis.rawValue; break outer } }
        }
        var o = options
        if o.xLabel == nil { o.xLabel = axisName }
        if o.yLabel == nil { o.yLabel = metric }
        if o.title == nil { o.title = metric }
        return render(curves, options: o)
    }

    /// Renders prepared curves. When every curve has a single point (a sweep of one episode
    /// per run, as the planner examples are), the settings are drawn side by side instead, one
    /// column each, as a dot at the mean with its confidence interval as an error bar.
    public static func render(_ curves: [LearningCurve], options: PlotOptions) -> String {
        var o = options
        var curves = curves
        let columns = !curves.isEmpty && curves.allSatisfy { $0.x.count == 1 }
        if columns {
            for i in curves.indices { curves[i].x = [Double(i + 1)] }
            o.xLabel = "setting (see the legend)"
        }
        let W = Double(o.width), H = Double(o.height)
        let fontSize = 12.0, charWidth = 6.8
        let legendWidth = curves.isEmpty ? 0 : min(W * 0.4, Double(curves.map(\.label.count).max() ?? 0) * charWidth + 44)
        let left = 74.0, right = legendWidth + 24, top = o.title == nil ? 20.0 : 44.0, bottom = 56.0
        let pw = max(40, W - left - right), ph = max(40, H - top - bottom)

        // Data ranges.
        func ty(_ v: Double) -> Double? {
            guard v.isFinite else { return nil }
            if o.logY { return v > 0 ? log10(v) : nil }
            return v
        }
        var xlo = Double.infinity, xhi = -Double.infinity, ylo = Double.infinity, yhi = -Double.infinity
        for c in curves {
            for i in 0..<c.x.count {
                guard let m = ty(c.mean[i]) else { continue }
                xlo = min(xlo, c.x[i]); xhi = max(xhi, c.x[i])
                ylo = min(ylo, m); yhi = max(yhi, m)
                if o.showBand {
                    if let l = ty(c.lower[i]) { ylo = min(ylo, l) }
                    if let u = ty(c.upper[i]) { yhi = max(yhi, u) }
                }
            }
        }
        let hasData = xlo <= xhi
        if !hasData { xlo = 0; xhi = 1; ylo = 0; yhi = 1 }
        // First values that dwarf the rest (a first, exploring episode's steps; returns before
        // learning) would flatten everything after them: the axis then covers the values after
        // the first tenth of the x range, and the early ones leave the plot area (clipped), as
        // the axis label says.
        if hasData && !columns && !o.logY && xhi > xlo {
            let cut = xlo + 0.1 * (xhi - xlo)
            var llo = Double.infinity, lhi = -Double.infinity
            for c in curves {
                for i in 0..<c.x.count where c.x[i] >= cut {
                    guard let m = ty(c.mean[i]) else { continue }
                    llo = min(llo, m); lhi = max(lhi, m)
                    if o.showBand {
                        if let l = ty(c.lower[i]) { llo = min(llo, l) }
                        if let u = ty(c.upper[i]) { lhi = max(lhi, u) }
                    }
                }
            }
            if llo < lhi && (yhi - ylo) > 4 * (lhi - llo) {
                let pad = 0.25 * (lhi - llo)
                ylo = max(ylo, llo - pad)
                yhi = min(yhi, lhi + pad)
                o.yLabel = (o.yLabel ?? "") + " (early values off the axis)"
            }
        }
        if columns && hasData { xlo = 0.5; xhi = Double(curves.count) + 0.5 }
        if xlo == xhi { xlo -= 0.5; xhi += 0.5 }
        if ylo == yhi { ylo -= o.logY ? 0.5 : max(0.5, abs(ylo) * 0.1); yhi += o.logY ? 0.5 : max(0.5, abs(yhi) * 0.1) }

        let xt = columns ? (1...curves.count).map(Double.init) : niceTicks(xlo, xhi, target: 6)
        let yt: [Double]
        if o.logY {
            ylo = ylo.rounded(.down)
            yhi = yhi.rounded(.up)
            let span = Int(yhi - ylo)
            let stepDecades = max(1, Int((Double(span) / 6).rounded(.up)))
            yt = stride(from: ylo, through: yhi, by: Double(stepDecades)).map { $0 }
        } else {
            let t = niceTicks(ylo, yhi, target: 6)
            ylo = t.first!
            yhi = t.last!
            yt = t
        }
        func px(_ x: Double) -> Double { left + (x - xlo) / (xhi - xlo) * pw }
        func py(_ y: Double) -> Double { top + ph - (y - ylo) / (yhi - ylo) * ph }

        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(o.width)\" height=\"\(o.height)\" viewBox=\"0 0 \(o.width) \(o.height)\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"\(num(fontSize))\">\n"
        s += "<defs><clipPath id=\"plot-area\"><rect x=\"\(num(left))\" y=\"\(num(top))\" width=\"\(num(pw))\" height=\"\(num(ph))\"/></clipPath></defs>\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(o.width)\" height=\"\(o.height)\" fill=\"#FFFFFF\"/>\n"
        if let title = o.title {
            s += "<text x=\"\(num(left + pw / 2))\" y=\"26\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(escape(title))</text>\n"
        }
        // Grid and ticks.
        s += "<g stroke=\"#E5E5E5\" stroke-width=\"1\">\n"
        for v in xt where v >= xlo && v <= xhi { s += "<line x1=\"\(num(px(v)))\" y1=\"\(num(top))\" x2=\"\(num(px(v)))\" y2=\"\(num(top + ph))\"/>\n" }
        for v in yt { s += "<line x1=\"\(num(left))\" y1=\"\(num(py(v)))\" x2=\"\(num(left + pw))\" y2=\"\(num(py(v)))\"/>\n" }
        s += "</g>\n"
        s += "<rect x=\"\(num(left))\" y=\"\(num(top))\" width=\"\(num(pw))\" height=\"\(num(ph))\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1\"/>\n"
        s += "<g fill=\"#333333\">\n"
        for v in xt where v >= xlo && v <= xhi {
            s += "<line x1=\"\(num(px(v)))\" y1=\"\(num(top + ph))\" x2=\"\(num(px(v)))\" y2=\"\(num(top + ph + 5))\" stroke=\"#333333\"/>\n"
            s += "<text x=\"\(num(px(v)))\" y=\"\(num(top + ph + 19))\" text-anchor=\"middle\">\(escape(tickLabel(v, step: xt.count > 1 ? xt[1] - xt[0] : 1)))</text>\n"
        }
        for v in yt {
            let label = o.logY ? powerOfTenLabel(v) : tickLabel(v, step: yt.count > 1 ? yt[1] - yt[0] : 1)
            s += "<line x1=\"\(num(left - 5))\" y1=\"\(num(py(v)))\" x2=\"\(num(left))\" y2=\"\(num(py(v)))\" stroke=\"#333333\"/>\n"
            s += "<text x=\"\(num(left - 8))\" y=\"\(num(py(v) + 4))\" text-anchor=\"end\">\(escape(label))</text>\n"
        }
        s += "</g>\n"
        if let xl = o.xLabel {
            s += "<text x=\"\(num(left + pw / 2))\" y=\"\(num(H - 14))\" text-anchor=\"middle\">\(escape(xl))</text>\n"
        }
        if let yl = o.yLabel {
            let cx = 18.0, cy = top + ph / 2
            s += "<text x=\"\(num(cx))\" y=\"\(num(cy))\" text-anchor=\"middle\" transform=\"rotate(-90 \(num(cx)) \(num(cy)))\">\(escape(yl))</text>\n"
        }
        if !hasData {
            s += "<text x=\"\(num(left + pw / 2))\" y=\"\(num(top + ph / 2))\" text-anchor=\"middle\" fill=\"#777777\">no data</text>\n"
        }

        // Bands first (under all lines), then lines.
        s += "<g clip-path=\"url(#plot-area)\">\n"
        if o.showBand {
            for (ci, c) in curves.enumerated() {
                let color = palette[ci % palette.count]
                for seg in segments(c, ty, band: true) where seg.count > 1 {
                    var d = "M"
                    for (k, i) in seg.enumerated() { d += (k == 0 ? "" : " L") + "\(num(px(c.x[i]))),\(num(py(ty(c.upper[i])!)))" }
                    for i in seg.reversed() { d += " L\(num(px(c.x[i]))),\(num(py(ty(c.lower[i])!)))" }
                    d += " Z"
                    s += "<path d=\"\(d)\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
                }
            }
        }
        for (ci, c) in curves.enumerated() {
            let color = palette[ci % palette.count]
            let dash = dashes[(ci / palette.count) % dashes.count]
            let dashAttr = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            for seg in segments(c, ty, band: false) {
                if seg.count == 1 {
                    let i = seg[0]
                    let x = px(c.x[i])
                    if columns, o.showBand, let l = ty(c.lower[i]), let u = ty(c.upper[i]) {
                        // The interval as an error bar with caps.
                        s += "<path d=\"M\(num(x)),\(num(py(l))) L\(num(x)),\(num(py(u))) M\(num(x - 6)),\(num(py(l))) L\(num(x + 6)),\(num(py(l))) M\(num(x - 6)),\(num(py(u))) L\(num(x + 6)),\(num(py(u)))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"/>\n"
                    }
                    s += "<circle cx=\"\(num(x))\" cy=\"\(num(py(ty(c.mean[i])!)))\" r=\"\(columns ? "4" : "2.5")\" fill=\"\(color)\"/>\n"
                    continue
                }
                var d = "M"
                for (k, i) in seg.enumerated() { d += (k == 0 ? "" : " L") + "\(num(px(c.x[i]))),\(num(py(ty(c.mean[i])!)))" }
                s += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\" stroke-linejoin=\"round\"\(dashAttr)/>\n"
            }
        }
        s += "</g>\n"

        // Legend.
        if !curves.isEmpty {
            let lx = left + pw + 16, ly = top + 4
            s += "<g font-size=\"\(num(fontSize))\">\n"
            for (ci, c) in curves.enumerated() {
                let y = ly + Double(ci) * 18 + 9
                let color = palette[ci % palette.count]
                let dash = dashes[(ci / palette.count) % dashes.count]
                let dashAttr = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
                if o.showBand {
                    s += "<rect x=\"\(num(lx))\" y=\"\(num(y - 6))\" width=\"24\" height=\"12\" fill=\"\(color)\" fill-opacity=\"0.18\"/>\n"
                }
                s += "<line x1=\"\(num(lx))\" y1=\"\(num(y))\" x2=\"\(num(lx + 24))\" y2=\"\(num(y))\" stroke=\"\(color)\" stroke-width=\"2\"\(dashAttr)/>\n"
                s += "<text x=\"\(num(lx + 30))\" y=\"\(num(y + 4))\">\(escape(c.label))</text>\n"
            }
            s += "</g>\n"
        }
        s += "</svg>\n"
        return s
    }

    /// Runs of consecutive drawable points (finite, and positive on a log axis).
    static func segments(_ c: LearningCurve, _ ty: (Double) -> Double?, band: Bool) -> [[Int]] {
        var out: [[Int]] = [], cur: [Int] = []
        for i in 0..<c.x.count {
            let ok = ty(c.mean[i]) != nil && (!band || (ty(c.lower[i]) != nil && ty(c.upper[i]) != nil))
            if ok { cur.append(i) } else if !cur.isEmpty { out.append(cur); cur = [] }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    /// Tick values covering `lo...hi` with a step of 1, 2 or 5 times a power of ten
    /// (the rounding of Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990, applied
    /// to the range divided by `target - 1`). The first and last ticks enclose the range.
    public static func niceTicks(_ lo: Double, _ hi: Double, target: Int = 6) -> [Double] {
        let step = niceNumber((hi - lo) / Double(max(1, target - 1)), round: true)
        let start = (lo / step).rounded(.down), end = (hi / step).rounded(.up)
        var ticks: [Double] = []
        var k = start
        while k <= end + 0.5 {
            let v = k * step
            ticks.append(abs(v) < step * 1e-9 ? 0 : v)
            k += 1
        }
        return ticks
    }

    static func niceNumber(_ x: Double, round: Bool) -> Double {
        let e = (log10(x)).rounded(.down)
        let f = x / pow(10, e)
        let nf: Double
        if round {
            nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10
        } else {
            nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
        }
        return nf * pow(10, e)
    }

    /// A tick label with as many decimals as the tick step needs; large values with k/M/G.
    public static func tickLabel(_ v: Double, step: Double) -> String {
        let a = abs(v)
        if a >= 1e9 { return scaled(v / 1e9, step: step / 1e9) + "G" }
        if a >= 1e6 { return scaled(v / 1e6, step: step / 1e6) + "M" }
        if a >= 1e4 { return scaled(v / 1e3, step: step / 1e3) + "k" }
        return scaled(v, step: step)
    }

    static func scaled(_ v: Double, step: Double) -> String {
        let decimals = step > 0 ? max(0, min(10, Int((-log10(step)).rounded(.up) + 0.0001))) : 0
        return fixed(v, decimals: decimals)
    }

    /// `0.001` … `10000` written out, other powers of ten as `1e-5`, `1e6`.
    static func powerOfTenLabel(_ e: Double) -> String {
        let k = Int(e.rounded())
        if k >= 0 && k <= 4 { return "1" + String(repeating: "0", count: k) }
        if k < 0 && k >= -3 { return "0." + String(repeating: "0", count: -k - 1) + "1" }
        return "1e\(k)"
    }

    /// `v` with exactly `decimals` digits after the point (trailing zeros removed), no
    /// locale, no exponent: deterministic text for coordinates and labels.
    static func fixed(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (abs(v) * scale).rounded()
        if r >= 9e18 { return formatNumber(v) }
        let neg = v < 0 && r != 0
        var digits = String(Int64(r))
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            var intPart = String(digits.dropLast(decimals))
            var frac = String(digits.suffix(decimals))
            while frac.hasSuffix("0") { frac.removeLast() }
            if intPart.isEmpty { intPart = "0" }
            digits = frac.isEmpty ? intPart : intPart + "." + frac
        }
        return (neg ? "-" : "") + digits
    }

    /// A coordinate with two decimals.
    @inline(__always) static func num(_ v: Double) -> String { fixed(v, decimals: 2) }

    /// Text escaped for XML character data and attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }
}
