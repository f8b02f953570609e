export {
  type SloDefinition,
  type SloReport,
  type SloTracker,
  type SloTrackerOptions,
  type SloWindow,
  sloTracker,
} from './tracker.js';
