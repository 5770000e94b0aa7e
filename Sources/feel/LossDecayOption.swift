import FEEL
import Foundation

/// The `--loss-decay` option of `feel train`: a `lossDecay` object, given inline as JSON
/// text or as the path of a file that holds one.
enum LossDecayOption {
  /// Reads a loss-decay model from `text`: JSON when it starts with `{`, otherwise the
  /// path of a JSON file holding one `lossDecay` object (as `feel fit-loss --json` prints
  /// each fit, without the fit's extra keys).
  ///
  /// - Throws: ``InfeasibleRequest`` naming `--loss-decay` for an unreadable file or
  ///   malformed JSON; ``ScenarioError`` naming `--loss-decay.<key>` for an unknown model,
  ///   an unknown or missing key or a parameter out of range.
  static func parse(_ text: String, field: String = "--loss-decay") throws -> LossDecay {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    let data: Data
    if trimmed.hasPrefix("{") {
      data = Data(trimmed.utf8)
    } else {
      guard let contents = FileManager.default.contents(atPath: trimmed) else {
        throw InfeasibleRequest(
          field: field, reason: "is neither a JSON object nor a readable file ('\(text)')")
      }
      data = contents
    }
    let value: JSONValue
    do { value = try JSONValue.parse(data) } catch let e as ScenarioError {
      throw InfeasibleRequest(field: field, reason: "is not valid JSON (\(e.description))")
    }
    return try LossDecay(jsonValue: value, field: field)
  }
}
