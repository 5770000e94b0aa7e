import Foundation

/// A JSON document as a tree, read exactly as written (numbers as `Double`, booleans
/// kept apart from numbers) and written with keys in the order given.
public indirect enum JSONValue: Sendable, Equatable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number, read as a `Double`.
  case number(Double)
  /// A string.
  case string(String)
  /// An array, in order.
  case array([JSONValue])
  /// Keys in order; duplicate keys are rejected when reading.
  case object([(String, JSONValue)])

  /// Structural equality; objects compare their keys in order.
  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  /// The value for `key` in an object.
  public subscript(key: String) -> JSONValue? {
    if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
    return nil
  }

  /// Parses UTF-8 JSON text.
  /// - Throws: ``ScenarioError`` with field `json` and the parser's message.
  public static func parse(_ data: Data) throws -> JSONValue {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    } catch {
      throw ScenarioError(field: "json", reason: "malformed JSON (\(Self.shortMessage(error)))")
    }
    return try convert(object, path: "")
  }

  private static func shortMessage(_ error: Error) -> String {
    let ns = error as NSError
    let detail = ns.userInfo[NSDebugDescriptionErrorKey] as? String ?? ns.localizedDescription
    return detail.replacingOccurrences(of: "\n", with: " ")
  }

  private static func convert(_ any: Any, path: String) throws -> JSONValue {
    switch any {
    case is NSNull: return .null
    case let s as String: return .string(s)
    case let n as NSNumber:
      // Foundation boxes JSON true/false as its boolean NSNumber subclass.
      if String(describing: type(of: n)).contains("Boolean") { return .bool(n.boolValue) }
      return .number(n.doubleValue)
    case let a as [Any]:
      return .array(try a.enumerated().map { try convert($1, path: "\(path)[\($0)]") })
    case let d as [String: Any]:
      return .object(try d.keys.sorted().map { ($0, try convert(d[$0]!, path: "\(path).\($0)")) })
    default:
      throw ScenarioError(field: path.isEmpty ? "json" : path, reason: "unsupported JSON value")
    }
  }

  /// Compact JSON text; numbers in Swift's shortest round-trip form, non-finite as null.
  public func serialized(pretty: Bool = true, indent: String = "") -> String {
    let step = pretty ? "  " : ""
    let nl = pretty ? "\n" : ""
    let sep = pretty ? ": " : ":"
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .number(let x):
      guard x.isFinite else { return "null" }
      if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
      return "\(x)"
    case .string(let s): return JSONValue.quote(s)
    case .array(let items):
      if items.isEmpty { return "[]" }
      let inner = items.map { indent + step + $0.serialized(pretty: pretty, indent: indent + step) }
      return "[" + nl + inner.joined(separator: "," + nl) + nl + indent + "]"
    case .object(let pairs):
      if pairs.isEmpty { return "{}" }
      let inner = pairs.map {
        indent + step + JSONValue.quote($0.0) + sep
          + $0.1.serialized(pretty: pretty, indent: indent + step)
      }
      return "{" + nl + inner.joined(separator: "," + nl) + nl + indent + "}"
    }
  }

  static func quote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          out += String(format: "\\u%04x", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
