/**
 * The scripted people: what a person does in the vendors' consoles (played against the simulators
 * through their admin API) and the one driver that plays them through the application layer, for
 * the rehearsal, the tests, the fault tests and the benchmark.
 */
export {
  doInConsoles,
  registerTenant,
  REHEARSAL_EXPERIENCE_FLOW,
  REHEARSAL_FLOW,
  REHEARSAL_PUBLISH_COMMENT,
  type ConsoleMemory,
  type Evidence,
} from './consoles';
export { playPeople, PeopleStuck, type Desk, type PeopleEvent, type PeopleOptions, type PeopleStats, type ProgressView } from './driver';
export { rehearse, RehearsalFailed, REHEARSAL_OPTIONS } from './rehearsal';
