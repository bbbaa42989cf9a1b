import Foundation

/// The per-trial files of a sweep's output directory: `trials/<index>.csv` (the series) and
/// `trials/<index>.json` (spec, resolved configuration, fingerprint, scalar figures).
///
/// The CSV is written first and the JSON second, each atomically, so a JSON file present means
/// its trial finished; a run that finds both with a matching fingerprint and a CSV whose
/// checksum matches the one in the JSON reuses them (a truncated, edited, duplicated or swapped
/// file is run again).
public struct TrialStore: Sendable {
    /// The `trials` folder.
    public var directory: URL

    /// The store inside output directory `outputDirectory` (files go in `trials/`).
    public init(outputDirectory: URL) {
        directory = outputDirectory.appendingPathComponent("trials", isDirectory: true)
    }

    public func csvURL(_ index: Int) -> URL { directory.appendingPathComponent("\(index).csv") }
    public func jsonURL(_ index: Int) -> URL { directory.appendingPathComponent("\(index).json") }

    /// Writes one finished trial (CSV, then JSON), each atomically.
    public func write(spec: TrialSpec, result: TrialResult, configuration: ResolvedConfiguration,
                      fingerprint: String) throws {
        let csv = Self.seriesCSV(result)
        try AtomicFile.write(csv, to: csvURL(spec.index))
        var record = TrialRecord(spec: spec, configuration: configuration, fingerprint: fingerprint, result: result)
        record.seriesChecksum = Self.checksum(csv, index: spec.index, fingerprint: fingerprint)
        try AtomicFile.write(try JSONCoding.encode(record), to: jsonURL(spec.index))
    }

    /// The stored result of `spec` if both files exist, parse, carry `fingerprint` and agree
    /// with each other (the CSV's checksum with the trial's index and fingerprint).
    public func load(spec: TrialSpec, fingerprint: String) -> TrialResult? {
        guard let record = try? loadRecord(spec.index), record.fingerprint == fingerprint,
              record.index == spec.index,
              let text = try? String(contentsOf: csvURL(spec.index), encoding: .utf8),
              record.seriesChecksum == Self.checksum(text, index: spec.index, fingerprint: fingerprint),
              let series = Self.parseSeriesCSV(text) else { return nil }
        return TrialResult(series: series, realSteps: record.realSteps, planningUpdates: record.planningUpdates,
                           wallSeconds: record.wallSeconds, notes: record.notes)
    }

    /// The JSON record of trial `index`.
    public func loadRecord(_ index: Int) throws -> TrialRecord {
        try JSONCoding.decode(TrialRecord.self, from: Data(contentsOf: jsonURL(index)))
    }

    /// FNV-1a (64 bits, 16 hex digits) of the trial's index, fingerprint and series CSV text.
    public static func checksum(_ csv: String, index: Int, fingerprint: String) -> String {
        var h = FNV1a()
        h.add("mull-trial-2;index=\(index);fingerprint=\(fingerprint);")
        h.add(csv)
        let hex = String(h.value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// A trial's series as CSV with columns `metric,axis,x,value`.
    public static func seriesCSV(_ result: TrialResult) -> String {
        var out = CSV.line(["metric", "axis", "x", "value"])
        for s in result.series {
            let name = CSV.quote(s.name)
            let axis = s.axis.rawValue
            for k in 0..<s.values.count {
                out += name
                out += ","
                out += axis
                out += ","
                out += String(s.x[k])
                out += ","
                out += formatNumber(s.values[k])
                out += "\n"
            }
        }
        return out
    }

    /// Reads back `seriesCSV` output (series in order of first appearance); nil if malformed.
    public static func parseSeriesCSV(_ text: String) -> [MetricSeries]? {
        let rows = CSV.parse(text)
        guard let header = rows.first, header == ["metric", "axis", "x", "value"] else { return nil }
        var order: [String] = []
        var parts: [String: (axis: SeriesAxis, x: [Int], v: [Double])] = [:]
        for row in rows.dropFirst() {
            guard row.count == 4, let axis = SeriesAxis(rawValue: row[1]), let x = Int(row[2]),
                  let v = parseNumber(row[3]) else { return nil }
            let key = row[1] + "\u{0}" + row[0]
            if parts[key] == nil {
                order.append(key)
                parts[key] = (axis, [], [])
            }
            parts[key]!.x.append(x)
            parts[key]!.v.append(v)
        }
        return order.map { key in
            let p = parts[key]!
            let name = String(key[key.index(after: key.firstIndex(of: "\u{0}")!)...])
            return MetricSeries(name: name, axis: p.axis, values: p.v, x: p.x)
        }
    }
}

/// The JSON record of one trial.
public struct TrialRecord: Sendable, Hashable, Codable {
    public var format: String
    public var index: Int
    public var setting: Int
    public var seed: Int
    /// Stream id as 16 hex digits (JSON numbers cannot hold every 64-bit value).
    public var stream: String
    public var parameters: [ParameterRecord]
    public var configuration: [ResolvedConfiguration.Entry]
    public var fingerprint: String
    /// Checksum of the trial's CSV with its index and fingerprint (`TrialStore.checksum`).
    public var seriesChecksum: String
    public var realSteps: Int
    public var planningUpdates: Int
    public var wallSeconds: Double
    public var notes: [String]

    /// A named value; the value is an object with one key naming its kind, e.g. `{"float": 0.1}`.
    public struct ParameterRecord: Sendable, Hashable, Codable {
        public var name: String
        public var value: ParamValue
    }

    public init(spec: TrialSpec, configuration: ResolvedConfiguration, fingerprint: String, result: TrialResult?) {
        format = "mull-trial-2"
        seriesChecksum = ""
        index = spec.index
        setting = spec.settingIndex
        seed = spec.seed
        var h = String(spec.streamID, radix: 16)
        h = String(repeating: "0", count: 16 - h.count) + h
        stream = h
        parameters = spec.parameters.map { ParameterRecord(name: $0.name, value: $0.value) }
        self.configuration = configuration.entries
        self.fingerprint = fingerprint
        realSteps = result?.realSteps ?? 0
        planningUpdates = result?.planningUpdates ?? 0
        wallSeconds = result?.wallSeconds ?? 0
        notes = result?.notes ?? []
    }
}

extension ParamValue: Codable {
    private enum Key: String, CodingKey { case int, float, bool, string, symbol }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        if let v = try c.decodeIfPresent(Int.self, forKey: .int) { self = .int(v) }
        else if let v = try c.decodeIfPresent(Double.self, forKey: .float) { self = .float(v) }
        else if let v = try c.decodeIfPresent(Bool.self, forKey: .bool) { self = .bool(v) }
        else if let v = try c.decodeIfPresent(String.self, forKey: .string) { self = .string(v) }
        else if let v = try c.decodeIfPresent(String.self, forKey: .symbol) { self = .symbol(v) }
        else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no parameter value"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .int(let v): try c.encode(v, forKey: .int)
        case .float(let v): try c.encode(v, forKey: .float)
        case .bool(let v): try c.encode(v, forKey: .bool)
        case .string(let v): try c.encode(v, forKey: .string)
        case .symbol(let v): try c.encode(v, forKey: .symbol)
        }
    }
}

/// JSON with sorted keys, two-space pretty printing and `inf`/`-inf`/`nan` strings for
/// non-finite numbers, so files are deterministic and always valid JSON.
enum JSONCoding {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var d = try e.encode(value)
        d.append(0x0A)
        return d
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try d.decode(type, from: data)
    }
}
