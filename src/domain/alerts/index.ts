export {
  ALERT_RULE_DEFAULTS,
  FALSE_ALARM_PROBABILITY,
  SENSITIVITIES,
  type HourlyCounts,
  type Sensitivity,
} from './alerts.types.js';
export { backtestRule, type BacktestEvent, type BacktestResult, type BacktestRule } from './backtest.js';
export { detectSpike, MAX_SCORE, MIN_SHARE_LIFT, MIN_SHARE_TOTAL, type Detection, type DetectionInput } from './detection.js';
export {
  ALERT_EVENT_TYPE,
  ALERT_RESOLVED_EVENT_TYPE,
  alertEventId,
  decideIncident,
  RESOLVE_AFTER_NORMAL_EVALUATIONS,
  type IncidentAction,
  type IncidentRule,
  type OpenIncident,
} from './incidents.js';
