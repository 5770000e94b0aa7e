import FEEL
import FEELTestSupport
import Foundation
import Testing

/// The strict JSON reader behind `Scenario(json:)` and the buffered writer: exact
/// numbers, key order, escapes, every malformed input rejected (field `json`), never a trap.
@Suite struct JSONParserTests {
  static func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Data(text.utf8)) }

  @Test func readsEveryKindOfValueKeepingKeyOrder() throws {
    let v = try Self.parse(
      #" {"b": [1, -2.5, 3e2, 0, -0.0, 1E-3], "a": {"t": true, "f": false, "n": null}, "s": "x"} "#)
    #expect(
      v
        == .object([
          (
            "b",
            .array([
              .number(1), .number(-2.5), .number(300), .number(0), .number(-0.0), .number(1e-3),
            ])
          ),
          ("a", .object([("t", .bool(true)), ("f", .bool(false)), ("n", .null)])),
          ("s", .string("x")),
        ]))
    #expect(try Self.parse("42") == .number(42))
    #expect(try Self.parse("\u{FEFF}[]") == .array([]))
    #expect(try Self.parse("{}") == .object([]))
  }

  @Test func decodesEscapesAndSurrogatePairs() throws {
    let v = try Self.parse(#""q\" b\\ s\/ \b\f\n\r\t \u00e9 \u20AC \ud83d\ude00 é""#)
    #expect(v == .string("q\" b\\ s/ \u{8}\u{C}\n\r\t é € 😀 é"))
  }

  @Test func numbersAreCorrectlyRounded() throws {
    // Seventeen-digit decimals that a misrounding reader gets wrong by one ulp
    // (JSONSerialization on Linux reads 8151810.4967792565 as 8151810.496779256).
    #expect(try Self.parse("8151810.4967792565") == .number(8_151_810.496_779_256_5))
    #expect(try Self.parse("8151810.4967792565") != .number(8_151_810.496_779_256))
    forEachInstance(seed: 31, count: 500) { (i, g) throws in
      let x = g.logUniform(1e-300...1e300) * (i % 2 == 0 ? 1 : -1)
      let text = "\(x)"
      #expect(try Self.parse(text) == .number(x), "seed 31 instance \(i): \(text)")
    }
    #expect(try Self.parse("1e-400") == .number(0))
  }

  @Test func rejectsMalformedDocumentsWithTheirPosition() {
    let bad = [
      "", " ", "{", "[1, 2", "[1,]", "{\"a\": 1,}", "{\"a\" 1}", "{a: 1}", "{\"a\": 1 \"b\": 2}",
      "NaN", "Infinity", "-Infinity", "nan", "1e400", "-1e400", "01", "1.", ".5", "-", "1e", "1e+",
      "+1", "0x10", "tru", "nul", "\"abc", "\"a\u{1}b\"", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"",
      "\"\\udc00\"", "\"\\ud800\\u0041\"", "[1] 2", "{\"a\": 1, \"a\": 2}", "// c\n1", "[1 2]",
    ]
    for text in bad {
      do {
        _ = try Self.parse(text)
        Issue.record("accepted \(text.debugDescription)")
      } catch let e as ScenarioError {
        #expect(e.field == "json", "\(text.debugDescription)")
        #expect(e.reason.hasPrefix("malformed JSON"), "\(text.debugDescription): \(e.reason)")
      } catch {
        Issue.record("\(text.debugDescription): \(error)")
      }
    }
    #expect(throws: ScenarioError.self) { try JSONValue.parse(Data([0x22, 0xFF, 0xFE, 0x22])) }
  }

  @Test func deepNestingIsRejectedNotACrash() {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: ScenarioError.self) { try Self.parse(deep) }
    let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
    #expect((try? Self.parse(fine)) != nil)
  }

  @Test func randomBytesNeverTrap() {
    let alphabet = Array(#"{}[]",:-+.eE0123456789 tfnrulasx\"#.utf8) + [0x0A, 0xC3, 0xA9, 0xFF]
    forEachInstance(seed: 99, count: 2000) { _, g in
      let n = Int(g.next() % 40)
      let bytes = (0..<n).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] }
      _ = try? JSONValue.parse(Data(bytes))
    }
  }

  @Test func writtenTextReadsBackToTheSameTree() throws {
    var g = SeededGenerator(seed: 123)
    func tree(_ depth: Int) -> JSONValue {
      switch depth > 3 ? g.next() % 4 : g.next() % 6 {
      case 0: return .null
      case 1: return .bool(g.next() % 2 == 0)
      case 2: return .number(g.uniform(-1e6...1e6) * g.logUniform(1e-12...1e12))
      case 3:
        return .string(["", "a\"b", "tab\t", "é€😀", "\u{1}ctl", "back\\slash"][Int(g.next() % 6)])
      case 4: return .array((0..<Int(g.next() % 4)).map { _ in tree(depth + 1) })
      default:
        return .object((0..<Int(g.next() % 4)).map { ("k\($0)", tree(depth + 1)) })
      }
    }
    for i in 0..<300 {
      let t = tree(0)
      for pretty in [true, false] {
        let back = try JSONValue.parse(Data(t.serialized(pretty: pretty).utf8))
        #expect(back == t, "seed 123 instance \(i) pretty \(pretty)")
      }
    }
    #expect(JSONValue.number(.nan).serialized() == "null")
    #expect(JSONValue.number(3).serialized() == "3")
    #expect(
      JSONValue.object([("a", .array([.number(1)]))]).serialized(pretty: false) == #"{"a":[1]}"#)
  }
}
