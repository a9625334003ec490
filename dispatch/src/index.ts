/**
 * The dispatch engine's public API: service catalogue, hard filters, ranking, the offer cascade and the time-bank ledger.
 * Pure: no I/O, no database, no clock of its own (time comes in as arguments).
 */
export * from './vocabulary';
export * from './geo';
export * from './shanghai-time';
export * from './dispatch-types';
export * from './service-catalogue.schema';
export * from './service-catalogue';
export { checkAvailability, type AvailabilityCheck } from './availability';
export * from './hard-filters';
export * from './ranking';
export * from './offer-cascade';
export * from './plan-dispatch';
export * from './ledger';
