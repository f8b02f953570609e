export { type BuiltPack, buildPack } from './build.js';
export { toCsv } from './csv.js';
export {
  type EvidencePack,
  type EvidencePackOptions,
  evidencePack,
  readPack,
  verifyPack,
  writePack,
} from './generate.js';
export {
  type Manifest,
  type ManifestFile,
  type ManifestSignature,
  type PackVerification,
  type VerifyProblem,
  verifyEntries,
} from './manifest.js';
export type { EvidencePackInput } from './options.js';
export type { CollectorOutcome, ControlResult, ControlStatus } from './status.js';
export { type ArchiveEntry, readTarGz, writeTarGz } from './tar.js';
