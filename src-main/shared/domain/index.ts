export * from './config-rules';
export * from './fields';
export * from './sla';
export * from './workflow';
export * from './default-config';
export * from './geo';
export * from './health';
export * from './predict-defaults';
