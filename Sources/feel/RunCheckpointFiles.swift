import FEEL
import FEELTraining
import Foundation

/// The in-progress checkpoints of `feel train --checkpoint FILE`: one file per unfinished
/// run beside FILE, named `FILE.<partition>.<scheme>.<seed>.run`, rewritten atomically
/// (``AtomicFile``: a temporary file beside it, flushed, renamed) every
/// `--checkpoint-every` rounds and removed once the run is in FILE.
struct RunCheckpointFiles: Sendable {
  let path: String
  let every: Int
  let context: String
  let saved: [RunKey: RunCheckpoint]

  /// Loads the checkpoints of `keys` (with `resume`) and removes those of finished runs.
  ///
  /// - Throws: ``InfeasibleRequest`` naming `--checkpoint` when a file cannot be read, is
  ///   truncated or corrupt, or belongs to other settings.
  init(
    path: String, every: Int, settings: StudySettings, shard: String?, keys: [RunKey],
    resume: Bool, finished: [RunKey]
  ) throws {
    self.path = path
    self.every = every
    self.context = settings.jsonValue.serialized(pretty: false) + "\nshard " + (shard ?? "-")
    var saved: [RunKey: RunCheckpoint] = [:]
    if resume {
      for key in keys {
        let url = Self.url(path, key)
        guard FileManager.default.fileExists(atPath: url.path) else { continue }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
          throw InfeasibleRequest(field: "--checkpoint", reason: "cannot read \(url.path)")
        }
        let c: RunCheckpoint
        do { c = try RunCheckpoint(decoding: data) } catch let e as InfeasibleRequest {
          throw InfeasibleRequest(field: "--checkpoint", reason: "\(url.path): \(e.reason)")
        }
        guard c.context == context, c.key == key else {
          throw InfeasibleRequest(
            field: "--checkpoint", reason: "\(url.path) was written by a run with other settings")
        }
        saved[key] = c
      }
    }
    self.saved = saved
    for key in finished { try? FileManager.default.removeItem(at: Self.url(path, key)) }
  }

  static func url(_ path: String, _ key: RunKey) -> URL {
    URL(
      fileURLWithPath:
        "\(path).\(key.partition.rawValue).\(key.scheme.rawValue).\(key.seed).run")
  }

  /// How the run of `key` saves (and resumes).
  func checkpointing(_ key: RunKey) -> RunCheckpointing {
    let url = Self.url(path, key)
    return RunCheckpointing(every: every, context: context, resume: saved[key]) { c in
      try AtomicFile.write(c.encoded(), to: url, field: "--checkpoint")
    }
  }

  /// Deletes the checkpoint of a run that is now in the study's checkpoint.
  func remove(_ key: RunKey) {
    try? FileManager.default.removeItem(at: Self.url(path, key))
  }
}
