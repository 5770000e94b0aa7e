import Foundation

/// A JSON document as a tree, read exactly as written (numbers as `Double`, booleans
/// kept apart from numbers) and written with keys in the order given.
package indirect enum JSONValue: Sendable, Equatable {
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
  package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
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
  package subscript(key: String) -> JSONValue? {
    if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
    return nil
  }

  /// Parses UTF-8 JSON text (RFC 8259, strictly; see `JSONParser`).
  /// - Throws: ``ScenarioError`` with field `json`, naming the line and column.
  package static func parse(_ data: Data) throws -> JSONValue {
    try JSONParser.parse(data)
  }

  /// JSON text, indented by two spaces per level (or compact with `pretty: false`);
  /// numbers in Swift's shortest round-trip form (integers without a fraction),
  /// non-finite numbers as null.
  /// - Complexity: O(size of the output), written into one growing buffer.
  package func serialized(pretty: Bool = true, indent: String = "") -> String {
    var out = ""
    write(into: &out, pretty: pretty, indent: indent)
    return out
  }

  private func write(into out: inout String, pretty: Bool, indent: String) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let x):
      guard x.isFinite else {
        out += "null"
        return
      }
      if x == x.rounded(), abs(x) < 1e15 {
        out += String(Int64(x))
      } else {
        out += x.description
      }
    case .string(let s): JSONValue.quote(s, into: &out)
    case .array(let items):
      if items.isEmpty {
        out += "[]"
        return
      }
      let inner = pretty ? indent + "  " : ""
      out += pretty ? "[\n" : "["
      for (k, item) in items.enumerated() {
        if k > 0 { out += pretty ? ",\n" : "," }
        out += inner
        item.write(into: &out, pretty: pretty, indent: inner)
      }
      out += pretty ? "\n" + indent + "]" : "]"
    case .object(let pairs):
      if pairs.isEmpty {
        out += "{}"
        return
      }
      let inner = pretty ? indent + "  " : ""
      out += pretty ? "{\n" : "{"
      for (k, pair) in pairs.enumerated() {
        if k > 0 { out += pretty ? ",\n" : "," }
        out += inner
        JSONValue.quote(pair.0, into: &out)
        out += pretty ? ": " : ":"
        pair.1.write(into: &out, pretty: pretty, indent: inner)
      }
      out += pretty ? "\n" + indent + "}" : "}"
    }
  }

  static func quote(_ s: String) -> String {
    var out = ""
    quote(s, into: &out)
    return out
  }

  static func quote(_ s: String, into out: inout String) {
    out += "\""
    // Fast path: nothing to escape (the common case for keys).
    if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
      out += s
      out += "\""
      return
    }
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
    out += "\""
  }
}
