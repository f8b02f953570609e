export { type EvidenceHandlerOptions, evidenceHandler, type PackSettings } from './handler.js';
export {
  type EvidenceSchedule,
  type EvidenceScheduleOptions,
  evidenceSchedule,
} from './schedule.js';
