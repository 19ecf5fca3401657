export {
  DEGRADATION_MODES,
  type Degradation,
  type DegradationMode,
  type DegradationShares,
  defaultShares,
  planDegradations,
} from './degradation';
export {
  DEFAULT_FLEET_SIZE,
  FLEET_KIND,
  type FleetDevice,
  type FleetOptions,
  MAX_FLEET_SIZE,
  fleetDeviceFields,
  generateFleet,
} from './fleet';
export {
  DEFAULT_INTERVAL_SEC,
  DEFAULT_MAX_MESSAGES_PER_SECOND,
  FleetSimulator,
  type FleetSimulatorOptions,
  type FleetSimulatorStatus,
  SIMULATOR_TOPIC_ROOT,
  simulatorTopic,
} from './fleet-simulator';
export {
  GROUND_TRUTH_FORMAT,
  GROUND_TRUTH_VERSION,
  type GroundTruth,
  type GroundTruthEntry,
  type GroundTruthHeader,
  parseGroundTruth,
  readGroundTruth,
  writeGroundTruth,
} from './ground-truth';
export { FleetModel, METRICS, type SimDevice } from './model';
export { BrokerUnreachableError, type MqttPublisher, connectMqttPublisher } from './mqtt-publisher';
export {
  GROUND_TRUTH_FILE_NAME,
  SIMULATOR_CONNECTOR_NAME,
  SIMULATOR_TOPIC_PATTERN,
  SimulatorControl,
  type SimulatorControlOptions,
  simulatorConnectorSettings,
} from './simulator-control';
