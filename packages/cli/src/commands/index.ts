import type { Command } from '../command.js';
import { configReferenceCommand } from './config-reference.js';
import { demoCommand } from './demo.js';
import { devCommand } from './dev.js';
import { eventsCommand } from './events.js';
import { migrateCommand } from './migrate.js';
import { providersCommand } from './providers.js';
import { simulateCommand } from './simulate.js';
import { tenantsCommand } from './tenants.js';
import { webhooksCommand } from './webhooks.js';

/** Every command, in the order `tender --help` lists them. */
export const COMMANDS: Command[] = [
  demoCommand,
  devCommand,
  migrateCommand,
  webhooksCommand,
  eventsCommand,
  providersCommand,
  simulateCommand,
  tenantsCommand,
  configReferenceCommand,
];
