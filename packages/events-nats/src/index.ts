export { JetStreamEventBus, type JetStreamEventBusOptions } from './jetstream-event-bus.js';
export { eventSubject, subjectToken } from './subject.js';
