export { type ConsumeOptions, type Consumer, consumeEvents } from './consume-events.js';
export {
  RedisStreamsEventBus,
  type RedisStreamsEventBusOptions,
  type RedisStreamsOptions,
  streamKey,
} from './redis-streams-event-bus.js';
